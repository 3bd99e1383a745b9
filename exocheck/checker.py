"""From text to findings: the checker compiled once for a KB, and the scan of one document in order.

One direction (docs/design.md, "Flow"): segment.split -> `Checker.analysed` (modality.analyse, the lexicon's
hits, hits.classify) -> subject.subject_of (with the discourse context) -> `Checker.decide` (claims: cue,
topic and fallback claims, pruned) -> findings, in document order. Nothing here prints or touches files.
"""

from __future__ import annotations

import re
from functools import cached_property

from . import claims, langid, modality
from .claims import SUBJECT_WEIGHT, Candidate, Entries
from .hits import Analysis, classify
from .kb import Claim, KnowledgeBase, load_kb
from .language import LANGUAGE
from .lexicon import Lexicon
from .model import Citation, Finding, Report
from .normalize import fold, fold_keep_case, phrase_stems, tokens
from .patterns import LazyPattern
from .record import Record
from .segment import HEADING, ITEM, TEXT, LineIndex, Sentence, count, split
from .subject import Context, names_given, names_other_therapy, subject_of

MEMO_ANALYSES = 8192  # sentences whose words and phrase hits are kept (about 2 KB each)
MEMO_DECISIONS = 32768  # (sentence, context) pairs whose candidate claims are kept
PREFILTER_FROM = 4096  # characters; below this, compiling the document prefilter costs more than it saves
REGISTER_FROM_FIRST = 100_000  # characters read to tell a research or critical document from a seller's

_DOWNGRADE = {"error": "warning", "warning": "info", "info": "info"}
_AFFIRMATIVE = LANGUAGE.affirmatives
_TOPICAL = frozenset({"disease", "structure-function", "health"})


