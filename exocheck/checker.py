"""From text to findings: segment, find phrases, work out subject and modality, choose KB entries.

One direction: sentences -> phrase hits -> candidate claims (with the modality that governs each) ->
KB entry, verdict, severity and score -> findings. Nothing here prints or touches files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import langid, modality
from .kb import Claim, KnowledgeBase
from .language import LANGUAGE
from .lexicon import BENEFIT, CUE, EXCLUDE, OTHER_THERAPY, STRONG, SUBJECT, TOPIC, USE, WEAK, \
    WEAK_SUBJECT, Hit, Lexicon
from .model import SEVERITY_RANK, Citation, Finding, Report
from .normalize import fold, fold_keep_case, phrase_stems, stem, tokens
from .segment import HEADING, ITEM, TEXT, LineIndex, Sentence, split

# How sure the matcher is, by the evidence it has (multiplied into a score in 0..1).
SUBJECT_WEIGHT = {"explicit": 1.0, "context": 0.8, "facts": 0.7}
PREDICATE_WEIGHT = {STRONG: 1.0, WEAK: 0.9, USE: 0.8, BENEFIT: 0.95}
FAR_PREDICATE = 8  # words between predicate and topic before the link counts as weaker
FAR_WEIGHT = 0.85
CARRIED_TOPIC_WEIGHT = 0.75  # "Hair loss? Our exosome serum fixes it."
GENERIC_WEIGHT = 0.6
UNCLEAR_WEIGHT = 0.45
ABSTAIN_BELOW = 0.5  # a topic claim scored lower than this becomes `unverified`
CROSS_CLAUSE_REACH = 4  # a predicate in another clause links to a topic only this close: "helps with: hair loss"
USE_REACH = 3  # "for" must sit right before its topic: "exosome therapy for (your) knee pain"
MEMO_ANALYSES = 8192  # sentences whose words and phrase hits are kept (about 2 KB each)
MEMO_DECISIONS = 32768  # (sentence, context) pairs whose candidate claims are kept
PREFILTER_FROM = 4096  # characters; below this, compiling the document prefilter costs more than it saves
REGISTER_FROM_FIRST = 100_000  # characters read to tell a research or critical document from a seller's

_DOWNGRADE = {"error": "warning", "warning": "info", "info": "info"}
# The word lists, by the names the code below uses (see data/language.yaml for what each is for).
_PRONOUN_OBJECTS = LANGUAGE.pronoun_objects
_DISEASE_WORDS = LANGUAGE.disease_words
_DISEASE_SUFFIXES = LANGUAGE.disease_suffixes
_HEALTH_WORDS = LANGUAGE.health_words
# Matched as text in the sentence's words joined by spaces.
_WELLNESS_PHRASES = frozenset(" ".join(phrase) for phrase in LANGUAGE.wellness_phrases)
_AFFIRMATIVE = LANGUAGE.affirmatives
_PRODUCT_NOUNS = LANGUAGE.product_nouns
_PEOPLE = LANGUAGE.people
_PRODUCT_ANAPHORS = LANGUAGE.product_anaphors
_COMPARISON = LANGUAGE.comparison_words
_OTHER_PRODUCTS = LANGUAGE.other_products
_PRODUCT_OPENERS = LANGUAGE.product_openers
_SELLER_WORDS = LANGUAGE.seller_words
_HEALING_STEMS = frozenset(stem(word) for word in LANGUAGE.healing_verbs)
_CURING_STEMS = frozenset(stem(word) for word in LANGUAGE.curing_verbs)
_FIELDS = LANGUAGE.field_words
_TITLES = LANGUAGE.expert_titles
_REGARDING = LANGUAGE.regarding_verbs
_SOURCE_OR_YARDSTICK = LANGUAGE.source_words


def _is_subject(words: list[str], position: int) -> bool:
    """Whether a therapy named at `position` is what the sentence is about, not a point of comparison.

    "PRP is popular." is about PRP; "Works better than any filler." and "Microneedling with PRP and
    exosomes" are not, so they do not take the pronouns of the following sentences.
    """
    return position <= 4 and not _COMPARISON.intersection(words[max(0, position - 3) : position])


def _names_another_product(words: list[str]) -> bool:
    """The sentence opens on another product of the seller's ("Our new shampoo ...", "The laser ...")."""
    return bool(words) and (words[0] in _OTHER_PRODUCTS or words[0] in _PRODUCT_OPENERS
                            and bool(_OTHER_PRODUCTS.intersection(words[1:4])))


