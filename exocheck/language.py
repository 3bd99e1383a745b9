"""The English the checker reads copy with: word lists loaded from data/language.yaml and validated.

Negators, hedges, reporting verbs and the like are properties of English, not of exosomes, so they are
not in the knowledge base; they are data all the same, kept in one file that says what each list is for.
The file is strict: a missing, misspelt or misshapen list is refused with its file:line:column, because a
list that silently matched nothing would change verdicts without any test saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .diskcache import cache_dir, code_stamp, read_entry, sha256, write_entry
from .errors import KnowledgeBaseError
from .kb import _combined, _Map, _parse_yaml, _read, _Seq
from .record import FrozenRecord

# The three shapes a list takes once loaded (the field types below name them).
WordSet = frozenset[str]  # single words, tested for membership
Phrases = tuple[tuple[str, ...], ...]  # phrases split into words, in file order (the first match wins)
Endings = tuple[str, ...]  # word endings, for str.endswith
ScriptWords = frozenset[str]  # single words of any alphabet, as written in lower case (langid.py)


class Language(FrozenRecord):
    """Every list of data/language.yaml, by key; see the file for what each is for. A frozen dataclass in all
    but the decorator, whose generated code for 90 fields cost 3-4 ms at every start (see record.py): its
    fields are its annotations, in order, and it is made with every list by keyword."""

    hard_break_words: WordSet
    unbroken_phrases: Phrases
    soft_break_words: WordSet
    list_continuers: WordSet
    articles: WordSet
    local_negators: WordSet
    wide_negations: Phrases
    approval_negations: Phrases
    evidence_words: WordSet
    pseudo_negations: Phrases
    superlative_negators: WordSet
    superlative_comparisons: WordSet
    relative_pronouns: WordSet
    origin_words: WordSet
    negated_subjects: WordSet
    negated_quantities: WordSet
    status_nouns: WordSet
    deferrals: Phrases
    verbal_negators: WordSet
    hedges: WordSet
    reporting_verbs: WordSet
    claimants: WordSet
    attribution_markers: Phrases
    selling_markers: Phrases
    selling_verbs: WordSet
    pronoun_claimants: WordSet
    contrast_words: WordSet
    first_person: WordSet
    seller_words: WordSet
    research_words: WordSet
    question_starters: WordSet
    wh_words: WordSet
    question_intensifiers: WordSet
    affirmatives: WordSet
    advice_verbs: WordSet
    caution_phrases: Phrases
    professionals: WordSet
    product_nouns: WordSet
    pronoun_objects: WordSet
    people: WordSet
    product_anaphors: WordSet
    comparison_words: WordSet
    other_products: WordSet
    product_openers: WordSet
    other_kinds: WordSet
    recipients: WordSet
    result_verbs: WordSet
    passive_auxiliaries: WordSet
    bare_degrees: WordSet
    reader_imperatives: WordSet
    name_definers: WordSet
    name_copulas: WordSet
    naming_words: Phrases
    definition_breaks: WordSet
    disease_words: WordSet
    disease_suffixes: Endings
    health_words: WordSet
    wellness_phrases: Phrases
    healing_verbs: WordSet
    curing_verbs: WordSet
    field_words: WordSet
    source_words: WordSet
    spec_use_labels: Phrases
    spec_result_labels: Phrases
    critical_voice: Phrases
    expert_titles: WordSet
    interview_verbs: WordSet
    unasserting_phrases: Phrases
    requirement_phrases: Phrases
    regarding_verbs: WordSet
    endogenous_phrases: Phrases
    product_words: WordSet
    past_findings: WordSet
    research_section_labels: Phrases
    outline_openers: Phrases
    document_words: WordSet
    outline_verbs: WordSet
    aim_labels: WordSet
    research_voice: Phrases
    research_markers: Phrases
    selling_voice: Phrases
    role_phrases: Phrases
    diagnostic_words: WordSet
    quantity_phrases: Phrases
    sufferer_phrases: Phrases
    number_words: WordSet
    english_function_words: WordSet
    spanish_function_words: ScriptWords
    portuguese_function_words: ScriptWords
    french_function_words: ScriptWords
    german_function_words: ScriptWords
    italian_function_words: ScriptWords
    dutch_function_words: ScriptWords
    swedish_function_words: ScriptWords
    danish_function_words: ScriptWords
    polish_function_words: ScriptWords
    czech_function_words: ScriptWords
    romanian_function_words: ScriptWords
    hungarian_function_words: ScriptWords
    turkish_function_words: ScriptWords
    indonesian_function_words: ScriptWords
    vietnamese_function_words: ScriptWords
    russian_function_words: ScriptWords
    ukrainian_function_words: ScriptWords
    sha256: str  # of the file's bytes: cached compiled checkers are keyed on it ("" if not given)

    __slots__ = tuple(__annotations__)  # the fields above, in order

    def __init__(self, **lists: Any) -> None:
        lists.setdefault("sha256", "")
        if lists.keys() != set(self.__slots__):
            wrong = sorted(lists.keys() ^ set(self.__slots__))
            raise TypeError(f"Language() needs each list by its key, and no other: {', '.join(wrong)}")
        for name in self.__slots__:
            object.__setattr__(self, name, lists[name])


# Words as the checker sees them: folded, lower case, apostrophes removed ("dont", not "don't").
_WORD = re.compile(r"[a-z0-9]+")
_PHRASE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_ENDING = re.compile(r"[a-z]+")
_SCRIPT_WORD = re.compile(r"[^\W\d_]+")  # letters of any alphabet; lower case is checked apart
# What each shape accepts, how it says so, and how an accepted list of strings is stored.
_SHAPES: dict[str, tuple[re.Pattern[str], str, Callable[[list[str]], WordSet | Phrases | Endings]]] = {
    "WordSet": (_WORD, "one lowercase word of letters and digits (no spaces, hyphens or apostrophes)",
                frozenset),
    "Phrases": (_PHRASE, "lowercase words of letters and digits separated by single spaces",
                lambda items: tuple(tuple(item.split(" ")) for item in items)),
    "Endings": (_ENDING, "a lowercase word ending of letters only", tuple),
    "ScriptWords": (_SCRIPT_WORD, ("one lowercase word of letters of any alphabet (no digits, spaces, hyphens "
                                   "or apostrophes)"), frozenset),
}
KEYS = tuple(name for name in Language.__slots__ if name != "sha256")
_KINDS: dict[str, str] = dict(Language.__annotations__)  # each list's shape: "WordSet", "Phrases", ...


def default_language_path() -> Path:
    """The language file shipped in the wheel, or the repository's copy when running from a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "language.yaml"
    return packaged if packaged.is_file() else here.parent / "data" / "language.yaml"