class Checker:
    """A knowledge base compiled for checking; build once, use for any number of texts."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon | None = None) -> None:
        """`lexicon`: the KB's lexicon compiled before (the disk cache keeps it), instead of compiling it."""
        self.kb = kb
        self.lexicon = lexicon if lexicon is not None else Lexicon(kb)
        self.entries = Entries.of(kb)
        self._strong_subject = _phrase_regex(kb.subjects.terms + kb.subjects.products)
        # compiled on first use: most single checks are too short to need it
        self._prefilter_source = _subject_prefilter(kb.subjects.terms + kb.subjects.products)
        self._mentions_subject: re.Pattern[str] | None = None
        self._sources: dict[tuple[str, str], tuple[str, tuple[Citation, ...]]] = {}
        self.claim_ids = frozenset(kb.claims)
        # Memos of pure per-sentence work (never mutated once stored), bounded to keep memory flat.
        self._analyses: dict[str, Analysis] = {}
        self._decided: dict[tuple, list[Candidate]] = {}
        self._names: dict[str, tuple[tuple[str, ...], ...]] = {}

    def check(self, text: str, path: str = "<text>", original: str | None = None) -> Report:
        """Check `text`. For Markdown or HTML, `text` is the masked form (markup replaced by fillers, same
        length) and `original` the file itself, which positions and reported sentences come from."""
        original = text if original is None else original
        strong = None  # found by the scan itself, if a weak term needs it
        if len(text) >= PREFILTER_FROM and self._prefilter_source is not None:
            loose, strong = self.mentions(fold(text))
            if not loose:
                # No sentence can be about an exosome product, so none can make a claim: most pages of a crawl.
                report = self.empty_report(self.sentences_in(text))
                report.path = path
                return langid.noted(report, text, path)
        scan = Scan(self, path, strong)
        report = scan.feed(text, original)
        report.named = int(scan.strong if scan.strong is not None else self.names_strongly(text))
        return langid.noted(report, text, path)  # not English: a notice

    def mentions(self, folded: str) -> tuple[bool, bool]:
        """Whether folded text may name an exosome product (the prefilter: never a false "no"), and whether
        it names one by a strong term, which lets "EVs" count as one (see `Scan`)."""
        source = self._prefilter_source
        loose = source is None or (self._may_mention(folded) and self._prefilter(source).search(folded) is not None)
        return loose, loose and self._strong_subject.search(folded) is not None

    def _may_mention(self, folded: str) -> bool:
        """The prefilter's first test (`_prefilter_words`): False only where its regex finds nothing."""
        if self._first_test is None:
            return True
        groups, short = self._first_test
        return any(all(word in folded for word in group) for group in groups) \
            or (short is not None and short.search(folded) is not None)

    @cached_property
    def _first_test(self) -> tuple[tuple[tuple[str, ...], ...], re.Pattern[str] | None] | None:
        return _prefilter_words(self.kb.subjects.terms + self.kb.subjects.products)

    def names_strongly(self, text: str) -> bool:
        """Whether `text` names an exosome product by a strong term ("exosome", a brand)."""
        return self._strong_subject.search(fold(text)) is not None

    def sentences_in(self, text: str) -> int:
        """How many sentences a check of `text` reads, for the summary of one it can skip (counted, not made)."""
        return count(_without_addresses(text))

    def empty_report(self, sentences: int = 0, files: int = 1) -> Report:
        return Report(files=files, sentences=sentences, kb_version=self.kb.version, kb_sha256=self.kb.sha256)

    def analysed(self, text: str) -> Analysis:
        """A sentence folded, split into words, matched against the lexicon and its hits classified:
        memoised on the text, because sites repeat their boilerplate (disclaimers, calls to action, product
        names) on every page."""
        analysis = self._analyses.get(text)
        if analysis is None:
            cased = fold_keep_case(text)
            folded = cased.casefold()  # fold(text), without folding twice
            words = modality.analyse(folded, cased)
            entries = self.entries
            hits = classify(folded, words, self.lexicon.find(words), entries.kinds, entries.evidence_is_early.id,
                            entries.warning_ids)
            analysis = Analysis(folded, words, hits)
            _remember(self._analyses, text, analysis, MEMO_ANALYSES)
        return analysis

    def names_given(self, text: str, analysis: Analysis) -> tuple[tuple[str, ...], ...]:
        """The names a sentence that names the product gives it ("Zofin is an exosome-based therapeutic"),
        memoised as its analysis is: pages repeat their product's sentences."""
        names = self._names.get(text)
        if names is None:
            names = names_given(text, analysis.words, analysis.hits)
            _remember(self._names, text, names, MEMO_ANALYSES)
        return names

    def decide(self, analysis: Analysis, sentence: Sentence, subject: str, explicit: bool,
               context: Context) -> list[Candidate]:
        """The claims of a sentence about an exosome product (`subject` says how), in its context.

        Memoised without the earlier topics when the sentence names its own, as most do: then a sentence
        repeated under other topics is decided once."""
        text, role = sentence.text, sentence.role
        lead_in = context.lead_in_for(text, role)
        key = (text, subject, explicit, lead_in, context.research, context.critical, role)
        decided = self._decided.get(key)
        if decided is None:
            in_context = (key, context.topics, context.heading_topics)
            decided = self._decided.get(in_context)
            if decided is None:
                # a heading or list line is a fragment: its subject is the section's
                decided, uses_context = claims.candidates(self.entries, analysis.words, analysis.hits,
                                                          SUBJECT_WEIGHT[subject], context, explicit, lead_in,
                                                          role != TEXT, role == HEADING)
                if subject == "facts":
                    decided = [c for c in decided if c.claim.kind == "fact" and c.claim.verdict == "accurate"]
                elif subject == "ambient":
                    decided = [c for c in decided if c.claim.kind not in _TOPICAL]
                _remember(self._decided, in_context if uses_context else key, decided, MEMO_DECISIONS)
        return decided

    def explained(self, claim: Claim, topic: str) -> tuple[str, tuple[Citation, ...]]:
        """Explanation and citations of a finding, built once per (claim, topic) and shared by findings."""
        key = (claim.id, topic)
        cached = self._sources.get(key)
        if cached is None:
            explanation, sources = claim.explanation, list(self.kb.citations(claim))
            topic_claim = self.entries.topic_claims.get(topic)
            if claim.kind == "fact" and topic_claim is not None:
                # "Exosomes do not cure hair loss." is accurate; say what the hair-loss evidence is, and cite it.
                explanation = f"{explanation} On {self.kb.topics[topic].name.lower()}: {topic_claim.explanation}"
                sources += [s for s in self.kb.citations(topic_claim) if s not in sources]
            cached = (explanation, tuple(Citation(s.id, s.title, s.publisher, s.date, s.url, s.doi) for s in sources))
            self._sources[key] = cached
        return cached

    def _prefilter(self, source: str) -> re.Pattern[str]:
        if self._mentions_subject is None:
            self._mentions_subject = re.compile(source)
        return self._mentions_subject


