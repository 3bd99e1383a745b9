"""The knowledge base: frozen data classes, YAML loading with file:line errors, and validation.

Loading is strict on purpose: a KB with a dangling source id or an unknown verdict would print wrong
citations, which is the worst bug this product can have, so it is refused with the exact place to fix.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .diskcache import sha256
from .errors import KnowledgeBaseError, unquoted
from .patterns import LazyPattern
from .record import FrozenRecord, replace

VERDICTS = ("unsupported", "misleading", "accurate", "unverified")
SEVERITIES = ("error", "warning", "info")
KINDS = (
    "disease", "structure-function", "regulatory", "evidence", "safety", "comparative", "guarantee",
    "treatment-avoidance", "fact", "health",
)
EVIDENCE_LEVELS = ("none", "preclinical", "early-human", "investigational", "established")
SOURCE_TIERS = ("regulator", "peer-reviewed", "trial-registry", "company", "news", "opinion")
# Topics that are not conditions: non-disease claim kinds and the generic fallback.
BUILTIN_TOPICS = ("general", "other")
# Entries the checker itself relies on (see verdict.py); a KB without them cannot judge modality.
REQUIRED_CLAIMS = (
    "no-proven-benefit", "no-fda-approved-products", "evidence-is-early", "generic-disease-claim", "unclear-health-claim",
)
# 40 times the built-in KB; a KB this size parses and validates in about 4 s and 250 MB.
MAX_KB_BYTES = 4 * 1024 * 1024
# A citation marker: the ids of the sources behind a sentence, in brackets before its closing punctuation
# ("... for any use [FDA-2019-PSN]." or "[QUEEN-2025-DS, GUPTA-2023-JCD]"). Square brackets in an explanation
# or FDA status are for markers only.
MARKER = re.compile(r"\[([^\[\]]*)\]")


# The end of a sentence: ". ", "! " or "? " (so no abbreviations such as "e.g." inside a sentence).
_sentence_break = LazyPattern(r"(?<=[.!?])\s+")


CITED_FIELDS = ("explanation", "fda_status")  # the statements users read as fact, each sentence with its sources


class Source(FrozenRecord):
    """A citable work, its fields copied from the project's evidence list (empty when not known there)."""

    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "id", "title", "publisher", "date", "url", "doi", "tier", "authors",
    )

    id: str
    title: str
    publisher: str
    date: str
    url: str
    doi: str
    tier: str
    authors: str

    def __init__(self, id: str, title: str, publisher: str, date: str, url: str, doi: str, tier: str,
                 authors: str = "") -> None:
        self._fill(id, title, publisher, date, url, doi, tier, authors)


def marker_ids(text: str) -> list[str]:
    """The source ids of every citation marker in `text`, in order."""
    return [i.strip() for m in MARKER.finditer(text) for i in m.group(1).split(",")]


def cited_sentences(text: str) -> list[tuple[str, list[str]]]:
    """Each sentence of an explanation or FDA status with the source ids its markers name."""
    return [(sentence, marker_ids(sentence)) for sentence in _sentence_break().split(text.strip()) if sentence]


class Topic(FrozenRecord):
    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "id", "name", "terms", "benefit_terms", "broad",
    )

    id: str
    name: str
    terms: tuple[str, ...]
    benefit_terms: tuple[str, ...]
    broad: bool  # a catch-all topic ("regeneration") that yields to a specific one in the same sentence

    def __init__(self, id: str, name: str, terms: tuple[str, ...], benefit_terms: tuple[str, ...],
                 broad: bool = False) -> None:
        self._fill(id, name, terms, benefit_terms, broad)


