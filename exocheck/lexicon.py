"""Compile every phrase of the knowledge base into one index, built once per knowledge base.

The index is keyed on the first two stems of each phrase (the first alone for a one-word phrase), so
finding every phrase in a sentence costs a few dictionary lookups per token whatever the size of the
knowledge base, and a phrase is only tried where its first two words are.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .kb import KnowledgeBase
from .modality import LOCAL_NEGATORS, Words
from .normalize import ARTICLES, phrase_stems

# Hit categories
SUBJECT, WEAK_SUBJECT, EXCLUDE, OTHER_THERAPY = "subject", "weak-subject", "exclude", "other-therapy"
STRONG, WEAK, USE = "strong", "weak", "use"  # predicate strengths
TOPIC, BENEFIT, CUE = "topic", "benefit", "cue"


class Hit(NamedTuple):
    """One phrase of the KB found in a sentence. A named tuple, not a dataclass: a long page makes tens of
    thousands, and a frozen dataclass costs several times as much to build."""

    category: str
    key: str  # topic id, claim id or predicate strength
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    phrase: str  # the KB phrase, for the finding's cues


# (stems, category, key, phrase as written, whether it matches only in capitals)
_Entry = tuple[tuple[str, ...], str, str, str, bool]


class Lexicon:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._index: dict[str, list[_Entry]] = {}  # by first stem; split below into the three lookups
        self._added: set[tuple[tuple[str, ...], str, str, bool]] = set()  # only while building
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
        # Cue families, indexed on the stems of their anchor group (see _anchor_of).
        self._families: dict[str, list[_Family]] = {}
        for claim in kb.claims.values():
            if claim.deprecated:
                continue
            for phrase in claim.cues:
                self._add(phrase, CUE, claim.id)
            for family in claim.families:
                groups = [frozenset(s for word in group for s in phrase_stems(word)[:1]) for group in family.groups]
                label = " ~ ".join("|".join(group[:2]) for group in family.groups)
                # a family that names no negator is denied by one inside its span: "cause no reactions"
                negatable = not any(LOCAL_NEGATORS.intersection(group) for group in family.groups)
                anchor = _anchor_of(family.groups)
                member = (claim.id, tuple(groups), anchor, family.window, family.ordered, negatable, label)
                for anchor_stem in groups[anchor]:
                    self._families.setdefault(anchor_stem, []).append(member)
        del self._added
        self._lookups()

    def as_data(self) -> dict[str, Any]:
        """The compiled index as plain JSON data, for the disk cache (cache.py): the phrases' stems and the
        cue families, which cost a fold and a stem per word to build."""
        families = {stem: [[claim_id, [sorted(group) for group in groups], *rest]
                           for claim_id, groups, *rest in members] for stem, members in self._families.items()}
        return {"index": self._index, "families": families}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Lexicon:
        """A lexicon from `as_data`'s output, without stemming any phrase again."""
        lexicon = cls.__new__(cls)
        lexicon._index = {first: [(tuple(stems), category, key, phrase, bool(cased))
                                  for stems, category, key, phrase, cased in entries]
                          for first, entries in data["index"].items()}
        lexicon._families = {stem: [(claim_id, tuple(frozenset(group) for group in groups), anchor, window, ordered,
                                     negatable, label)
                                    for claim_id, groups, anchor, window, ordered, negatable, label in members]
                             for stem, members in data["families"].items()}
        lexicon._lookups()
        return lexicon

    def _lookups(self) -> None:
        """Split the index into the three lookups `find` uses."""
        self._family_anchors = frozenset(self._families)
        # Hits at one word come longest phrase first, as listed within a length, whichever lookup found them.
        self._single: dict[str, list[_Entry]] = {}
        self._pairs: dict[tuple[str, str], list[tuple[int, _Entry]]] = {}
        self._gapped: dict[str, list[tuple[int, _Entry]]] = {}  # "stop * medication": any words after the first
        for first, entries in self._index.items():
            entries.sort(key=lambda entry: -len(entry[0]))
            for rank, entry in enumerate(entries):
                stems = entry[0]
                if len(stems) == 1:
                    self._single.setdefault(first, []).append(entry)
                elif stems[1] == "*":
                    self._gapped.setdefault(first, []).append((rank, entry))
                else:
                    self._pairs.setdefault((first, stems[1]), []).append((rank, entry))

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
        single, pairs, gapped = self._single, self._pairs, self._gapped
        for i in range(count):
            first = stems[i]
            if first not in self._index or words[i] in ARTICLES:
                continue
            following = i + 1  # the next word that is not an article
            while following < count and words[following] in ARTICLES:
                following += 1
            longer = pairs.get((first, stems[following])) if following < count else None
            wild = gapped.get(first)
            if wild:
                longer = sorted(longer + wild) if longer else wild
            for _, (phrase_stems_, category, key, phrase, cased) in longer or ():
                if cased and not toks.upper[i]:
                    continue
                if phrase_stems_[1] == "*":
                    end = _match(stems, words, i + 1, phrase_stems_, 1)
                else:  # the first two stems are matched already, by the lookup
                    end = following + 1 if len(phrase_stems_) == 2 else _match(stems, words, following + 1,
                                                                               phrase_stems_, 2)
                if end is not None:
                    hits.append(Hit(category, key, i, end, phrase))
            for _, category, key, phrase, cased in single.get(first, ()):
                if not cased or toks.upper[i]:
                    hits.append(Hit(category, key, i, i + 1, phrase))
        if self._families:
            hits.extend(self._family_hits(toks))
        return _longest(hits)

    def _family_hits(self, toks: Words) -> list[Hit]:
        """Cue families: from each word of a family's anchor group, the nearest word of every other group in
        the same clause (in the groups' order, if the family is ordered), all within its window."""
        stems, hard = toks.stems, toks.hard
        hits: list[Hit] = []
        if self._family_anchors.isdisjoint(stems):  # most sentences: one set test instead of a lookup a word
            return hits
        present = frozenset(stems)
        for stem in self._family_anchors.intersection(present):
            for claim_id, groups, anchor, window, ordered, negatable, label in self._families[stem]:
                if any(group.isdisjoint(present) for group in groups):
                    continue  # a group with no word in the sentence at all: no need to look near the anchor
                for i in (i for i, s in enumerate(stems) if s == stem):
                    span = _family_span(stems, hard, i, groups, anchor, window, ordered)
                    if span is not None and not (
                            negatable and LOCAL_NEGATORS.intersection(toks.words[span[0]:span[1]])):
                        hits.append(Hit(CUE, claim_id, span[0], span[1] + 1, label))
        hits.sort(key=lambda hit: hit.start)
        return hits