class _Asked(Record):
    """A question whose claims wait for the next sentence: "Do exosomes regrow hair? Yes, in 8 weeks."."""

    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "start", "line", "column", "local", "text", "candidates",
    )

    start: int  # offset in the whole document
    line: int
    column: int
    local: int | None  # its start in the piece being checked; None once that piece is done
    text: str  # its original text to the end of its piece, once that piece is done
    candidates: list[Candidate]

    def __init__(self, start: int, line: int, column: int, local: int | None, text: str, candidates: list[Candidate]) -> None:
        self.start = start
        self.line = line
        self.column = column
        self.local = local
        self.text = text
        self.candidates = candidates


class Scan:
    """One document checked in order, whole or piece by piece: what earlier sentences established (whose
    claims these are, the topic in play, a question waiting for its answer) carries over from one piece
    to the next, so a file checked in pieces gets the findings it gets checked whole.

    `strong` says whether the document names an exosome product by a strong term anywhere ("exosome",
    a brand): only then does a weak term ("EVs") count as one. None means: look in the piece itself,
    which is right when the piece is the whole document.
    """

    def __init__(self, checker: Checker, path: str, strong: bool | None = None) -> None:
        self.checker = checker
        self.path = path
        self.strong = strong
        self.context = Context()
        self.asked: _Asked | None = None

    def feed(self, text: str, original: str | None = None, offset: int = 0, first_line: int = 1) -> Report:
        """Findings of the next piece: `text` (masked, if markup was) and `original` start at character
        `offset` and line `first_line` of the document; each piece must start at the start of a line."""
        checker, context, path = self.checker, self.context, self.path
        original = text if original is None else original
        sentences = split(_without_addresses(text))
        if offset == 0:
            # a document's register shows in its first pages; a 50 MB file is not read three more times for it
            opening = fold(text[:REGISTER_FROM_FIRST])
            context.research = modality.research_register(opening)
            context.critical = context.research or modality.critical_register(opening)

        def strongly_named() -> bool:
            """Whether the document names a product by a strong term: looked for once, when first needed."""
            if self.strong is None:
                self.strong = checker.names_strongly(text)
            return self.strong

        lines = LineIndex(original)
        place = _Place(path, original, lines, offset, first_line - 1)
        findings: list[Finding] = []
        for sentence in sentences:  # one pass, keeping nothing per sentence but its findings
            analysis = checker.analysed(sentence.text)
            words, hits, role = analysis.words.words, analysis.hits, sentence.role
            explicit = hits.explicit or (hits.weak and strongly_named()) or context.names_by_alias(words)
            other = names_other_therapy(words, hits)
            subject = subject_of(words, hits, role, context, explicit, other, strongly_named)
            candidates: list[Candidate] = []
            asked, self.asked = self.asked, None
            if subject:
                decided = checker.decide(analysis, sentence, subject, explicit, context)
                if modality.is_question(sentence.text, words, role in (HEADING, ITEM)):
                    # not an assertion, unless the next sentence says yes
                    line, column = lines.position(sentence.start)
                    self.asked = _Asked(offset + sentence.start, first_line - 1 + line, column, sentence.start,
                                        "", decided)
                else:
                    candidates = decided
            if asked is not None and words[:1] and words[0] in _AFFIRMATIVE \
                    and not any(c.claim.verdict == "accurate" for c in candidates):
                # "Do exosomes regrow hair? Yes, in 8 weeks.": the answer asserts what the question asked
                # (unless it says more itself: "Yes, in mice" is a research description).
                said = {c.claim.id for c in candidates}
                findings.extend(place.answered(checker, asked, sentence, c) for c in asked.candidates
                                if c.claim.verdict != "accurate" and c.claim.id not in said)
            findings.extend(place.finding(checker, sentence, c) for c in candidates)
            context.follow(hits, sentence.text, role, explicit, other,
                           checker.names_given(sentence.text, analysis) if hits.explicit else ())
        if self.asked is not None and self.asked.local is not None:  # the answer may open the next piece
            self.asked.text, self.asked.local = original[self.asked.local:], None
        findings.sort(key=lambda f: (f.start, f.claim_id, f.topic))
        return Report(findings=findings, files=1 if offset == 0 else 0, sentences=len(sentences),
                      kb_version=checker.kb.version, kb_sha256=checker.kb.sha256, path=path)