class Claim(FrozenRecord):
    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "id", "kind", "topic", "claim", "verdict", "severity", "fda_status", "evidence_level", "explanation", "sources",
        "suggestion", "cues", "negated", "examples", "deprecated", "families",
    )

    id: str
    kind: str
    topic: str
    claim: str
    verdict: str
    severity: str
    fda_status: str
    evidence_level: str
    explanation: str
    sources: tuple[str, ...]
    suggestion: str | None
    cues: tuple[str, ...]
    negated: str | None
    examples: tuple[str, ...]
    deprecated: bool  # kept so its id is never reused; no longer matched
    families: tuple[CueFamily, ...]

    def __init__(self, id: str, kind: str, topic: str, claim: str, verdict: str, severity: str, fda_status: str,
                 evidence_level: str, explanation: str, sources: tuple[str, ...], suggestion: str | None,
                 cues: tuple[str, ...], negated: str | None, examples: tuple[str, ...], deprecated: bool = False,
                 families: tuple[CueFamily, ...] = ()) -> None:
        self._fill(id, kind, topic, claim, verdict, severity, fda_status, evidence_level, explanation, sources,
                   suggestion, cues, negated, examples, deprecated, families)


class CueFamily(FrozenRecord):
    """A cue written as groups of words rather than one phrase: one word of every group, in any order,
    within `window` words of each other in one clause ("evidence ... lacking", "data are still scarce",
    "little hard evidence"). Words are matched on their stems, so one family covers a cue's variants."""

    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "groups", "window", "examples", "ordered",
    )

    groups: tuple[tuple[str, ...], ...]
    window: int
    examples: tuple[str, ...]
    ordered: bool  # the groups must come in the order given ("no ... side effects", not "side effects ... no")

    def __init__(self, groups: tuple[tuple[str, ...], ...], window: int, examples: tuple[str, ...],
                 ordered: bool = False) -> None:
        self._fill(groups, window, examples, ordered)


class Subjects(FrozenRecord):
    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "terms", "products", "weak_terms", "exclude", "other_therapies",
    )

    terms: tuple[str, ...]
    products: tuple[str, ...]
    weak_terms: tuple[str, ...]
    exclude: tuple[str, ...]
    other_therapies: tuple[str, ...]

    def __init__(self, terms: tuple[str, ...], products: tuple[str, ...], weak_terms: tuple[str, ...],
                 exclude: tuple[str, ...], other_therapies: tuple[str, ...]) -> None:
        self._fill(terms, products, weak_terms, exclude, other_therapies)


class Predicates(FrozenRecord):
    __slots__ = ("strong", "weak", "intended_use")  # noqa: RUF023  # the fields in order, as repr and == take them

    strong: tuple[str, ...]
    weak: tuple[str, ...]
    intended_use: tuple[str, ...]

    def __init__(self, strong: tuple[str, ...], weak: tuple[str, ...], intended_use: tuple[str, ...]) -> None:
        self._fill(strong, weak, intended_use)


class KnowledgeBase(FrozenRecord):
    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "version", "sha256", "path", "sources", "subjects", "predicates", "topics", "claims", "overlays",
    )

    version: str
    sha256: str
    path: str
    sources: dict[str, Source]
    subjects: Subjects
    predicates: Predicates
    topics: dict[str, Topic]
    claims: dict[str, Claim]
    overlays: tuple[str, ...]

    def __init__(self, version: str, sha256: str, path: str, sources: dict[str, Source], subjects: Subjects,
                 predicates: Predicates, topics: dict[str, Topic], claims: dict[str, Claim],
                 overlays: tuple[str, ...] = ()) -> None:
        self._fill(version, sha256, path, sources, subjects, predicates, topics, claims, overlays)

    def citations(self, claim: Claim) -> list[Source]:
        return [self.sources[source_id] for source_id in claim.sources]


# --- YAML with positions ---------------------------------------------------------------------------


class _Map(dict):
    """A YAML mapping that remembers its file and where it and each of its keys start (1-based)."""

    path: str = ""
    line: int = 0
    column: int = 0
    key_marks: dict

    key_paths: dict  # only for keys an overlay set; others are in `path`

    def mark(self, key: str) -> tuple[int, int]:
        return self.key_marks.get(key, (self.line, self.column))

    def file(self, key: str | None) -> str:
        return self.key_paths.get(key, self.path) if key else self.path