def _about_a_person(words: list[str]) -> bool:
    """A sentence about someone ("she began searching ...", "Dr. Patel has treated athletes for twenty
    years") does not inherit the exosome subject."""
    return (bool(_PEOPLE.intersection(words)) or not _TITLES.isdisjoint(words[:1])) \
        and not _PRODUCT_ANAPHORS.intersection(words)


_CONDITION_OPENS = 4  # a condition named in a sentence's first words is its subject


def _about_a_condition(hits: list[Hit]) -> bool:
    """A sentence that opens on a condition and says nothing of improving it ("Hair loss is a growing
    problem", "Low back pain affects millions") describes the condition: it does not inherit the exosome
    subject of the sentences before. "My acne scars are fading" does: it has a predicate."""
    opens = False
    for hit in hits:
        if hit.category in (STRONG, WEAK, BENEFIT, SUBJECT, WEAK_SUBJECT) or (hit.category == USE and not opens):
            return False  # a claim about it, or a use before it: "Best for: early thinning"
        if hit.category == TOPIC and hit.start < _CONDITION_OPENS:
            opens = True
    return opens


@dataclass
class _Candidate:
    claim: Claim
    topic: str
    score: float
    cues: list[str] = field(default_factory=list)
    hedge: str | None = None


@dataclass
class _Context:
    """What earlier sentences established: whose claims these are, and the last topic named."""

    subject: str | None = None  # "exosome" | "other" | None
    topics: tuple[str, ...] = ()  # named by the previous sentence that named any
    heading_topics: tuple[str, ...] = ()  # named by the current section's heading
    lead_in: Hit | None = None  # the verb of a line ending in ":" that introduces a list
    research: bool = False  # the document reads as research (an abstract, a review), not as selling
    critical: bool = True  # the document questions exosome claims: a quotation in it reports, not endorses


