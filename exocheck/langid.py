"""Is this English? A cheap guess at the language of a document, so that copy exocheck cannot read is
reported (a `non-english` notice) instead of passing as clean.

exocheck's word lists and knowledge base are English: a page in Spanish or Korean gets no findings, and a
green run would tell its author that it was checked. `guess` looks at a document's words once:

- letters in a script other than the Latin one (Cyrillic, Greek, Arabic, Hebrew, Han, kana, Hangul,
  Devanagari, Thai, ...), by Unicode block, weighted so that a Han character or a Hangul syllable counts
  for the several Latin letters it does the work of;
- for Latin-script words, the very common words of English against those of other languages (the lists
  under "Other languages" in data/language.yaml): articles, prepositions, conjunctions, pronouns.

Text with fewer than MIN_WORDS words is never judged, and a language must show several different words of
its own: a foreign brand name or a short quote in English copy ("Clínica de la Piel", "c'est la vie") stays
English. A document is reported when most of it is in another language, or a large part of a long one
(PART), so a page that is mostly English with a paragraph in another language is not.

It has to cost next to nothing, as every document pays it: a long text is judged on a sample of it
(SAMPLE_WINDOWS pieces spread over it, SAMPLE_CHARS in all), its words are split and counted as bytes (one
translate, one split, one Counter: no regex), and letters outside ASCII are looked at one by one only when
the sample has enough of them to be mostly another script. Only a text found not to be English is read
again, paragraph by paragraph, to point the notice at where that language starts.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable

from .language import LANGUAGE
from .model import Notice, Report
from .record import FrozenRecord
from .segment import LineIndex

CODE = "non-english"  # the notice's code (its rule id in SARIF)
MIN_CHARS = 60  # shorter text is never judged (twenty words need more)
MIN_WORDS = 20  # Latin-script words a text needs before its function words are compared
MIN_HITS = 6  # function words of the other language, at least ...
MIN_DISTINCT = 5  # ... of this many different ones: a brand name repeats the same two or three
MIN_SCRIPT_LETTERS = 100  # weighted letters of another script (about twenty words)
WHOLE = 0.6  # the share of a text in another language at which the text is said to be in it
PART = 0.35  # the share at which a long text is said to be partly in it ...
MIN_PART_HITS = 30  # ... when that part has at least this many function words (about a hundred words)
MIN_PART_LETTERS = 500  # ... or this many weighted letters of another script
SAMPLE_CHARS = 2048  # a longer text is judged on this many characters of it ...
SAMPLE_WINDOWS = 8  # ... taken in this many pieces spread evenly over it

_WORDS = re.compile(r"[^\W\d_]+")  # runs of letters of any alphabet (for scripts, and a paragraph's words)

# Latin-script languages: code, name and the list of very common words; English first.
_LATIN = (
    ("en", "English", LANGUAGE.english_function_words),
    ("es", "Spanish", LANGUAGE.spanish_function_words),
    ("pt", "Portuguese", LANGUAGE.portuguese_function_words),
    ("fr", "French", LANGUAGE.french_function_words),
    ("de", "German", LANGUAGE.german_function_words),
    ("it", "Italian", LANGUAGE.italian_function_words),
    ("nl", "Dutch", LANGUAGE.dutch_function_words),
    ("sv", "Swedish", LANGUAGE.swedish_function_words),
    ("da", "Danish", LANGUAGE.danish_function_words),
    ("pl", "Polish", LANGUAGE.polish_function_words),
    ("cs", "Czech", LANGUAGE.czech_function_words),
    ("ro", "Romanian", LANGUAGE.romanian_function_words),
    ("hu", "Hungarian", LANGUAGE.hungarian_function_words),
    ("tr", "Turkish", LANGUAGE.turkish_function_words),
    ("id", "Indonesian", LANGUAGE.indonesian_function_words),
    ("vi", "Vietnamese", LANGUAGE.vietnamese_function_words),
)
# Cyrillic-script languages told apart the same way; other Cyrillic text is named by its script.
_CYRILLIC = (
    ("ru", "Russian", LANGUAGE.russian_function_words),
    ("uk", "Ukrainian", LANGUAGE.ukrainian_function_words),
)


def _index(languages: tuple[tuple[str, str, frozenset[str]], ...]) -> dict[str, tuple[int, ...]]:
    """Each listed word -> the positions in `languages` of the lists that have it."""
    index: dict[str, tuple[int, ...]] = {}
    for position, (_, _, words) in enumerate(languages):
        for word in words:
            index[word] = (*index.get(word, ()), position)
    return index


_LATIN_INDEX = _index(_LATIN)
_LATIN_BYTES = {word.encode("utf-8"): languages for word, languages in _LATIN_INDEX.items()}  # as counted
_LATIN_LISTED = frozenset(_LATIN_BYTES)
# Bytes of UTF-8 text to words: ASCII capitals to lower case, every other ASCII byte that is not a letter to a
# space; bytes of other characters are kept, so "vesículas" stays one word ("Él" keeps its capital: rare).
_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_TO_WORDS = bytes.maketrans(_NOT_LETTERS + bytes(range(65, 91)), b" " * len(_NOT_LETTERS) + bytes(range(97, 123)))
_NOT_ASCII_LETTERS = _NOT_LETTERS + bytes(range(128, 256))
_CYRILLIC_INDEX = _index(_CYRILLIC)
_CYRILLIC_WORDS = frozenset(_CYRILLIC_INDEX)

LATIN = "latin"
# Scripts by Unicode block: (first code point, script). A code point belongs to the last block starting at
# or before it; None marks a gap (digits, symbols, punctuation are never in a run of letters anyway).
_BLOCKS = (
    (0x0000, LATIN), (0x0250, None), (0x0370, "greek"), (0x0400, "cyrillic"), (0x0530, "armenian"),
    (0x0590, "hebrew"), (0x0600, "arabic"), (0x0700, None), (0x0750, "arabic"), (0x0780, None),
    (0x08A0, "arabic"), (0x0900, "devanagari"), (0x0980, "bengali"), (0x0A00, "gurmukhi"),
    (0x0A80, "gujarati"), (0x0B00, None), (0x0B80, "tamil"), (0x0C00, "telugu"), (0x0C80, "kannada"),
    (0x0D00, "malayalam"), (0x0D80, None), (0x0E00, "thai"), (0x0E80, "lao"), (0x0F00, None),
    (0x1000, "myanmar"), (0x10A0, "georgian"), (0x1100, "hangul"), (0x1200, "ethiopic"), (0x13A0, None),
    (0x1780, "khmer"), (0x1800, None), (0x1C80, "cyrillic"), (0x1C90, "georgian"), (0x1CC0, None),
    (0x1E00, LATIN), (0x1F00, "greek"), (0x2000, None), (0x2C60, LATIN), (0x2C80, None),
    (0x2DE0, "cyrillic"), (0x2E00, None), (0x2E80, "han"), (0x3040, "kana"), (0x3100, None),
    (0x3130, "hangul"), (0x3190, None), (0x31F0, "kana"), (0x3200, None), (0x3400, "han"), (0xA000, None),
    (0xA640, "cyrillic"), (0xA6A0, None), (0xA720, LATIN), (0xA800, None), (0xAC00, "hangul"),
    (0xD7B0, None), (0xF900, "han"), (0xFB00, LATIN), (0xFB1D, "hebrew"), (0xFB50, "arabic"),
    (0xFE00, None), (0xFE70, "arabic"), (0xFF00, None), (0xFF21, LATIN), (0xFF5B, None), (0xFF66, "kana"),
    (0xFFA0, "hangul"), (0xFFE0, None), (0x20000, "han"), (0x30000, None),
)
_BLOCK_STARTS = [start for start, _ in _BLOCKS]
# How many Latin letters one letter of a script is worth: a Han character or a kana is about a syllable or
# a word, a Hangul block a syllable of two or three letters.
_WEIGHT = {"han": 3.0, "kana": 2.0, "hangul": 2.5}
# A script that names its language, and the language; the rest are named by their script.
_SCRIPT_LANGUAGE = {
    "greek": ("el", "Greek"), "hebrew": ("he", "Hebrew"), "armenian": ("hy", "Armenian"),
    "georgian": ("ka", "Georgian"), "thai": ("th", "Thai"), "lao": ("lo", "Lao"), "khmer": ("km", "Khmer"),
    "hangul": ("ko", "Korean"), "tamil": ("ta", "Tamil"), "telugu": ("te", "Telugu"),
    "kannada": ("kn", "Kannada"), "malayalam": ("ml", "Malayalam"), "gujarati": ("gu", "Gujarati"),
    "gurmukhi": ("pa", "Punjabi"), "myanmar": ("my", "Burmese"),
}


class Guess(FrozenRecord):
    """The language (or script) a text is mostly, or largely, in, other than English."""

    __slots__ = ("code", "name", "share", "offset")  # noqa: RUF023  # the fields in order, as repr and == take them

    code: str  # an ISO 639-1 code ("es", "ko"), or a script's name when the script is all that is known
    name: str  # "Spanish", "Korean", "Cyrillic script"
    share: float  # about how much of the text is in it, 0..1
    offset: int  # where the notice points (see `_start`)

    def __init__(self, code: str, name: str, share: float, offset: int) -> None:
        self._fill(code, name, share, offset)

    @property
    def whole(self) -> bool:
        return self.share >= WHOLE

    def message(self) -> str:
        if self.whole:
            return (f"text looks like {self.name} ({self.code}); exocheck checks English only, so this text was "
                    "not checked for claims")
        return (f"part of this text (about {round(self.share * 10) * 10}%) looks like {self.name} ({self.code}); "
                "exocheck checks English only, so that part was not checked for claims")


def guess(text: str) -> Guess | None:
    """What `text` is written in, if it has enough words to tell and is not (mostly) English; else None."""
    if len(text) < MIN_CHARS:
        return None
    sample = _sample(text)
    if not sample.isascii() and not unicodedata.is_normalized("NFC", sample):
        sample = unicodedata.normalize("NFC", sample)  # the lists are composed: "é", not "e" and an accent
    # a lone surrogate (only in a str built in Python: a decoded file has none) is written as its three bytes
    data = sample.encode("utf-8", "surrogatepass")
    # A letter of another script takes one to three more bytes than an ASCII one and weighs at most 1.5 per
    # extra byte (a Han character: 3 for 2), so only a sample with enough extra bytes can be in another script.
    possible = 1.5 * (len(data) - len(sample))
    if possible >= MIN_SCRIPT_LETTERS \
            and possible >= PART / (1 - PART) * len(data.translate(None, _NOT_ASCII_LETTERS)):
        found = _other_script(text, sample)
        if found is not None:
            return found
    counts = Counter(data.translate(_TO_WORDS).split())
    if counts.total() < MIN_WORDS:
        return None
    hits = [0] * len(_LATIN)
    distinct = [0] * len(_LATIN)
    for word in _LATIN_LISTED.intersection(counts):  # the few listed words the text has, not every word of it
        times = counts[word]
        for position in _LATIN_BYTES[word]:
            hits[position] += times
            distinct[position] += 1
    best = max(range(1, len(_LATIN)), key=hits.__getitem__)  # English is position 0
    found_hits = hits[best]
    if found_hits < MIN_HITS or distinct[best] < MIN_DISTINCT:
        return None
    share = found_hits / (found_hits + hits[0])
    if share < WHOLE and (share < PART or found_hits < MIN_PART_HITS):
        return None
    code, name, _ = _LATIN[best]
    return Guess(code, name, share, _start(text, share, lambda block: _latin_share(block, best)))


def _sample(text: str) -> str:
    """`text`, or SAMPLE_CHARS of it in SAMPLE_WINDOWS pieces spread over it (words cut at a piece's ends
    are too few to matter)."""
    if len(text) <= SAMPLE_CHARS:
        return text
    width = SAMPLE_CHARS // SAMPLE_WINDOWS
    step = (len(text) - width) // (SAMPLE_WINDOWS - 1)
    return " ".join(text[i * step : i * step + width] for i in range(SAMPLE_WINDOWS))


def _other_script(text: str, sample: str) -> Guess | None:
    """The guess from the letters of the sample by script, if most of them (or of a long text, a large part)
    are in a script other than the Latin one."""
    counts = Counter(_WORDS.findall(sample.lower()))
    letters: dict[str, float] = {}
    for run, times in counts.items():
        script = LATIN if run.isascii() else _script(run)
        if script is not None:
            letters[script] = letters.get(script, 0.0) + len(run) * times * _WEIGHT.get(script, 1.0)
    other = max((s for s in letters if s != LATIN), key=letters.__getitem__, default=None)
    if other is None:
        return None
    if other in ("han", "kana") and "han" in letters and "kana" in letters:
        other, amount = "kana", letters["han"] + letters["kana"]  # Japanese writes with both
    else:
        amount = letters[other]
    share = amount / sum(letters.values())
    if amount < MIN_SCRIPT_LETTERS or (share < WHOLE and (share < PART or amount < MIN_PART_LETTERS)):
        return None
    code, name = _named(other, counts)
    return Guess(code, name, share, _start(text, share, lambda block: _script_share(block, other)))


def _script(run: str) -> str | None:
    """The script of a run of letters, by its first letter outside ASCII (an accented Latin word is Latin)."""
    for char in run:
        if char >= "\x80":
            return _BLOCKS[bisect_right(_BLOCK_STARTS, ord(char)) - 1][1]
    return LATIN


def _named(script: str, counts: Counter[str]) -> tuple[str, str]:
    """The code and name of the language (or script) of text mostly in `script`."""
    if script == "kana":
        return "ja", "Japanese"
    if script == "han":
        return "zh", "Chinese"
    if script == "cyrillic":
        hits = [0] * len(_CYRILLIC)
        distinct = [0] * len(_CYRILLIC)
        for word in _CYRILLIC_WORDS.intersection(counts):
            for position in _CYRILLIC_INDEX[word]:
                hits[position] += counts[word]
                distinct[position] += 1
        best = max(range(len(_CYRILLIC)), key=hits.__getitem__)
        if hits[best] >= MIN_HITS and distinct[best] >= MIN_DISTINCT:
            return _CYRILLIC[best][0], _CYRILLIC[best][1]
        return "cyrillic", "Cyrillic script"
    return _SCRIPT_LANGUAGE.get(script, (script, f"{script.capitalize()} script"))


def _latin_share(block: str, language: int) -> float:
    """The share of `language` in one paragraph's function words (English's being the rest)."""
    found = english = 0
    for word in _WORDS.findall(unicodedata.normalize("NFC", block.lower())):
        positions = _LATIN_INDEX.get(word, ())
        found += language in positions
        english += 0 in positions
    return found / (found + english) if found >= 2 else 0.0


def _script_share(block: str, script: str) -> float:
    """The share of `script`'s letters (weighted) in one paragraph's letters."""
    scripts = ("han", "kana") if script == "kana" else (script,)
    amount = total = 0.0
    for run in _WORDS.findall(block):
        found = _script(run)
        weight = len(run) * _WEIGHT.get(found or "", 1.0)
        total += weight
        amount += weight if found in scripts else 0.0
    return amount / total if total else 0.0


# A paragraph: up to a blank line (compiled on first use: only a text that is not English needs it).
_BLOCK = r"\S.*?(?=\n[ \t\r\u200b]*\n|\r[ \t\u200b]*\r|\Z)"


def _start(text: str, share: float, block_share: Callable[[str], float]) -> int:
    """Where the notice points: the start of a text mostly in the language, else the first paragraph
    mostly in it (or the first text, if none is). Cheap enough: only a text that is not English gets here."""
    if share >= WHOLE:
        return 0
    first = None
    for match in re.finditer(_BLOCK, text, re.DOTALL):
        if first is None:
            first = match.start()
        if block_share(match.group()) > 0.5:
            return match.start()
    return first or 0


def notice(found: Guess, path: str, text: str, first_line: int = 1) -> Notice:
    """The notice of `found` in `text`, which starts at line `first_line` of the file at `path`."""
    line, column = LineIndex(text).position(found.offset)
    return Notice(path, first_line - 1 + line, column, CODE, found.message(), severity="info")


def noted(report: Report, text: str, path: str) -> Report:
    """`report`, with a `non-english` notice added when `text` is not English (see `guess`)."""
    found = guess(text)
    if found is not None:
        report.notices.append(notice(found, path, text))
    return report