class _Seq(list):
    path: str = ""
    line: int = 0
    column: int = 0
    item_marks: list


def _loader_class(path: str) -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class PositionLoader(base):  # type: ignore[misc, valid-type]
        def construct_object(self, node: Any, deep: bool = False) -> Any:
            """A value its tag cannot make ("!!int abc", "2024-13-45" read as a date) is a YAML error at the
            value; PyYAML raises ValueError and the like, which would quote the value or crash."""
            try:
                return super().construct_object(node, deep)
            except (ValueError, TypeError, AttributeError, OverflowError):
                raise yaml.constructor.ConstructorError(
                    None, None, "a value that cannot be read as its type (a date, number or tagged value)",
                    node.start_mark) from None

    def construct_map(loader: Any, node: Any) -> Iterator[_Map]:
        data = _Map()
        data.path = path
        data.line, data.column = node.start_mark.line + 1, node.start_mark.column + 1
        data.key_marks = {}
        data.key_paths = {}
        yield data
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise KnowledgeBaseError("mapping key must be a plain scalar", line=where[0], column=where[1])
            if key in data:
                raise KnowledgeBaseError(f"duplicate key {key!r}", line=where[0], column=where[1])
            data.key_marks[key] = where
            data[key] = loader.construct_object(value_node, deep=True)

    def construct_seq(loader: Any, node: Any) -> Iterator[_Seq]:
        data = _Seq()
        data.path = path
        data.line, data.column = node.start_mark.line + 1, node.start_mark.column + 1
        yield data
        data.item_marks = [(n.start_mark.line + 1, n.start_mark.column + 1) for n in node.value]
        data.extend(loader.construct_object(n, deep=True) for n in node.value)

    PositionLoader.add_constructor("tag:yaml.org,2002:map", construct_map)
    PositionLoader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    return PositionLoader


def _parse_yaml(raw: bytes, path: str) -> Any:
    import yaml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KnowledgeBaseError(f"not UTF-8 ({exc.reason} at byte {exc.start})", path=path) from None
    loader = _loader_class(path)(text)  # a SafeLoader subclass: plain data only, never Python objects
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node)
        return loader.construct_document(node)
    except KnowledgeBaseError as exc:
        raise exc.at(path) from None
    except yaml.MarkedYAMLError as exc:  # the message without the snippet, nor what it quotes (see unquoted)
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = unquoted(" ".join(str(part) for part in (exc.context, exc.problem) if part)) or "invalid YAML"
        raise KnowledgeBaseError(f"YAML syntax error: {message}", path=path, line=line, column=column) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, at a character offset
        before = text[:exc.position]
        line = len(_line_break().findall(before)) + 1
        column = len(before) - max(before.rfind("\n"), before.rfind("\r"))
        code = f" (U+{exc.character:04X})" if isinstance(exc.character, int) else ""
        raise KnowledgeBaseError(f"YAML syntax error: {unquoted(exc.reason)}{code}", path=path, line=line,
                                 column=column) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"YAML error: {unquoted(str(exc))}", path=path) from None
    except RecursionError:  # PyYAML without libyaml composes nested values recursively
        raise KnowledgeBaseError(f"nested more than {MAX_YAML_DEPTH} levels deep", path=path) from None
    finally:
        loader.dispose()


_line_break = LazyPattern(r"\r\n?|\n")


MAX_YAML_DEPTH = 32  # a knowledge base nests five levels; the constructor recurses once per level