class _Place(Record):
    """Where a piece sits in its document, for turning its sentences into findings with document positions."""

    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "path", "original", "lines", "offset", "line_base",
    )

    path: str
    original: str
    lines: LineIndex
    offset: int
    line_base: int

    def __init__(self, path: str, original: str, lines: LineIndex, offset: int, line_base: int) -> None:
        self.path = path
        self.original = original
        self.lines = lines
        self.offset = offset
        self.line_base = line_base

    def finding(self, checker: Checker, sentence: Sentence, c: Candidate) -> Finding:
        line, column = self.lines.position(sentence.start)
        return self._finding(checker, self.offset + sentence.start, self.line_base + line, column, sentence.end,
                             self.original[sentence.start:sentence.end], c)

    def answered(self, checker: Checker, asked: _Asked, answer: Sentence, c: Candidate) -> Finding:
        """A finding spanning a question and the answer that affirms it, which may open a later piece."""
        said = self.original[asked.local:answer.end] if asked.local is not None \
            else asked.text + self.original[:answer.end]
        return self._finding(checker, asked.start, asked.line, asked.column, answer.end, said, c)

    def _finding(self, checker: Checker, start: int, line: int, column: int, local_end: int, said: str,
                 c: Candidate) -> Finding:
        claim = c.claim
        end_line, end_column = self.lines.position(local_end)
        severity = _DOWNGRADE[claim.severity] if c.hedge else claim.severity
        explanation, citations = checker.explained(claim, c.topic)
        return Finding(
            path=self.path, start=start, end=self.offset + local_end, line=line, column=column,
            end_line=self.line_base + end_line, end_column=end_column, sentence=said,
            verdict=claim.verdict, severity=severity, kind=claim.kind, topic=c.topic, claim_id=claim.id,
            score=c.score, cues=tuple(dict.fromkeys(c.cues)), explanation=explanation,
            fda_status=claim.fda_status, evidence_level=claim.evidence_level, citations=citations,
            suggestion=claim.suggestion,
        )


# A bare address names a page, it does not assert anything: "exosomes-cure-hair-loss.example.com".
_url = LazyPattern(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]|\b[\w.+-]+@[\w-]+\.[\w.-]*\w",
                   re.IGNORECASE)


def _blanked(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _without_addresses(text: str) -> str:
    """`text` with its web and e-mail addresses blanked; most text has none, and the test for the
    characters each needs ("://", "www.", "@") is much cheaper than the search for them."""
    # a text is lowered only if it has "w." or "W.": no other character lowers to "w" or "."
    if "://" in text or "@" in text or (("w." in text or "W." in text) and "www." in text.lower()):
        return _url().sub(_blanked, text)
    return text


def _remember(memo: dict, key: object, value: object, limit: int) -> None:
    if len(memo) >= limit:
        memo.clear()  # cheaper than an LRU and as good for copy that repeats within a site
    memo[key] = value


def _subject_prefilter(phrases: tuple[str, ...]) -> str | None:
    """The source of a regex that finds, in folded text, the start of every word a subject phrase can begin with.

    It must never miss what the lexicon would find, so it is looser: the first stem of each phrase as a
    word prefix ("exosom" finds "exosomal"), less a final "y" that "-ies" words lose, followed by the
    prefix of its second word if it has one. A phrase that starts with a number or a one-letter word
    ("E-50") is looked for as its words, any number for a number. None when there is nothing to look for
    (then every document is checked).
    """
    parts = {part for part, _ in _prefilter_parts(phrases)}
    if not parts:
        return None
    return r"(?<![a-z0-9])(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")"