def load_language(path: str | Path | None = None) -> Language:
    """Read, parse and validate a language file (the shipped one by default)."""
    file = Path(path) if path is not None else default_language_path()
    shown = str(path) if path is not None else str(file)
    return parse_language(_read(file, shown), shown)


def parse_language(raw: bytes, path: str) -> Language:
    """The lists of a language file's bytes; every problem is reported, each with its place and key."""
    data = _parse_yaml(raw, path)
    if not isinstance(data, _Map):
        raise KnowledgeBaseError("a language file must be a YAML mapping of list names to lists", path=path, line=1)
    problems: list[KnowledgeBaseError] = []
    values: dict[str, Any] = {}
    for key in data:
        if key not in KEYS:
            line, column = data.mark(key)
            problems.append(KnowledgeBaseError(f"unknown list {key!r}{_did_you_mean(key)}", path=path, line=line,
                                               column=column))
    for key in KEYS:
        if key not in data:
            problems.append(KnowledgeBaseError(f"missing list {key!r}", path=path))
            continue
        pattern, wanted, store = _SHAPES[_KINDS[key]]
        items = data[key]
        if not isinstance(items, _Seq) or not items:
            line, column = data.mark(key)
            problems.append(KnowledgeBaseError(f"{key!r} must be a non-empty list, not {_kind(items)}", path=path,
                                               line=line, column=column))
            continue
        for item, (line, column) in zip(items, items.item_marks):
            if not isinstance(item, str) or not pattern.fullmatch(item) or item != item.lower():
                problems.append(KnowledgeBaseError(f"{key!r}: {_shown(item)} must be {wanted}", path=path,
                                                   line=line, column=column))
        values[key] = store(items)
    if problems:
        raise _combined(problems)
    return Language(**values, sha256=sha256(raw).hexdigest())


def _did_you_mean(key: object) -> str:
    import difflib

    close = difflib.get_close_matches(str(key), KEYS, n=1)
    return f" (did you mean {close[0]!r}?)" if close else "; see the comments in the shipped data/language.yaml"


def _kind(value: object) -> str:
    """What a list's value is instead, for the message (a list that gets here is an empty one)."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "an empty list"
    return "text" if isinstance(value, str) else f"a {type(value).__name__}"


def _shown(item: object) -> str:
    """An item as the message shows it; YAML reads a bare yes/no/on/off as a boolean, so say how to fix it."""
    if isinstance(item, bool):
        return f"{str(item).lower()} (YAML reads a bare yes, no, on or off as a boolean: quote it)"
    return repr(item)


_MAGIC = b"exocheck-language-cache 2\n"
_unsaved: tuple[str, Language] | None = None  # the shipped lists, parsed by this process, and their entry's name


def _shipped() -> Language:
    """The shipped language file, from the disk cache when these bytes were parsed before: a single check
    then skips importing the YAML library and parsing (about 20 ms, a sixth of its time)."""
    global _unsaved
    path = default_language_path()
    raw = _read(path, str(path))
    digest = sha256(raw).hexdigest()
    try:
        name = f"language-{sha256(code_stamp(('language.py',)) + digest.encode()).hexdigest()[:32]}.json"
    except OSError:
        return parse_language(raw, str(path))
    directory = cache_dir()
    cached = _from_data(read_entry(directory, name, _MAGIC)) if directory is not None else None
    if cached is not None and cached.sha256 == digest:
        return cached
    language = parse_language(raw, str(path))
    _unsaved = (name, language)
    return language


def _as_data(language: Language) -> dict[str, Any]:
    """The lists as plain JSON data: sets sorted (the same bytes every time), phrases as their text."""
    data: dict[str, Any] = {"sha256": language.sha256}
    for key in KEYS:
        items = getattr(language, key)
        data[key] = sorted(items) if isinstance(items, frozenset) else [
            " ".join(item) if isinstance(item, tuple) else item for item in items]
    return data


def _from_data(data: Any) -> Language | None:
    """A Language from `_as_data`'s output, or None if the data is not of that shape (a damaged entry)."""
    if not isinstance(data, dict) or not isinstance(data.get("sha256"), str):
        return None
    values: dict[str, Any] = {}
    for key in KEYS:
        items = data.get(key)
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            return None
        values[key] = _SHAPES[_KINDS[key]][2](items)
    return Language(**values, sha256=data["sha256"])


def keep_in_cache() -> None:
    """Store the shipped lists for the next process if this one had to parse them. The command calls this
    (see cache.py); a program that only imports the library never writes to the user's cache."""
    global _unsaved
    directory = cache_dir()  # now, not at import: the command's --cache-dir and --no-cache are known
    if _unsaved is not None and directory is not None:
        name, language = _unsaved
        write_entry(directory, name, _MAGIC, _as_data(language))
        _unsaved = None


LANGUAGE = _shipped()