def _check_nodes(root: Any) -> None:
    """Refuse aliases and deep nesting in the parsed YAML, before any value is built.

    A knowledge base needs neither. An alias (*name) lets a few lines stand for an exponentially large
    value (the "billion laughs"), and nesting hundreds of levels deep exhausts Python's recursion limit.
    """
    from collections import deque

    import yaml

    seen: set[int] = set()
    queue = deque([(root, 1)])  # breadth first: an alias is met before a chain of aliases looks deep
    while queue:
        node, depth = queue.popleft()
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if id(node) in seen:
            raise KnowledgeBaseError("this value has an anchor (&name) that an alias (*name) repeats; aliases "
                                     "are not allowed in a knowledge base, write the value out", line=line,
                                     column=column)
        seen.add(id(node))
        if depth > MAX_YAML_DEPTH:
            raise KnowledgeBaseError(f"nested more than {MAX_YAML_DEPTH} levels deep", line=line, column=column)
        if isinstance(node, yaml.MappingNode):
            queue.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            queue.extend((child, depth + 1) for child in node.value)


# --- building and validating -------------------------------------------------------------------------


class _Builder:
    """Turns parsed YAML into data classes, collecting every problem with its position."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[KnowledgeBaseError] = []

    def problem(self, message: str, where: Any = None, key: str | None = None) -> None:
        line, column, path = 0, 0, self.path
        if isinstance(where, _Map):
            line, column = where.mark(key) if key else (where.line, where.column)
        elif isinstance(where, _Seq):
            line, column = where.line, where.column
        if isinstance(where, _Map) and where.file(key):
            path = where.file(key)  # what an overlay added or changed is reported in the overlay's file
        elif isinstance(where, _Seq) and where.path:
            path = where.path
        self.problems.append(KnowledgeBaseError(message, path=path, line=line, column=column))

    def text(self, node: _Map, key: str, *, required: bool = True, choices: tuple[str, ...] = ()) -> str:
        value = node.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"missing {key!r}", node)
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(f"{key!r} must be text, not {_kind(value)}", node, key)
            return ""
        value = value.strip()
        if choices and value not in choices:
            self.problem(f"{key!r} is {value!r}; expected one of: {', '.join(choices)}", node, key)
        return value

    def texts(self, node: _Map, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(f"missing {key!r}", node)
            return ()
        if not isinstance(value, list):
            self.problem(f"{key!r} must be a list", node, key)
            return ()
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                line, column = value.item_marks[index] if isinstance(value, _Seq) else (0, 0)
                self.problems.append(KnowledgeBaseError(
                    f"{key!r} item {index + 1} must be non-empty text", path=getattr(value, "path", "") or self.path,
                    line=line, column=column))
                continue
            out.append(item.strip())
        if required and not out:
            self.problem(f"{key!r} must not be empty", node, key)
        return tuple(out)

    def flag(self, node: _Map, key: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{key!r} must be true or false", node, key)
            return False
        return value

    def mapping(self, value: Any, what: str, parent: Any = None, key: str | None = None) -> _Map | None:
        if isinstance(value, _Map):
            return value
        self.problem(f"{what} must be a mapping", parent, key)
        return None

    def items(self, root: _Map, key: str) -> list[_Map]:
        value = root.get(key)
        if not isinstance(value, list):
            self.problem(f"{key!r} must be a list", root, key)
            return []
        return [m for m in (self.mapping(v, f"each {key!r} entry", value) for v in value) if m is not None]


FAMILY_WINDOW = 6  # default words a cue family's matches may span
MAX_FAMILY_WINDOW = 12


def _families(b: _Builder, claim: _Map) -> tuple[CueFamily, ...]:
    """A claim's cue families: each a mapping of `words` (one string of alternatives per group, at least
    two groups), an optional `window`, `ordered` and the `examples` that must match it."""
    if claim.get("families") is None:
        return ()
    families = []
    for node in b.items(claim, "families"):
        groups = tuple(tuple(group.split()) for group in b.texts(node, "words", required=True))
        if len(groups) < 2:
            b.problem("a cue family needs at least two groups of 'words'", node, "words")
        window = node.get("window", FAMILY_WINDOW)
        if not isinstance(window, int) or isinstance(window, bool) or not len(groups) <= window <= MAX_FAMILY_WINDOW:
            b.problem(f"'window' must be a whole number from the number of groups to {MAX_FAMILY_WINDOW}",
                      node, "window")
            window = FAMILY_WINDOW
        families.append(CueFamily(groups, window, b.texts(node, "examples", required=True), b.flag(node, "ordered")))
    return tuple(families)


def _kind(value: Any) -> str:
    """What a YAML value is, in YAML's words (not the loader's class names)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