# (claim id, the groups' stems, the anchor group's index, window, ordered, negatable, label)
_Family = tuple[str, tuple[frozenset[str], ...], int, int, bool, bool, str]


def _anchor_of(groups: tuple[tuple[str, ...], ...]) -> int:
    """The group a family is looked up by: the one of the longest words on average, which are the rarest
    ("cautious wary" rather than "be stay"), so that common words cost no family lookups."""
    return max(range(len(groups)), key=lambda g: sum(map(len, groups[g])) / len(groups[g]))


def _family_span(stems: list[str], hard: list[int], i: int, groups: tuple[frozenset[str], ...], anchor: int,
                 window: int, ordered: bool) -> tuple[int, int] | None:
    """First and last word of a family matched around its anchor word at `i`, or None."""
    low, high = max(0, i - window + 1), min(len(stems), i + window)
    first = last = i
    if ordered:  # the groups after the anchor follow it in order, the ones before precede it
        for group in groups[anchor + 1:]:
            last = next((j for j in range(last + 1, high) if hard[j] == hard[i] and stems[j] in group), -1)
            if last < 0:
                return None
        for group in reversed(groups[:anchor]):
            first = next((j for j in range(first - 1, low - 1, -1) if hard[j] == hard[i] and stems[j] in group), -1)
            if first < 0:
                return None
    else:
        for g, group in enumerate(groups):
            if g == anchor:
                continue
            near = [j for j in range(low, high) if j != i and hard[j] == hard[i] and stems[j] in group]
            if not near:
                return None
            j = min(near, key=lambda j: abs(j - i))
            first, last = min(first, j), max(last, j)
    return (first, last) if last - first < window else None


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




def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop a topic or cue hit that lies inside a longer one of the same group.

    "acne scar" is about acne scars, not wounds ("scar"); "no risk of rejection" is one safety claim,
    not two ("no risk"). A sweep in start order keeps this linear in the number of hits.
    """
    dropped: set[int] = set()
    topics: list[tuple[int, int, int]] = []
    cues: list[tuple[int, int, int]] = []
    for i, h in enumerate(hits):
        if h.category == CUE:
            cues.append((h.start, h.start - h.end, i))
        elif h.category == TOPIC or h.category == BENEFIT:
            topics.append((h.start, h.start - h.end, i))
    for members in (topics, cues):
        if len(members) < 2:
            continue
        members.sort()
        furthest = (-1, -1)  # (end, start) of the hit reaching furthest so far
        for start, negative_length, i in members:
            end = start - negative_length
            if furthest[0] > end or (furthest[0] == end and furthest[1] < start):
                dropped.add(i)
            elif end > furthest[0]:
                furthest = (end, start)
    return [h for i, h in enumerate(hits) if i not in dropped] if dropped else hits