def _prefilter_parts(phrases: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The prefilter's regex for each phrase (see `_subject_prefilter`), with the words every match of it holds."""
    def prefix(stem: str) -> str | None:
        stem = stem.rstrip("y") if len(stem) > 3 else stem
        return stem if stem not in ("#", "*") and len(stem) >= 2 else None

    parts: list[tuple[str, tuple[str, ...]]] = []
    for phrase in phrases:
        stems = phrase_stems(phrase)
        if not stems or stems[0] == "*":
            continue
        first = prefix(stems[0])
        if first is not None:
            second = prefix(stems[1]) if len(stems) > 1 else None
            # the rest of the first word, then the second (articles between them are skipped, as by the
            # lexicon): "conditioned media" must not let every "condition" through
            parts.append((re.escape(first) + (r"[a-z0-9]*(?:'[a-z]+)?[\W_]+(?:(?:the|an?)[\W_]+)*"
                                              + re.escape(second) if second else ""),
                          (first, second) if second else (first,)))
        else:
            words = tokens(fold(phrase))
            parts.append((r"[\W_]+".join(("[0-9]+" if t.isdigit() else re.escape(t)) for t in words),
                          tuple(t for t in words if not t.isdigit())))
    return parts


def _prefilter_words(phrases: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], re.Pattern[str] | None] | None:
    """A cheaper first test than the prefilter's regex, which it lets through all it would find: the words each
    of its parts holds (one part's all in a text, or the text may be named), and a regex of the parts whose
    words are too short to tell (the part itself, looking behind its first letter, which is quicker than in
    front of it). None when a part starts with no letter (then the regex is the only test)."""
    groups, short = [], []
    for part, words in _prefilter_parts(phrases):
        if max(map(len, words), default=0) >= 3:
            groups.append(tuple(w for w in words if len(w) >= 3))
        elif part[:1].isalpha() and part[:1].isascii():
            short.append(part[0] + "(?<![a-z0-9]" + part[0] + ")" + part[1:])
        else:
            return None
    return _fewest(groups), (re.compile("|".join(short)) if short else None)


def _fewest(groups: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """The groups without those another makes needless: a group whose words all hold another's ("xoglo" and
    "pro", "exosom" beside "xosom"), or repeat it, is in a text only where that one is; each is a scan."""
    def covers(group: tuple[str, ...], other: tuple[str, ...]) -> bool:
        return all(any(word in mine for mine in group) for word in other)

    kept: list[tuple[str, ...]] = []
    for group in groups:
        if not any(covers(group, other) for other in kept):
            kept = [other for other in kept if not covers(other, group)] + [group]
    return tuple(kept)


def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """A regex finding any of `phrases` in folded text by their stems ("exosom" finds "exosomes")."""
    def piece(stem: str) -> str:
        return "[0-9]+" if stem == "#" else re.escape(stem)  # "#" stands for a number ("E-50")

    parts = [r"\w*\W+".join(map(piece, phrase_stems(p))) for p in phrases if phrase_stems(p)]
    return re.compile(r"\b(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")")


_checkers: dict[str, Checker] = {}


def checker_for(kb: KnowledgeBase | None = None) -> Checker:
    """The compiled checker for `kb` (the built-in KB by default), built once per process."""
    kb = kb or load_kb()
    checker = _checkers.get(kb.sha256)
    if checker is None:
        checker = _checkers[kb.sha256] = Checker(kb)
    return checker