def _build(data: Any, path: str, sha256: str) -> KnowledgeBase:
    b = _Builder(path)
    if not isinstance(data, _Map):
        raise KnowledgeBaseError("the knowledge base must be a YAML mapping at the top level", path=path, line=1)
    version = b.text(data, "version")

    sources: dict[str, Source] = {}
    for node in b.items(data, "sources"):
        source = Source(
            id=b.text(node, "id"), title=b.text(node, "title"), publisher=b.text(node, "publisher", required=False),
            date=b.text(node, "date", required=False), url=b.text(node, "url", required=False),
            doi=b.text(node, "doi", required=False), tier=b.text(node, "tier", choices=SOURCE_TIERS),
            authors=b.text(node, "authors", required=False),
        )
        if source.id in sources:
            b.problem(f"duplicate source id {source.id!r}", node, "id")
        if not (source.url or source.doi):
            b.problem(f"source {source.id!r} has neither a url nor a doi", node)
        sources[source.id] = source

    subjects_node = b.mapping(data.get("subjects"), "'subjects'", data, "subjects") or _Map()
    subjects = Subjects(
        terms=b.texts(subjects_node, "terms", required=True), products=b.texts(subjects_node, "products"),
        weak_terms=b.texts(subjects_node, "weak_terms"), exclude=b.texts(subjects_node, "exclude"),
        other_therapies=b.texts(subjects_node, "other_therapies"),
    )
    predicates_node = b.mapping(data.get("predicates"), "'predicates'", data, "predicates") or _Map()
    predicates = Predicates(
        strong=b.texts(predicates_node, "strong", required=True), weak=b.texts(predicates_node, "weak"),
        intended_use=b.texts(predicates_node, "intended_use"),
    )

    topics: dict[str, Topic] = {}
    for node in b.items(data, "topics"):
        topic = Topic(
            id=b.text(node, "id"), name=b.text(node, "name"), terms=b.texts(node, "terms", required=True),
            benefit_terms=b.texts(node, "benefit_terms"), broad=b.flag(node, "broad"),
        )
        if topic.id in topics or topic.id in BUILTIN_TOPICS:
            b.problem(f"duplicate topic id {topic.id!r}", node, "id")
        topics[topic.id] = topic

    _check_terms_belong_to_one_topic(b, topics, data.get("topics"))

    claims: dict[str, Claim] = {}
    claim_nodes: dict[str, _Map] = {}
    for node in b.items(data, "claims"):
        claim = Claim(
            id=b.text(node, "id"), kind=b.text(node, "kind", choices=KINDS), topic=b.text(node, "topic"),
            claim=b.text(node, "claim"), verdict=b.text(node, "verdict", choices=VERDICTS),
            severity=b.text(node, "severity", choices=SEVERITIES), fda_status=b.text(node, "fda_status"),
            evidence_level=b.text(node, "evidence_level", choices=EVIDENCE_LEVELS),
            explanation=b.text(node, "explanation"), sources=b.texts(node, "sources", required=True),
            suggestion=b.text(node, "suggestion", required=False) or None, cues=b.texts(node, "cues"),
            negated=b.text(node, "negated", required=False) or None, examples=b.texts(node, "examples"),
            deprecated=b.flag(node, "deprecated"), families=_families(b, node),
        )
        if claim.id in claims:
            b.problem(f"duplicate claim id {claim.id!r}", node, "id")
        if claim.topic and claim.topic not in topics and claim.topic not in BUILTIN_TOPICS:
            b.problem(f"claim {claim.id!r} has unknown topic {claim.topic!r}", node, "topic")
        for source_id in claim.sources:
            if source_id not in sources:
                b.problem(f"claim {claim.id!r} cites unknown source {source_id!r}", node, "sources")
        _check_markers(b, claim, node)
        if claim.severity == "error" and not claim.suggestion:
            b.problem(f"claim {claim.id!r} is error-level but has no suggestion", node)
        claims[claim.id] = claim
        claim_nodes[claim.id] = node

    for claim in claims.values():
        if claim.negated and claims.get(claim.negated, None) is None:
            b.problem(f"claim {claim.id!r}: 'negated' names unknown claim {claim.negated!r}",
                      claim_nodes[claim.id], "negated")
    for required in REQUIRED_CLAIMS:
        if required not in claims:
            b.problem(f"the knowledge base must define claim {required!r}", data, "claims")

    if b.problems:
        raise _combined(b.problems)
    return KnowledgeBase(
        version=version, sha256=sha256, path=path, sources=sources, subjects=subjects,
        predicates=predicates, topics=topics, claims=claims,
    )