class Checker:
    """A knowledge base compiled for checking; build once, use for any number of texts."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.lexicon = Lexicon(kb)
        self.topic_claims: dict[str, Claim] = {}
        for claim in kb.claims.values():
            if claim.kind in ("disease", "structure-function") and claim.topic in kb.topics and not claim.deprecated:
                self.topic_claims.setdefault(claim.topic, claim)
        self.no_proven_benefit = kb.claims["no-proven-benefit"]
        self.no_fda_approved = kb.claims["no-fda-approved-products"]
        self.evidence_is_early = kb.claims["evidence-is-early"]
        self.generic = kb.claims["generic-disease-claim"]
        self._strong_subject = _phrase_regex(kb.subjects.terms + kb.subjects.products)
        # compiled on first use: unpickling a cached checker would otherwise pay for it on every single check
        self._prefilter_source = _subject_prefilter(kb.subjects.terms + kb.subjects.products)
        self._mentions_subject: re.Pattern[str] | None = None
        self._sources: dict[tuple[str, str], tuple[str, tuple[Citation, ...]]] = {}
        self.unclear = kb.claims["unclear-health-claim"]
        # facts that report a warning: the claims they are about are the warning's, not the author's
        self.warning_ids = frozenset(c.id for c in kb.claims.values() if c.id == "fda-warnings")
        # a healing verb with no condition named claims regeneration, if the KB has that topic
        self.regeneration = self.topic_claims.get("regeneration", self.unclear)
        self.claim_ids = frozenset(kb.claims)
        # Memos of pure per-sentence work (never mutated once stored), bounded to keep memory flat.
        self._analyses: dict[str, tuple[str, modality.Words, list[Hit]]] = {}
        self._decided: dict[tuple, list[_Candidate]] = {}

    # --- public ---------------------------------------------------------------------------------------

    def check(self, text: str, path: str = "<text>", original: str | None = None) -> Report:
        """Check `text`. For Markdown or HTML, `text` is the masked form (markup replaced by fillers, same
        length) and `original` the file itself, which positions and reported sentences come from."""
        original = text if original is None else original
        strong = None  # found by the scan itself, if a weak term needs it
        if len(text) >= PREFILTER_FROM and self._prefilter_source is not None:
            loose, strong = self.mentions(fold(text))
            if not loose:
                # No sentence can be about an exosome product, so none can make a claim: most pages of a crawl.
                return langid.noted(self.empty_report(self.sentences_in(text)), text, path)
        return langid.noted(Scan(self, path, strong).feed(text, original), text, path)  # not English: a notice

    def mentions(self, folded: str) -> tuple[bool, bool]:
        """Whether folded text may name an exosome product (the prefilter: never a false "no"), and whether
        it names one by a strong term, which lets "EVs" count as one (see `Scan`)."""
        loose = self._prefilter_source is None or self._prefilter().search(folded) is not None
        return loose, loose and self._strong_subject.search(folded) is not None

    def sentences_in(self, text: str) -> int:
        """How many sentences a check of `text` reads, for the summary of one it can skip."""
        return len(split(_without_addresses(text)))

    def empty_report(self, sentences: int = 0, files: int = 1) -> Report:
        return Report(files=files, sentences=sentences, kb_version=self.kb.version, kb_sha256=self.kb.sha256)

    def _prefilter(self) -> re.Pattern[str]:
        if self._mentions_subject is None:
            self._mentions_subject = re.compile(self._prefilter_source)
        return self._mentions_subject

    def _analysed(self, text: str) -> tuple[str, modality.Words, list[Hit]]:
        """A sentence folded, split into words and matched against the lexicon: memoised on the text,
        because sites repeat their boilerplate (disclaimers, calls to action, product names) on every page."""
        analysed = self._analyses.get(text)
        if analysed is None:
            cased = fold_keep_case(text)
            folded = cased.casefold()  # fold(text), without folding twice
            words = modality.analyse(folded, cased)
            analysed = (folded, words, self.lexicon.find(words))
            _remember(self._analyses, text, analysed, MEMO_ANALYSES)
        return analysed

    # --- claims in one sentence -----------------------------------------------------------------------

    def _candidates(self, w: modality.Words, hits: list[Hit], subject_weight: float, folded: str,
                    context: _Context, explicit: bool, lead_in: Hit | None,
                    fragment: bool = False, heading: bool = False) -> tuple[list[_Candidate], bool]:
        """The sentence's claims, and whether they depend on the topics of earlier sentences and the heading
        (only a sentence that names no topic of its own looks at them)."""
        found: dict[tuple[str, str], _Candidate] = {}

        def add(claim: Claim, topic: str, score: float, cues: list[str], hedge: str | None = None) -> None:
            key = (claim.id, topic)
            if key not in found or found[key].score < score:
                found[key] = _Candidate(claim, topic, round(min(score, 1.0), 2), cues, hedge)

        disclaimer = modality.disclaimer_span(folded)
        if disclaimer is not None:
            hits = [h for h in hits if not disclaimer[0] <= h.start <= disclaimer[1]]
        advice = modality.advice_clauses(w)
        if advice:
            hits = [h for h in hits if w.hard[h.start] not in advice]
        subject_clauses = {w.hard[h.start] for h in hits if h.category in (SUBJECT, WEAK_SUBJECT)}
        # "released by stem cells", "safer than PRP": a therapy named as a source or a yardstick is not
        # what the clause is about
        other_clauses = {w.hard[h.start] for h in hits if h.category == OTHER_THERAPY
                         and not _SOURCE_OR_YARDSTICK.intersection(w.words[max(0, h.start - 2) : h.start])}

        def about_other(position: int) -> bool:
            clause = w.hard[position]
            return clause in other_clauses and clause not in subject_clauses

        subject_cues = [h.phrase for h in hits if h.category in (SUBJECT, WEAK_SUBJECT)][:1]
        subject_ends = {h.end for h in hits if h.category in (SUBJECT, WEAK_SUBJECT)}
        # "exosome treatment", "the treatment" name the product; only a predicate elsewhere makes a claim,
        # or the noun right after a condition: "the most effective hair-loss treatment".
        topic_ends = {h.end for h in hits if h.category == TOPIC}
        predicates = [h for h in hits if h.category in (STRONG, WEAK, USE)
                      and (w.words[h.start] not in _PRODUCT_NOUNS or h.start in topic_ends)
                      and not (w.words[h.start] in _REGARDING and "as" in w.words[h.end : h.end + 4])
                      and not w.words[h.start].endswith("ingly")]  # "increasingly" is no "increase"
        # In a research document "studies show" reports research, and a hedged claim describes it.
        register = context.research and _SELLER_WORDS.isdisjoint(w.vocab)
        critical = context.critical
        overclaims = not register and any(h.category == CUE and self.kb.claims[h.key].kind == "evidence"
                                          and not modality.negation_at(w, h.start) for h in hits)
        research = not overclaims and (
            any(h.category == CUE and h.key == self.evidence_is_early.id for h in hits)
            or modality.describes_research(w) is not None
        )

        # Cue-based claims: regulatory, evidence, safety, comparative, guarantee, facts.
        cue_hits = [h for h in hits if h.category == CUE]
        early_facts = any(h.key == self.evidence_is_early.id and not modality.negation_at(w, h.start) for h in cue_hits)
        # "FDA cleared the IND": where an accurate fact's cue overlaps a claim's cue, the fact is what is said.
        fact_spans = [(h.start, h.end) for h in cue_hits if self.kb.claims[h.key].kind == "fact"
                      and not modality.negation_at(w, h.start)]
        for hit in cue_hits:
            claim = self.kb.claims[hit.key]
            if about_other(hit.start):
                continue
            if claim.kind != "fact" and any(s < hit.end and hit.start < e for s, e in fact_spans):
                continue
            negator = modality.negation_at(w, hit.start) or (
                (modality.denied_after(w, hit.end) or (modality.negated_subject(w) if claim.kind == "regulatory"
                                                       else None)) if claim.negated else None)
            if claim.kind == "fact":
                if not negator:  # an accurate statement stays one when attributed ("FDA says ...")
                    add(claim, claim.topic, subject_weight, subject_cues + [hit.phrase])
                continue
            if negator:  # decided before attribution: "the FDA says they are not approved" is still a denial
                if claim.negated:
                    counterpart = self.kb.claims[claim.negated]
                    add(counterpart, counterpart.topic, subject_weight, subject_cues + [negator, hit.phrase])
                continue
            if modality.attribution_at(w, hit.start, critical) or modality.unasserted(w, hit.start):
                continue  # reported, or only a condition or a hope: "if it proves effective", "seeks approval"
            if claim.kind == "evidence" and early_facts:
                continue  # "In preclinical models, exosomes have been shown to ...": research, described as such
            if claim.kind == "safety" and not overclaims and modality.describes_research(w):
                # "no serious adverse events in the phase II trial" reports a trial's safety finding
                add(self.evidence_is_early, self.evidence_is_early.topic, subject_weight, subject_cues + [hit.phrase])
                continue
            if register and claim.kind == "evidence":
                add(self.evidence_is_early, self.evidence_is_early.topic, subject_weight, subject_cues + [hit.phrase])
                continue
            hedge = modality.hedge_at(w, hit.start)
            add(claim, claim.topic, subject_weight, subject_cues + [hit.phrase] + ([hedge] if hedge else []),
                hedge)

        # Topic claims: a condition plus a predicate, or a benefit phrase on its own.
        # "anti-aging clinics", "a hair-loss specialist" name a business, not a benefit
        topic_hits = [h for h in hits if h.category in (TOPIC, BENEFIT)
                      and not (h.end < len(w.words) and w.words[h.end] in _FIELDS)]
        # "FDA warns clinics over exosome injections for joint pain": what a warning is about is no claim
        warned = {w.hard[h.start] for h in cue_hits if h.key in self.warning_ids and not modality.negation_at(w, h.start)}
        topic_hits = [h for h in topic_hits if w.hard[h.start] not in warned]
        uses_context = not topic_hits
        # Research writing names what it is about: its other sentences are background (the disease, the
        # body), and its endogenous biology is not a product either.
        # A research document's headings are titles: they name a subject, they do not claim; its other
        # sentences claim only where they name the product or point back to it ("These vesicles ...").
        anaphoric = not _PRODUCT_ANAPHORS.isdisjoint(w.words[:2])
        biology = modality.endogenous(w)
        if (register and (heading or not (explicit or anaphoric))) or biology:
            topic_hits, predicates = [], []
        denial: list[str | None] = []  # the sentence's refutation, looked for only when a claim needs it

        def refuted() -> str | None:
            if not denial:
                denial.append(modality.refutation(w))
            return denial[0]

        carried = 1.0
        if not topic_hits and lead_in is not None and lead_in.key == "result":
            # "Results: visible within weeks" under a section about hair loss promises results for it
            topic_hits = [Hit(TOPIC, topic, len(w.words) - 1, len(w.words), f"({topic})")
                          for topic in context.heading_topics or context.topics]
            carried = CARRIED_TOPIC_WEIGHT
        elif not topic_hits and predicates:
            topic_hits = self._carried_topics(w, predicates, context)
            carried = CARRIED_TOPIC_WEIGHT
        elif not topic_hits and not _PRONOUN_OBJECTS.isdisjoint(w.vocab) and refuted():
            for topic in context.topics:  # "Experts say there is no evidence for that."
                add(self.no_proven_benefit, topic, subject_weight * CARRIED_TOPIC_WEIGHT, [refuted()])
        for hit in topic_hits:
            if hit.category == BENEFIT:
                anchor, weight, predicate_phrase = hit.start, PREDICATE_WEIGHT[BENEFIT], None
            elif lead_in is not None and not self._predicate_for(w, hit, predicates):
                # a list item under "Our exosome therapy helps with:" inherits the lead-in's verb
                anchor, weight, predicate_phrase = hit.start, PREDICATE_WEIGHT[lead_in.category], lead_in.phrase
            else:
                predicate = self._predicate_for(w, hit, predicates)
                if predicate is None:
                    # "A pilot study infused vesicles into ten people with ALS": research about a topic.
                    if explicit and (research or refuted()) and not modality.attribution_at(w, hit.start, critical):
                        fact = self.evidence_is_early if research else self.no_proven_benefit
                        add(fact, hit.key, subject_weight * PREDICATE_WEIGHT[WEAK], [hit.phrase])
                    continue
                anchor, predicate_phrase = predicate.start, predicate.phrase
                weight = PREDICATE_WEIGHT[predicate.category]
                if abs(predicate.start - hit.start) > FAR_PREDICATE:
                    weight *= FAR_WEIGHT
            if about_other(anchor):
                continue
            score = subject_weight * weight * carried
            cues = subject_cues + [c for c in (predicate_phrase, hit.phrase) if c]
            if modality.denies_saying(w, anchor):
                continue
            negator = modality.negation_at(w, anchor)
            if negator:
                # "not approved for COVID-19" is a statement about approval; "does not cure" one about effect.
                fact = self.no_fda_approved if modality.is_approval_negation(negator) else self.no_proven_benefit
                add(fact, fact.topic if fact is self.no_fda_approved else hit.key, score, [negator] + cues)
                continue
            if modality.attribution_at(w, anchor, critical):
                if refuted():
                    add(self.no_proven_benefit, hit.key, score, cues)
                continue
            if research or (register and modality.reports_finding(w, anchor)):
                add(self.evidence_is_early, hit.key, score, cues)
                continue
            claim = self.topic_claims.get(hit.key)
            if claim is None:
                continue
            if score < ABSTAIN_BELOW:
                add(self.unclear, self.unclear.topic, score, cues)
                continue
            hedge = modality.hedge_at(w, anchor)
            if register and hedge:  # "MSC exosomes may be a new tool for nerve injury", in a review
                add(self.evidence_is_early, hit.key, score, cues + [hedge])
                continue
            add(claim, hit.key, score, cues + ([hedge] if hedge else []), hedge)

        # Nothing in the KB fits: a disease claim about an unlisted condition, or a vague health claim.
        if not topic_hits and not biology and not any(c.claim.verdict == "accurate" for c in found.values()):
            # a sentence that names no product makes a vague claim only when it points back to one
            first_claim = min((p.start for p in predicates), default=len(w.words))
            refers_back = (fragment and not heading) or not _PRODUCT_ANAPHORS.isdisjoint(w.words[:min(first_claim, 4)])
            self._fallback(w, predicates, subject_weight, subject_cues, bool(found) or bool(refuted()), add, register,
                           refers_back, critical)
        return self._prune(list(found.values())), uses_context

    def _carried_topics(self, w: modality.Words, predicates: list[Hit], context: _Context) -> list[Hit]:
        """Topics a topic-less claim refers back to: "Hair loss? Our serum cures it." or a topic heading."""
        objects = [i for i, word in enumerate(w.words) if word in _PRONOUN_OBJECTS]
        pointing_back = any(p.start < i for p in predicates if p.category != USE for i in objects)
        if not pointing_back and not predicates:
            return []  # "Treatment takes place at our partner hospital." says nothing about the heading's topic
        topics = context.topics if pointing_back else context.heading_topics
        return [Hit(TOPIC, topic, len(w.words) - 1, len(w.words), "(" + topic + ")") for topic in topics]

    def _prune(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """One finding per claim in a sentence.

        A topic-specific accurate finding replaces the general one it came with; a broad topic gives way
        to a specific one; several cues of one kind ("no downtime, no side effects, no risk") are one claim.
        """
        if len(candidates) < 2:
            return candidates  # nothing to prune: one candidate is always kept
        topical = {c.claim.id for c in candidates if c.topic != c.claim.topic}
        if any(c.claim.verdict == "accurate" and c.topic != c.claim.topic for c in candidates):
            # "No trial has shown that exosomes cure melasma": the finding about melasma says it all
            topical.update(c.claim.id for c in candidates if c.claim.kind == "fact" and c.claim.topic == "general"
                           and c.claim.id in (self.evidence_is_early.id, self.no_proven_benefit.id))
        specific = any(c.claim.kind in ("disease", "structure-function") and c.topic in self.kb.topics
                       and not self.kb.topics[c.topic].broad for c in candidates)
        kept: dict[tuple[str, str, str], _Candidate] = {}
        for c in sorted(candidates, key=lambda c: (-SEVERITY_RANK[c.claim.severity], -c.score, c.claim.id)):
            if c.claim.id in topical and c.topic == c.claim.topic:
                continue
            if specific and c.topic in self.kb.topics and self.kb.topics[c.topic].broad:
                continue
            key = (c.claim.kind, c.claim.verdict, c.topic) if c.claim.cues else (c.claim.id, c.claim.verdict, c.topic)
            if key in kept:
                kept[key].cues.extend(x for x in c.cues if x not in kept[key].cues)
                continue
            kept[key] = c
        return list(kept.values())

    def _predicate_for(self, w: modality.Words, topic: Hit, predicates: list[Hit]) -> Hit | None:
        """The predicate that makes a claim of `topic`: the nearest one, preferring the same clause."""
        best, best_key = None, None
        for predicate in predicates:
            if predicate.start <= topic.start < predicate.end:
                continue
            if predicate.category == USE:
                if not (0 < topic.start - predicate.end + 1 <= USE_REACH):
                    continue
            distance = min(abs(topic.start - predicate.end), abs(predicate.start - topic.end))
            if w.hard[predicate.start] != w.hard[topic.start] and distance > CROSS_CLAUSE_REACH:
                continue
            key = (w.hard[predicate.start] != w.hard[topic.start], distance)
            if best_key is None or key < best_key:
                best, best_key = predicate, key
        return best

    def _fallback(self, w: modality.Words, predicates: list[Hit], subject_weight: float,
                  subject_cues: list[str], other_claims: bool, add: Callable[..., None],
                  research_register: bool = False, refers_back: bool = False, critical: bool = True) -> None:
        """A disease claim about a condition the KB does not list (or its denial), else a vague health claim.

        The vague claim is only made when nothing else was found: "no side effects" is not also unclear.
        """
        for predicate in predicates:
            if modality.attribution_at(w, predicate.start, critical):
                continue
            after = w.words[predicate.end : predicate.end + (USE_REACH if predicate.category == USE else 6)]
            disease = [x for x in after if x in _DISEASE_WORDS or x.endswith(_DISEASE_SUFFIXES)]
            negator = modality.negation_at(w, predicate.start)
            if disease and negator:  # "not shown to help interstitial cystitis": accurate
                add(self.no_proven_benefit, self.generic.topic, subject_weight * GENERIC_WEIGHT,
                    subject_cues + [negator, predicate.phrase, disease[0]])
                return
            if disease:
                hedge = modality.hedge_at(w, predicate.start)
                add(self.generic, self.generic.topic, subject_weight * GENERIC_WEIGHT,
                    subject_cues + [predicate.phrase, disease[0]] + ([hedge] if hedge else []), hedge)
                return
        if other_claims or not (subject_cues or refers_back) or research_register:
            return
        said = [p for p in predicates if p.category != USE and not modality.negation_at(w, p.start)
                and not modality.attribution_at(w, p.start, critical)]
        # "regenerative medicine" names a field, not a benefit
        said = [p for p in said if not _FIELDS.intersection(w.words[p.end : p.end + 3])]
        healing = [p for p in said if w.stems[p.start] in _HEALING_STEMS]
        if healing:  # "It repairs damaged cells", "Regenerating tissue": a benefit with no condition named
            hedge = modality.hedge_at(w, healing[0].start)
            add(self.regeneration, self.regeneration.topic, subject_weight * UNCLEAR_WEIGHT,
                subject_cues + [healing[0].phrase] + ([hedge] if hedge else []), hedge)
            return
        vague = [p.phrase for p in said]
        joined = " " + " ".join(w.words) + " "
        wellness = {p for p in _WELLNESS_PHRASES if f" {p} " in joined}
        if (vague and (not _HEALTH_WORDS.isdisjoint(w.vocab) or any(w.stems[p.start] in _CURING_STEMS for p in said))) \
                or wellness:
            add(self.unclear, self.unclear.topic, subject_weight * UNCLEAR_WEIGHT,
                subject_cues + (vague[:1] or sorted(wellness)[:1]))

    # --- findings -------------------------------------------------------------------------------------

    def _explained(self, claim: Claim, topic: str) -> tuple[str, tuple[Citation, ...]]:
        """Explanation and citations of a finding, built once per (claim, topic) and shared by findings."""
        key = (claim.id, topic)
        cached = self._sources.get(key)
        if cached is None:
            explanation, sources = claim.explanation, list(self.kb.citations(claim))
            topic_claim = self.topic_claims.get(topic)
            if claim.kind == "fact" and topic_claim is not None:
                # "Exosomes do not cure hair loss." is accurate; say what the hair-loss evidence is, and cite it.
                explanation = f"{explanation} On {self.kb.topics[topic].name.lower()}: {topic_claim.explanation}"
                sources += [s for s in self.kb.citations(topic_claim) if s not in sources]
            cached = (explanation, tuple(Citation(s.id, s.title, s.publisher, s.date, s.url, s.doi) for s in sources))
            self._sources[key] = cached
        return cached


@dataclass
class _Asked:
    """A question whose claims wait for the next sentence: "Do exosomes regrow hair? Yes, in 8 weeks."."""

    start: int  # offset in the whole document
    line: int
    column: int
    local: int | None  # its start in the piece being checked; None once that piece is done
    text: str  # its original text to the end of its piece, once that piece is done
    candidates: list[_Candidate]


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
        self.context = _Context()
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
            if self.strong is None:
                self.strong = checker._strong_subject.search(fold(text)) is not None
        lines = LineIndex(original)
        place = _Place(path, original, lines, offset, first_line - 1)
        findings: list[Finding] = []
        for sentence in sentences:  # one pass, keeping nothing per sentence but its findings
            folded, words, hits = checker._analysed(sentence.text)
            explicit = any(h.category == SUBJECT for h in hits)
            if not explicit and any(h.category == WEAK_SUBJECT for h in hits) \
                    and not any(h.category == EXCLUDE for h in hits):
                if self.strong is None:
                    self.strong = checker._strong_subject.search(fold(text)) is not None
                explicit = self.strong
            other = any(h.category == OTHER_THERAPY and _is_subject(words.words, h.start) for h in hits)
            if explicit:
                subject = "explicit"
            elif context.subject == "exosome" and not other and not _about_a_person(words.words) \
                    and not _names_another_product(words.words) \
                    and not (sentence.role == TEXT and _about_a_condition(hits)):
                subject = "context"
            elif self.strong and not other:
                # A page about exosome products states facts without naming them: "Data are still scarce."
                subject = "facts"
            else:
                subject = None
            candidates: list[_Candidate] = []
            asked, self.asked = self.asked, None
            if subject:
                lead_in = context.lead_in if sentence.role == ITEM else None
                spec = modality.spec_row(sentence.text)
                if spec is not None:  # "Best for: thinning hair", "Results: within weeks"
                    lead_in = Hit(USE if spec == "use" else WEAK, spec, 0, 0, sentence.text.split(":")[0].strip())
                # Memoised without the earlier topics when the sentence names its own, as most do: then a
                # sentence repeated under other topics is decided once.
                fragment = sentence.role != TEXT  # a heading or list line: its subject is the section's
                key = (sentence.text, subject, explicit, lead_in, context.research, context.critical, sentence.role)
                decided = checker._decided.get(key)
                if decided is None:
                    in_context = (key, context.topics, context.heading_topics)
                    decided = checker._decided.get(in_context)
                    if decided is None:
                        decided, uses_context = checker._candidates(words, hits, SUBJECT_WEIGHT[subject], folded,
                                                                    context, explicit, lead_in, fragment,
                                                                    sentence.role == HEADING)
                        if subject == "facts":
                            decided = [c for c in decided if c.claim.kind == "fact" and c.claim.verdict == "accurate"]
                        _remember(checker._decided, in_context if uses_context else key, decided, MEMO_DECISIONS)
                if modality.is_question(sentence.text, words.words, sentence.role in (HEADING, ITEM)):
                    # not an assertion, unless the next sentence says yes
                    line, column = lines.position(sentence.start)
                    self.asked = _Asked(offset + sentence.start, first_line - 1 + line, column, sentence.start,
                                        "", decided)
                else:
                    candidates = decided
            if asked is not None and words.words[:1] and words.words[0] in _AFFIRMATIVE \
                    and not any(c.claim.verdict == "accurate" for c in candidates):
                # "Do exosomes regrow hair? Yes, in 8 weeks.": the answer asserts what the question asked
                # (unless it says more itself: "Yes, in mice" is a research description).
                said = {c.claim.id for c in candidates}
                findings.extend(place.answered(checker, asked, sentence, c) for c in asked.candidates
                                if c.claim.verdict != "accurate" and c.claim.id not in said)
            findings.extend(place.finding(checker, sentence, c) for c in candidates)
            if explicit:
                context.subject = "exosome"
            elif other:
                context.subject = "other"
            named = tuple(dict.fromkeys(h.key for h in hits if h.category in (TOPIC, BENEFIT)))
            if named:
                context.topics = named
            if sentence.role == HEADING:
                context.heading_topics = named
            if sentence.role != ITEM:
                verbs = [h for h in hits if h.category in (STRONG, WEAK)]
                context.lead_in = verbs[0] if verbs and sentence.text.rstrip().endswith(":") else None
        if self.asked is not None and self.asked.local is not None:  # the answer may open the next piece
            self.asked.text, self.asked.local = original[self.asked.local:], None
        findings.sort(key=lambda f: (f.start, f.claim_id, f.topic))
        return Report(findings=findings, files=1 if offset == 0 else 0, sentences=len(sentences),
                      kb_version=checker.kb.version, kb_sha256=checker.kb.sha256)


@dataclass
class _Place:
    """Where a piece sits in its document, for turning its sentences into findings with document positions."""

    path: str
    original: str
    lines: LineIndex
    offset: int
    line_base: int

    def finding(self, checker: Checker, sentence: Sentence, c: _Candidate) -> Finding:
        line, column = self.lines.position(sentence.start)
        return self._finding(checker, self.offset + sentence.start, self.line_base + line, column, sentence.end,
                             self.original[sentence.start:sentence.end], c)

    def answered(self, checker: Checker, asked: _Asked, answer: Sentence, c: _Candidate) -> Finding:
        """A finding spanning a question and the answer that affirms it, which may open a later piece."""
        said = self.original[asked.local:answer.end] if asked.local is not None \
            else asked.text + self.original[:answer.end]
        return self._finding(checker, asked.start, asked.line, asked.column, answer.end, said, c)

    def _finding(self, checker: Checker, start: int, line: int, column: int, local_end: int, said: str,
                 c: _Candidate) -> Finding:
        claim = c.claim
        end_line, end_column = self.lines.position(local_end)
        severity = _DOWNGRADE[claim.severity] if c.hedge else claim.severity
        explanation, citations = checker._explained(claim, c.topic)
        return Finding(
            path=self.path, start=start, end=self.offset + local_end, line=line, column=column,
            end_line=self.line_base + end_line, end_column=end_column, sentence=said,
            verdict=claim.verdict, severity=severity, kind=claim.kind, topic=c.topic, claim_id=claim.id,
            score=c.score, cues=tuple(dict.fromkeys(c.cues)), explanation=explanation,
            fda_status=claim.fda_status, evidence_level=claim.evidence_level, citations=citations,
            suggestion=claim.suggestion,
        )


# A bare address names a page, it does not assert anything: "exosomes-cure-hair-loss.example.com".
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]|\b[\w.+-]+@[\w-]+\.[\w.-]*\w",
                  re.IGNORECASE)


def _blanked(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _without_addresses(text: str) -> str:
    """`text` with its web and e-mail addresses blanked; most text has none, and the test for the
    characters each needs ("://", "www.", "@") is much cheaper than the search for them."""
    if "://" in text or "@" in text or "www." in text.lower():
        return _URL.sub(_blanked, text)
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
    def prefix(stem: str) -> str | None:
        stem = stem.rstrip("y") if len(stem) > 3 else stem
        return re.escape(stem) if stem not in ("#", "*") and len(stem) >= 2 else None

    parts = set()
    for phrase in phrases:
        stems = phrase_stems(phrase)
        if not stems or stems[0] == "*":
            continue
        first = prefix(stems[0])
        if first is not None:
            second = prefix(stems[1]) if len(stems) > 1 else None
            # the rest of the first word, then the second (articles between them are skipped, as by the
            # lexicon): "conditioned media" must not let every "condition" through
            parts.add(first + (r"[a-z0-9]*(?:'[a-z]+)?[\W_]+(?:(?:the|an?)[\W_]+)*" + second if second else ""))
        else:
            words = [("[0-9]+" if t.isdigit() else re.escape(t)) for t in tokens(fold(phrase))]
            parts.add(r"[\W_]+".join(words))
    if not parts:
        return None
    return r"(?<![a-z0-9])(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")"


def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """A regex finding any of `phrases` in folded text by their stems ("exosom" finds "exosomes")."""
    def piece(stem: str) -> str:
        return "[0-9]+" if stem == "#" else re.escape(stem)  # "#" stands for a number ("E-50")

    parts = [r"\w*\W+".join(map(piece, phrase_stems(p))) for p in phrases if phrase_stems(p)]
    return re.compile(r"\b(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")")
