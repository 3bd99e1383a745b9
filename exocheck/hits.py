"""A sentence's phrase hits sorted once by what each can do: name the product, name another therapy, link a
claim (predicates), name a topic, or carry a claim of its own (cues).

The checker memoises this with the sentence's words, so a sentence repeated across pages (boilerplate) is
classified once, and the later stages (subject, claims) read fields instead of filtering the hits again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from . import modality
from .language import LANGUAGE
from .lexicon import (
    BENEFIT,
    CUE,
    EXCLUDE,
    OTHER_THERAPY,
    STRONG,
    SUBJECT,
    TOPIC,
    USE,
    WEAK,
    WEAK_SUBJECT,
    Hit,
)
from .normalize import ARTICLES

_PRODUCT_NOUNS = LANGUAGE.product_nouns
_PRODUCT_ANAPHORS = LANGUAGE.product_anaphors
_CLAIMANTS = LANGUAGE.claimants
_REGARDING = LANGUAGE.regarding_verbs
_FIELDS = LANGUAGE.field_words
_SOURCE_OR_YARDSTICK = LANGUAGE.source_words
_RELATIVES = LANGUAGE.relative_pronouns
_ORIGINS = LANGUAGE.origin_words
_PREDICATES = (STRONG, WEAK, USE)
_SUBJECTS = (SUBJECT, WEAK_SUBJECT)
_NO_CLAUSES: frozenset[int] = frozenset()


class SentenceHits(NamedTuple):
    """The hits of one sentence, by role. The first group reads every hit (what the sentence is about,
    what it leaves to the next); the rest reads only the hits that can make a claim: those outside the
    supplement disclaimer and outside advice clauses ("ask your doctor about proven options").

    Immutable, as a memoised value must be; a NamedTuple rather than a frozen dataclass, whose
    field-by-field `object.__setattr__` made building one cost more than classifying the hits."""

    every: tuple[Hit, ...]  # in the lexicon's order
    explicit: bool  # a subject term names the product
    weak: bool  # only a weak term ("EVs") may, and nothing excludes it ("electric vehicle")
    others: tuple[int, ...]  # where other therapies are named (PRP, minoxidil ...)
    named: tuple[str, ...]  # topics and benefits named, first mention first, for the next sentences
    first_verb: Hit | None  # the first predicate ("helps", "for"): a lead-in line's verb

    subject_cues: tuple[str, ...]  # the first subject term, as the cue every claim of the sentence shows
    other_clauses: frozenset[int]  # clauses about another therapy and no exosome product
    predicates: tuple[Hit, ...]  # that can link a topic: not a product noun, "slowly", "regard as"
    cues: tuple[Hit, ...]
    cue_negators: tuple[str | None, ...]  # the negator governing each cue
    topics: tuple[Hit, ...]  # topics and benefits that can be claimed (not a business's name, not warned of)
    evidence_cue: bool  # an evidence claim's cue, not negated: the sentence claims proof itself
    early_cue: bool  # an early-evidence cue, even negated
    early_fact: bool  # an early-evidence cue, not negated
    fact_spans: tuple[tuple[int, int], ...]  # spans of accurate facts' cues, not negated

    def about_other(self, w: modality.Words, position: int) -> bool:
        """Whether the word at `position` sits in a clause about another therapy only."""
        return w.hard[position] in self.other_clauses


def classify(folded: str, w: modality.Words, hits: list[Hit], kinds: Mapping[str, str], early: str,
             warnings: frozenset[str]) -> SentenceHits:
    """`hits` sorted by role in one pass. `kinds` gives each claim id's kind, `early` is the id of the
    early-evidence fact, `warnings` the ids of facts that report a warning (what they warn of is no claim)."""
    words, hard = w.words, w.hard
    disclaimer = modality.disclaimer_span(folded)
    advice = modality.advice_clauses(w)
    explicit = weak = exclude = False
    others: list[int] = []
    named: dict[str, None] = {}
    first_verb: Hit | None = None
    subject_cues: tuple[str, ...] = ()
    subject_clauses: set[int] = set()
    other_clauses: set[int] = set()
    other_starts: list[int] = []
    predicates: list[Hit] = []
    topic_ends: set[int] = set()
    cues: list[Hit] = []
    negators: list[str | None] = []
    topics: list[Hit] = []
    warned: set[int] | None = None
    evidence_cue = early_cue = early_fact = False
    fact_spans: list[tuple[int, int]] = []
    for hit in hits:
        category, start = hit.category, hit.start
        if category == SUBJECT:
            explicit = True
        elif category == WEAK_SUBJECT:
            weak = True
        elif category == EXCLUDE:
            exclude = True
        elif category == OTHER_THERAPY:
            others.append(start)
        elif category in (TOPIC, BENEFIT):
            named[hit.key] = None
        elif first_verb is None and category in (STRONG, WEAK, USE):
            first_verb = hit
        if disclaimer is not None and disclaimer[0] <= start <= disclaimer[1] or advice and hard[start] in advice \
                and not (category == CUE and kinds[hit.key] == "fact"):
            continue  # a fact stays one in advice: "FDA cautions consumers to be wary of unapproved clinics"
        if category in _SUBJECTS:
            subject_clauses.add(hard[start])
            subject_cues = subject_cues or (hit.phrase,)
        elif category == OTHER_THERAPY:
            # "released by stem cells", "safer than PRP": a therapy named as a source or a yardstick is
            # not what the clause is about
            if _SOURCE_OR_YARDSTICK.isdisjoint(words[max(0, start - 2) : start]):
                other_starts.append(start)
        elif category in _PREDICATES:
            predicates.append(hit)
        elif category == CUE:
            negator = modality.negation_at(w, start)
            cues.append(hit)
            negators.append(negator)
            kind = kinds[hit.key]
            if hit.key == early:
                early_cue = True
                early_fact = early_fact or not negator
            if not negator:
                if kind == "evidence":
                    evidence_cue = True
                elif kind == "fact":
                    fact_spans.append((start, hit.end))
                if hit.key in warnings:
                    warned = warned or set()
                    warned.add(hard[start])
        elif category in (TOPIC, BENEFIT):
            if category == TOPIC:
                topic_ends.add(hit.end)
            if not _names_a_business(words, hit.start, hit.end):
                topics.append(hit)
    for start in other_starts:
        # "It wakes up your own stem cells": a therapy after a predicate or a word for the product is the
        # object of the clause, not what it is about
        clause = hard[start]
        if not any(hard[p.start] == clause and p.start < start for p in predicates) \
                and _PRODUCT_ANAPHORS.isdisjoint(words[i] for i in range(start) if hard[i] == clause):
            other_clauses.add(clause)
    if others and not _RELATIVES.isdisjoint(w.vocab):
        # "Unlike Botox, which is FDA approved, ...": a relative clause right after a clause that names another
        # therapy (as its subject or as a yardstick, not as a source: "from stem cells, which") is about it
        named_other = {hard[start] for start in others if _ORIGINS.isdisjoint(words[max(0, start - 2) : start])}
        other_clauses.update(hard[i] for i in range(1, len(words)) if words[i] in _RELATIVES
                             and hard[i] != hard[i - 1] and hard[i - 1] in named_other)
    if predicates:
        # "exosome treatment", "the treatment" name the product; only a predicate elsewhere makes a claim,
        # or the noun right after a condition: "the most effective hair-loss treatment".
        predicates = [p for p in predicates if (words[p.start] not in _PRODUCT_NOUNS or p.start in topic_ends)
                      and not (words[p.start] in _REGARDING and "as" in words[p.end : p.end + 4])
                      # an adverb is no verb: "increasingly", "slowly destroys", "closely involved"
                      and not (words[p.start].endswith("ly") and p.end - p.start == 1)]
    if warned:
        # "FDA warns clinics over exosome injections for joint pain": what a warning is about is no claim
        topics = [t for t in topics if hard[t.start] not in warned]
    return SentenceHits(  # positionally, in field order: keywords make building a NamedTuple markedly slower
        tuple(hits), explicit, weak and not exclude, tuple(others), tuple(named), first_verb, subject_cues,
        frozenset(other_clauses - subject_clauses) if other_clauses else _NO_CLAUSES, tuple(predicates),
        tuple(cues), tuple(negators), tuple(topics), evidence_cue, early_cue, early_fact, tuple(fact_spans),
    )


def _names_a_business(words: list[str], start: int, end: int) -> bool:
    """Whether the topic at words[start:end] names a business, not a benefit: "anti-aging clinics", "a
    hair-loss specialist", "the Infertility Treatment Center", or "the firm" (which stems like "firmness")."""
    if end - start == 1 and words[start] in _CLAIMANTS and start > 0 and words[start - 1] in ARTICLES:
        return True
    after = words[end : end + 2]
    return bool(after) and (after[0] in _FIELDS or after[0] in _PRODUCT_NOUNS and len(after) == 2
                            and after[1] in _FIELDS)


class Analysis(NamedTuple):
    """A sentence read: folded, split into words (with clauses, negation scope ...) and its hits by role."""

    folded: str
    words: modality.Words
    hits: SentenceHits