def _check_markers(b: _Builder, claim: Claim, node: _Map) -> None:
    """Every sentence users read as fact names its sources, and only sources the claim lists; every listed
    source backs some sentence. So a reader can see which source says what, and an edit that drops or
    changes a sentence's source is caught here rather than in review."""
    cited: set[str] = set()
    for key in CITED_FIELDS:
        for number, (sentence, ids) in enumerate(cited_sentences(getattr(claim, key)), 1):
            if not ids:
                b.problem(f"claim {claim.id!r}: sentence {number} of {key!r} has no citation marker such as "
                          f"[{claim.sources[0] if claim.sources else 'SOURCE-ID'}]: {sentence!r}", node, key)
            for source_id in ids:
                if source_id not in claim.sources:
                    b.problem(f"claim {claim.id!r}: {key!r} cites [{source_id}], which is not in its 'sources'",
                              node, key)
            cited.update(ids)
    for source_id in claim.sources:
        if source_id not in cited:
            b.problem(f"claim {claim.id!r} lists source {source_id!r}, but no sentence of its explanation or FDA "
                      f"status cites it", node, "sources")


def _check_terms_belong_to_one_topic(b: _Builder, topics: dict[str, Topic], nodes: Any) -> None:
    """A phrase in two topics would make the topic of a claim a coin toss."""
    from .normalize import phrase_stems

    owner: dict[tuple[str, ...], str] = {}
    by_id = {n.get("id"): n for n in nodes or [] if isinstance(n, _Map)}
    for topic in topics.values():
        for phrase in topic.terms + topic.benefit_terms:
            key = phrase_stems(phrase)
            if key in owner and owner[key] != topic.id:
                b.problem(f"term {phrase!r} of topic {topic.id!r} is already a term of topic {owner[key]!r}",
                          by_id.get(topic.id), "terms")
            owner.setdefault(key, topic.id)


