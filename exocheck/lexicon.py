"""Compile every phrase of the knowledge base into one index, built once per knowledge base.

The index is keyed on the first stem of each phrase, so finding every phrase in a sentence costs one
dictionary lookup per token whatever the size of the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass

from .kb import KnowledgeBase
from .modality import Words
from .normalize import ARTICLES, phrase_stems

# Hit categories
SUBJECT, WEAK_SUBJECT, EXCLUDE, OTHER_THERAPY = "subject", "weak-subject", "exclude", "other-therapy"
STRONG, WEAK, USE = "strong", "weak", "use"  # predicate strengths
TOPIC, BENEFIT, CUE = "topic", "benefit", "cue"


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    key: str  # topic id, claim id or predicate strength
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    phrase: str  # the KB phrase, for the finding's cues


class Lexicon:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], str, str, str, bool]]] = {}
        self._added: set[tuple[tuple[str, ...], str, str, bool]] = set()
        subjects = kb.subjects
        for phrase in subjects.terms + subjects.products:
            self._add(phrase, SUBJECT, "")
        for phrase in subjects.weak_terms:
            self._add(phrase, WEAK_SUBJECT, "")
        for phrase in subjects.exclude:
            self._add(phrase, EXCLUDE, "")
        for phrase in subjects.other_therapies:
            self._add(phrase, OTHER_THERAPY, "")
        for strength, phrases in ((STRONG, kb.predicates.strong), (WEAK, kb.predicates.weak),
                                  (USE, kb.predicates.intended_use)):
            for phrase in phrases:
                self._add(phrase, strength, strength)
        for topic in kb.topics.values():
            for phrase in topic.terms:
                self._add(phrase, TOPIC, topic.id)
            for phrase in topic.benefit_terms:
                self._add(phrase, BENEFIT, topic.id)
        for claim in kb.claims.values():
            if claim.deprecated:
                continue
            for phrase in claim.cues:
                self._add(phrase, CUE, claim.id)
        for entries in self._index.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def _add(self, phrase: str, category: str, key: str) -> None:
        stems = phrase_stems(phrase)
        if stems:
            # A short all-capitals term ("MS", "ED") only matches when written in capitals.
            cased = phrase.isupper() and len(phrase) <= 5 and len(stems) == 1
            # a set, so a huge overlay compiles in linear time; "EV" (capitals only) does not hide "EVs" (any case)
            if (stems, category, key, cased) not in self._added:
                self._added.add((stems, category, key, cased))
                self._index.setdefault(stems[0], []).append((stems, category, key, phrase, cased))

    def find(self, toks: Words) -> list[Hit]:
        """Every phrase occurrence, skipping articles inside phrases; contained topic/cue hits dropped."""
        stems, words = toks.stems, toks.words
        hits: list[Hit] = []
        count = len(stems)
        for i in range(count):
            bucket = self._index.get(stems[i])
            if not bucket or words[i] in ARTICLES:
                continue
            following = i + 1  # the next word that is not an article: most phrases fail on it, cheaply
            while following < count and words[following] in ARTICLES:
                following += 1
            next_stem = stems[following] if following < count else None
            for phrase_stems_, category, key, phrase, cased in bucket:
                if cased and not toks.upper[i]:
                    continue
                if len(phrase_stems_) == 1:
                    end: int | None = i + 1
                elif phrase_stems_[1] != next_stem and phrase_stems_[1] != "*":
                    continue
                else:
                    end = _match(stems, words, i + 1, phrase_stems_, 1)
                if end is not None:
                    hits.append(Hit(category, key, i, end, phrase))
        return _longest(hits)


MAX_GAP = 4  # words a `*` in a KB phrase may stand for: "stop * medication"


def _match(stems: list[str], words: list[str], j: int, phrase: tuple[str, ...], k: int) -> int | None:
    """End (exclusive) of `phrase[k:]` matched from word `j`, or None."""
    while k < len(phrase):
        if phrase[k] == "*":
            for gap in range(MAX_GAP + 1):
                end = _match(stems, words, j + gap, phrase, k + 1)
                if end is not None:
                    return end
            return None
        if j >= len(stems):
            return None
        if words[j] in ARTICLES:
            j += 1
            continue
        if stems[j] != phrase[k]:
            return None
        j, k = j + 1, k + 1
    return j


_GROUPS = {TOPIC: "topic", BENEFIT: "topic", CUE: "cue"}


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop a topic or cue hit that lies inside a longer one of the same group.

    "acne scar" is about acne scars, not wounds ("scar"); "no risk of rejection" is one safety claim,
    not two ("no risk"). A sweep in start order keeps this linear in the number of hits.
    """
    dropped: set[int] = set()
    for group in set(_GROUPS.values()):
        members = sorted((h.start, -(h.end - h.start), i) for i, h in enumerate(hits)
                         if _GROUPS.get(hits[i].category) == group)
        furthest = (-1, -1)  # (end, start) of the hit reaching furthest so far
        for start, negative_length, i in members:
            end = start - negative_length
            if furthest[0] > end or (furthest[0] == end and furthest[1] < start):
                dropped.add(i)
            elif end > furthest[0]:
                furthest = (end, start)
    return [h for i, h in enumerate(hits) if i not in dropped]