def default_kb_path() -> Path:
    """The KB shipped in the wheel, or the repository's copy when running from a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "claims.yaml"
    return packaged if packaged.is_file() else here.parent / "data" / "claims.yaml"


def _read(path: Path, shown: str) -> bytes:
    """The bytes of a KB file: a regular file of at most MAX_KB_BYTES (a pipe or /dev/zero never ends)."""
    too_big = KnowledgeBaseError(f"knowledge base larger than {MAX_KB_BYTES // (1024 * 1024)} MiB", path=shown)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise KnowledgeBaseError("knowledge base path is a directory", path=shown)
        if not stat.S_ISREG(info.st_mode):
            raise KnowledgeBaseError("knowledge base is not a regular file (a pipe, socket or device)", path=shown)
        if info.st_size > MAX_KB_BYTES:
            raise too_big
        with path.open("rb") as stream:
            raw = stream.read(MAX_KB_BYTES + 1)
    except FileNotFoundError:
        raise KnowledgeBaseError("knowledge base file not found", path=shown) from None
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read knowledge base: {exc.strerror}", path=shown) from None
    if len(raw) > MAX_KB_BYTES:
        raise too_big
    return raw


_cache: dict[str, KnowledgeBase] = {}


class KbFiles(FrozenRecord):
    __slots__ = ("names", "raws", "sha256")  # the fields in order, as repr and == take them

    names: tuple[str, ...]  # as given (or the built-in path), base first, for messages
    raws: tuple[bytes, ...]
    sha256: str

    def __init__(self, names: tuple[str, ...], raws: tuple[bytes, ...], sha256: str) -> None:
        self._fill(names, raws, sha256)


def read_kb_files(path: str | Path | None = None, overlays: Sequence[str | Path] = ()) -> KbFiles:
    """The bytes of a KB (the built-in one by default) and its overlays, with the digest naming them."""
    base = Path(path) if path is not None else default_kb_path()
    names = [str(path) if path is not None else str(base)] + [str(o) for o in overlays]
    raws = tuple(_read(Path(file), name) for file, name in zip([base, *overlays], names))
    digest = sha256(raws[0])
    for raw in raws[1:]:
        digest.update(b"\0overlay\0" + raw)
    return KbFiles(tuple(names), raws, digest.hexdigest())


def load_kb(path: str | Path | None = None, overlays: Sequence[str | Path] = ()) -> KnowledgeBase:
    """Load and validate a knowledge base: `path` (the built-in one by default) with `overlays` merged
    over it in order. Memoised per process on the content of every file involved."""
    return build_kb(read_kb_files(path, overlays))


def build_kb(files: KbFiles) -> KnowledgeBase:
    """Parse, merge and validate the files read by `read_kb_files` (memoised on their digest)."""
    cached = _cache.get(files.sha256)
    if cached is not None:
        return cached
    data = _parse_yaml(files.raws[0], files.names[0])
    problems: list[KnowledgeBaseError] = []
    for shown, raw in zip(files.names[1:], files.raws[1:]):
        _apply_overlay(data, _parse_yaml(raw, shown), shown, problems)
    if problems:
        raise _combined(problems)
    kb = _build(data, files.names[0], files.sha256)
    if len(files.names) > 1:
        kb = replace(kb, overlays=files.names[1:])
    _cache[files.sha256] = kb
    return kb


# --- overlays -----------------------------------------------------------------------------------------

OVERLAY_KEYS = ("version", "sources", "subjects", "predicates", "topics", "claims", "disable")
# Fields an overlay may change on an existing claim; lists named in APPENDED grow instead of being replaced.
CLAIM_OVERRIDES = (
    "claim", "verdict", "severity", "fda_status", "evidence_level", "explanation", "sources", "suggestion",
    "cues", "negated", "examples", "deprecated", "families",
)
TOPIC_OVERRIDES = ("name", "terms", "benefit_terms", "broad")
APPENDED = ("cues", "examples", "terms", "benefit_terms", "families")


def _apply_overlay(base: Any, overlay: Any, path: str, problems: list[KnowledgeBaseError]) -> None:
    """Merge one overlay file into the parsed base KB, in place.

    An overlay adds sources, subject and predicate phrases, topics and claims; changes fields of existing
    topics and claims by id (lists of phrases grow, other fields are replaced); and `disable`s claims.
    Changing what an entry *is* (a claim's kind or topic, a source already defined) is a conflict.
    """
    def problem(message: str, node: Any, key: str | None = None) -> None:
        line, column = node.mark(key) if isinstance(node, _Map) and key else (node.line, node.column)
        problems.append(KnowledgeBaseError(message, path=path, line=line, column=column))

    if not isinstance(overlay, _Map):
        problems.append(KnowledgeBaseError("an overlay must be a YAML mapping", path=path, line=1))
        return
    for key in overlay:
        if key not in OVERLAY_KEYS:
            problem(f"unknown overlay key {key!r}; expected one of: {', '.join(OVERLAY_KEYS)}", overlay, key)
    for section in ("subjects", "predicates"):
        extra = overlay.get(section)
        if extra is None:
            continue
        if not isinstance(extra, _Map):
            problem(f"{section!r} must be a mapping of phrase lists", overlay, section)
            continue
        target = base.setdefault(section, _Map())
        for key, phrases in extra.items():
            if not isinstance(phrases, list):
                problem(f"{section}.{key} must be a list", extra, key)
                continue
            current = target.get(key)
            target[key] = _Seq(list(current or []) + [p for p in phrases if p not in (current or [])])
            target[key].path, target[key].line, target[key].column = path, *extra.mark(key)
            target[key].item_marks = [extra.mark(key)] * len(target[key])
    _merge_entries(base, overlay, "sources", (), problem)
    _merge_entries(base, overlay, "topics", TOPIC_OVERRIDES, problem)
    _merge_entries(base, overlay, "claims", CLAIM_OVERRIDES, problem)
    disable = overlay.get("disable") or []
    if not isinstance(disable, list):
        problem("'disable' must be a list of claim ids", overlay, "disable")
        return
    claims = base.get("claims") or []
    for claim_id in disable:
        kept = [c for c in claims if not (isinstance(c, _Map) and c.get("id") == claim_id)]
        if len(kept) == len(claims):
            problem(f"cannot disable unknown claim {claim_id!r}", overlay, "disable")
        claims[:] = kept


def _merge_entries(base: Any, overlay: _Map, section: str, overridable: tuple[str, ...], problem: Any) -> None:
    entries = overlay.get(section)
    if entries is None:
        return
    if not isinstance(entries, list):
        problem(f"{section!r} must be a list", overlay, section)
        return
    existing = {e.get("id"): e for e in base.get(section) or [] if isinstance(e, _Map)}
    for entry in entries:
        if not isinstance(entry, _Map) or not isinstance(entry.get("id"), str):
            problem(f"each {section!r} entry must be a mapping with an 'id'", entry if isinstance(entry, _Map) else overlay, None)
            continue
        target = existing.get(entry["id"])
        if target is None:
            base.setdefault(section, _Seq()).append(entry)
            existing[entry["id"]] = entry
            continue
        if not overridable:
            problem(f"{section[:-1]} {entry['id']!r} is already defined at {target.path}:{target.line}", entry, "id")
            continue
        for key, value in entry.items():
            if key == "id":
                continue
            if key not in overridable:
                if target.get(key) != value:
                    problem(f"cannot change {key!r} of existing {section[:-1]} {entry['id']!r} "
                            f"(defined at {target.path}:{target.line}); add a new entry instead", entry, key)
                continue
            if key in APPENDED and isinstance(value, list):
                value = _Seq(list(target.get(key) or []) + [v for v in value if v not in (target.get(key) or [])])
                value.path, value.line, value.column = entry.path, *entry.mark(key)
                value.item_marks = [entry.mark(key)] * len(value)
            target[key] = value
            target.key_marks[key] = entry.mark(key)
            target.key_paths[key] = entry.path


def _combined(problems: list[KnowledgeBaseError]) -> KnowledgeBaseError:
    first = problems[0]
    if len(problems) == 1:
        return first
    return KnowledgeBaseError(first.message + f" (and {len(problems) - 1} more problem(s))", path=first.path,
                              line=first.line, column=first.column, problems=problems)
