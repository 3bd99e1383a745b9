"""The claims one sentence makes, given its subject and the discourse context: KB entries with a score.

Four steps in order (docs/design.md, "How a sentence becomes findings", steps 3 to 6): `cue_claims`
(regulatory, evidence, safety ... and facts), `topic_claims` (a condition plus a predicate, or a benefit
phrase), `fallback_claims` (nothing in the KB fits) and `prune` (one finding per claim). Each step adds to a
`Found`, whose order of additions is the order of the findings that tie.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from . import modality
from .hits import SentenceHits
from .kb import Claim, KnowledgeBase, Topic
from .language import LANGUAGE
from .lexicon import BENEFIT, STRONG, TOPIC, USE, WEAK, Hit
from .model import SEVERITY_RANK
from .normalize import stem
from .record import FrozenRecord, Record
from .subject import Context, speaks_to_reader

# How sure the matcher is, by the evidence it has (multiplied into a score in 0..1).
SUBJECT_WEIGHT = {"explicit": 1.0, "context": 0.8, "ambient": 0.8, "facts": 0.7}
PREDICATE_WEIGHT = {STRONG: 1.0, WEAK: 0.9, USE: 0.8, BENEFIT: 0.95}
FAR_PREDICATE = 8  # words between predicate and topic before the link counts as weaker
FAR_WEIGHT = 0.85
CARRIED_TOPIC_WEIGHT = 0.75  # "Hair loss? Our exosome serum fixes it."
GENERIC_WEIGHT = 0.6
UNCLEAR_WEIGHT = 0.45
ABSTAIN_BELOW = 0.5  # a topic claim scored lower than this becomes `unverified`
CROSS_CLAUSE_REACH = 4  # a predicate in another clause links to a topic only this close: "helps with: hair loss"
REGISTER_HEDGE_REACH = 12  # in research writing, a hedge this far back in the clause still frames the claim
UNASSERTED_REACH = 10  # a condition or an embedded question this far back in the clause leaves a topic claim unsaid
QUOTED_NAME = 4  # words in quotation marks that name something rather than say something
USE_REACH = 3  # "for" must sit right before its topic: "exosome therapy for (your) knee pain"
COORDINATED = 3  # words at most between a denied status and the next in its list: "approved, cleared or licensed"
WARNING_FACTS = frozenset({"fda-warnings"})  # facts that report a warning: what they warn of is no claim

# The word lists, by the names the code below uses (see data/language.yaml for what each is for).
_PRONOUN_OBJECTS = LANGUAGE.pronoun_objects
_DISEASE_WORDS = LANGUAGE.disease_words
_DISEASE_SUFFIXES = LANGUAGE.disease_suffixes
_HEALTH_WORDS = LANGUAGE.health_words
# Matched as text in the sentence's words joined by spaces.
_WELLNESS_PHRASES = frozenset(" ".join(phrase) for phrase in LANGUAGE.wellness_phrases)
_PRODUCT_ANAPHORS = LANGUAGE.product_anaphors
_PRODUCT_NOUNS = LANGUAGE.product_nouns
# words for the product or for those it treats: "It ...", "Most clients see ..."
_REFERRERS = LANGUAGE.product_anaphors | LANGUAGE.recipients
_PRODUCT_OPENERS = LANGUAGE.product_openers
_SELLER_WORDS = LANGUAGE.seller_words
_HEALING_STEMS = frozenset(stem(word) for word in LANGUAGE.healing_verbs)
_CURING_STEMS = frozenset(stem(word) for word in LANGUAGE.curing_verbs)
_FIELDS = LANGUAGE.field_words
_ARTICLES = LANGUAGE.articles
_DIAGNOSTIC = LANGUAGE.diagnostic_words
_ROLES = modality.by_first_word(LANGUAGE.role_phrases)
ROLE_REACH = 3  # "a key role in (the) (body's) regeneration": a role phrase ends at most this far before its topic
_QUANTITIES = modality.by_first_word(LANGUAGE.quantity_phrases, LANGUAGE.sufferer_phrases)


class Candidate(Record):
    """A claim a sentence makes (or a fact it states) about a topic, before it becomes a finding."""

    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "claim", "topic", "score", "cues", "hedge",
    )

    claim: Claim
    topic: str
    score: float
    cues: list[str]
    hedge: str | None

    def __init__(self, claim: Claim, topic: str, score: float, cues: list[str] | None = None,
                 hedge: str | None = None) -> None:
        self.claim = claim
        self.topic = topic
        self.score = score
        self.cues = [] if cues is None else cues
        self.hedge = hedge


class Entries(FrozenRecord):
    """The KB entries the steps below name, looked up once per KB."""

    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "claims", "topics", "topic_claims", "kinds", "no_proven_benefit", "no_fda_approved", "evidence_is_early",
        "generic", "unclear", "regeneration", "warning_ids",
    )

    claims: Mapping[str, Claim]
    topics: Mapping[str, Topic]
    topic_claims: Mapping[str, Claim]  # the disease or structure-function claim of each topic
    kinds: Mapping[str, str]  # each claim id's kind, for sorting a sentence's cues
    no_proven_benefit: Claim
    no_fda_approved: Claim
    evidence_is_early: Claim
    generic: Claim
    unclear: Claim
    regeneration: Claim  # a healing verb with no condition named claims regeneration, if the KB has that topic
    warning_ids: frozenset[str]  # facts that report a warning: the claims they are about are the warning's

    def __init__(self, claims: Mapping[str, Claim], topics: Mapping[str, Topic], topic_claims: Mapping[str, Claim],
                 kinds: Mapping[str, str], no_proven_benefit: Claim, no_fda_approved: Claim,
                 evidence_is_early: Claim, generic: Claim, unclear: Claim, regeneration: Claim,
                 warning_ids: frozenset[str]) -> None:
        self._fill(claims, topics, topic_claims, kinds, no_proven_benefit, no_fda_approved, evidence_is_early, generic,
                   unclear, regeneration, warning_ids)

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Entries:
        topic_claims: dict[str, Claim] = {}
        for claim in kb.claims.values():
            if claim.kind in ("disease", "structure-function") and claim.topic in kb.topics and not claim.deprecated:
                topic_claims.setdefault(claim.topic, claim)
        unclear = kb.claims["unclear-health-claim"]
        return cls(
            claims=kb.claims, topics=kb.topics, topic_claims=topic_claims,
            kinds={claim.id: claim.kind for claim in kb.claims.values()},
            no_proven_benefit=kb.claims["no-proven-benefit"], no_fda_approved=kb.claims["no-fda-approved-products"],
            evidence_is_early=kb.claims["evidence-is-early"], generic=kb.claims["generic-disease-claim"],
            unclear=unclear, regeneration=topic_claims.get("regeneration", unclear),
            warning_ids=frozenset(WARNING_FACTS & kb.claims.keys()),
        )


class Found:
    """The claims found in one sentence so far, one per (claim, topic) at its best score; and the
    sentence's refutation, looked for only when a claim needs it."""

    __slots__ = ("_refutation", "_refuted", "_w", "by_key")

    def __init__(self, w: modality.Words) -> None:
        self.by_key: dict[tuple[str, str], Candidate] = {}
        self._w = w
        self._refutation: str | None = None
        self._refuted = False

    def add(self, claim: Claim, topic: str, score: float, cues: list[str], hedge: str | None = None) -> None:
        key = (claim.id, topic)
        known = self.by_key.get(key)
        if known is None or known.score < score:
            self.by_key[key] = Candidate(claim, topic, round(min(score, 1.0), 2), cues, hedge)

    def refuted(self) -> str | None:
        """The sentence's denial of a claim ("Experts say there is no evidence for that."), if any."""
        if not self._refuted:
            self._refutation, self._refuted = modality.refutation(self._w), True
        return self._refutation

    def any_accurate(self) -> bool:
        return any(c.claim.verdict == "accurate" for c in self.by_key.values())


class Reading(NamedTuple):
    """How the sentence reads, beyond its hits: decided once, used by every step."""

    weight: float  # the subject's weight
    register: bool  # a research document's sentence in no seller's voice: "studies show" reports research
    overclaims: bool  # the sentence claims proof itself ("clinically proven"): it does not describe research
    research: bool  # it describes research: an early-evidence cue or research words
    critical: bool  # the document questions exosome claims: a quotation in it reports


def candidates(entries: Entries, w: modality.Words, hits: SentenceHits, subject_weight: float, context: Context,
               explicit: bool, lead_in: Hit | None, fragment: bool = False,
               heading: bool = False) -> tuple[list[Candidate], bool]:
    """The sentence's claims, and whether they depend on the topics of earlier sentences and the heading
    (only a sentence that names no topic of its own looks at them)."""
    if modality.outlines_document(w):
        return [], False  # "This review discusses MSC exosomes in nerve repair": what the document does
    register = context.research and _SELLER_WORDS.isdisjoint(w.vocab)
    # "In preclinical models, exosomes have been shown to ...": research, described as such, is no overclaim
    overclaims = not register and hits.evidence_cue and not hits.early_fact
    research = not overclaims and (hits.early_cue or modality.describes_research(w) is not None)
    reading = Reading(subject_weight, register, overclaims, research, context.critical)
    found = Found(w)
    cue_claims(entries, found, w, hits, reading)
    topics = hits.topics
    predicates = hits.predicates
    # Research writing names what it is about: its other sentences are background (the disease, the
    # body), and its endogenous biology is not a product either.
    # A research document's headings are titles: they name a subject, they do not claim; its other
    # sentences claim only where they name the product or point back to it ("These vesicles ...").
    anaphoric = _points_back(w.words)
    # "It wakes up your own stem cells to ...": the product acting on the body's own cells is a claim
    biology = modality.endogenous(w) if not (anaphoric and predicates and predicates[0].start <= 2) else None
    if (register and (heading or not (explicit or anaphoric))) or biology:
        if register and not (heading or biology):
            _reported_findings(entries, found, w, topics, predicates, reading)
        topics, predicates = (), ()
    uses_context = not topics  # decided after the clearing above: the memo must key on what was read
    if not topics:
        topics, carried = _topics_from_context(entries, found, w, predicates, reading, context, lead_in)
    else:
        carried = 1.0
    topic_claims(entries, found, w, hits, topics, predicates, reading, explicit, lead_in, carried)
    if not topics and not found.by_key and explicit and reading.research and not (biology or heading) \
            and not modality.attribution_at(w, len(w.words) - 1, reading.critical):
        # "This phase 1 study evaluated the safety of an MSC exosome ointment": research, told as research
        found.add(entries.evidence_is_early, entries.evidence_is_early.topic, reading.weight * PREDICATE_WEIGHT[WEAK],
                  [*hits.subject_cues])
    if not biology and not found.any_accurate():
        # a sentence that names no product makes a vague claim only when it points back to one
        first_claim = min((p.start for p in predicates), default=len(w.words))
        refers_back = (fragment and not heading) or not _REFERRERS.isdisjoint(w.words[:min(first_claim, 4)]) \
            or speaks_to_reader(w.words)
        if not topics:
            fallback_claims(entries, found, w, hits, predicates, reading, refers_back)
        elif not found.by_key and not found.refuted() and (hits.subject_cues or refers_back) \
                and not reading.register and not any(_in_a_role(w, t) for t in topics):
            # "When exosomes reach damaged cells ... they release signals that steer healing": the healing
            # verb claims regeneration though no predicate links the topic named
            _healing_claim(entries, found, w, hits, _said(w, predicates, reading), reading)
    return prune(entries, list(found.by_key.values())), uses_context


def _reported_findings(entries: Entries, found: Found, w: modality.Words, topics: tuple[Hit, ...],
                       predicates: tuple[Hit, ...], reading: Reading) -> None:
    """In research writing, a result told in the past tense about a topic is a study's finding, even with
    no product named: "Motor scores rose significantly", "Redness dropped by 7%" describe research."""
    for hit in topics:
        predicate = predicate_for(w, hit, predicates)
        if predicate is not None and modality.reports_finding(w, predicate.start) \
                and not modality.negation_at(w, predicate.start):
            found.add(entries.evidence_is_early, hit.key, reading.weight * PREDICATE_WEIGHT[WEAK],
                      [predicate.phrase, hit.phrase])


def _points_back(words: list[str]) -> bool:
    """Whether the sentence opens on a word for the product named before: "These vesicles ...", "It ...",
    "The treatment ..." (not "Although treatment for MS has been transformed ...")."""
    return bool(words) and (words[0] in _PRODUCT_ANAPHORS
                            or words[0] in _PRODUCT_OPENERS and len(words) > 1 and words[1] in _PRODUCT_ANAPHORS)


def cue_claims(entries: Entries, found: Found, w: modality.Words, hits: SentenceHits, reading: Reading) -> None:
    """Claims carried by a cue: regulatory, evidence, safety, comparative, guarantee, avoidance, facts."""
    claims, weight, subject_cues = entries.claims, reading.weight, hits.subject_cues
    early = entries.evidence_is_early
    for hit, negated in zip(hits.cues, hits.cue_negators):
        claim = claims[hit.key]
        if hits.about_other(w, hit.start):
            continue
        if not negated and claim.negated == entries.no_fda_approved.id:
            # "not been approved, cleared or licensed by the FDA": a status in a list after a denied one
            negated = modality.denied_before_list(w, hit.start, COORDINATED)
        # "FDA cleared the IND": where an accurate fact's cue overlaps a claim's cue, the fact is what is said.
        if claim.kind != "fact" and any(s < hit.end and hit.start < e for s, e in hits.fact_spans):
            continue
        negator = negated or (_denied_elsewhere(w, hit, claim) if claim.negated else None)
        if claim.kind == "fact":
            if not negator:  # an accurate statement stays one when attributed ("FDA says ...")
                found.add(claim, claim.topic, weight, [*subject_cues, hit.phrase])
            continue
        if negator:  # decided before attribution: "the FDA says they are not approved" is still a denial
            if claim.negated:
                counterpart = claims[claim.negated]
                found.add(counterpart, counterpart.topic, weight, [*subject_cues, negator, hit.phrase])
            continue
        if modality.attribution_at(w, hit.start, reading.critical):
            continue  # reported
        pending = modality.unasserted(w, hit.start) or modality.asks_about(w, hit.start) or (
            modality.required(w, hit.start) if claim.kind == "regulatory" else None)
        if pending:  # only a condition, a hope or a rule: "if it proves effective", "must receive FDA approval"
            if claim.kind == "regulatory" and claim.negated:
                # "once exosomes are approved in Europe": an approval still to come is none yet
                counterpart = claims[claim.negated]
                found.add(counterpart, counterpart.topic, weight, [*subject_cues, pending, hit.phrase])
            continue
        if claim.kind == "evidence" and hits.early_fact:
            continue  # "In preclinical models, exosomes have been shown to ...": research, described as such
        if claim.kind in ("safety", "comparative") and not reading.overclaims and modality.describes_research(w) \
                or reading.register and claim.kind in ("evidence", "comparative"):
            # "no serious adverse events in the phase II trial" reports a trial's safety finding, "in mice it
            # worked better than retinol" a comparison the study made
            found.add(early, early.topic, weight, [*subject_cues, hit.phrase])
            continue
        hedge = modality.hedge_at(w, hit.start)
        found.add(claim, claim.topic, weight, [*subject_cues, hit.phrase, *([hedge] if hedge else [])], hedge)


def _denied_elsewhere(w: modality.Words, hit: Hit, claim: Claim) -> str | None:
    """A denial of a cue that does not stand before it: a status noun denied after it ("FDA approval ... has
    not happened"), for approval a negated subject however far away ("No product ... is approved") or a negated
    object right after it ("the FDA has approved no exosome products"), for evidence a null result right after
    it ("a trial found no difference")."""
    if claim.kind == "regulatory":
        return modality.denied_after(w, hit.end, start=hit.start) or modality.negated_subject(w) \
            or modality.denied_object(w, hit.end)
    return modality.denied_after(w, hit.end) or (modality.found_nothing(w, hit.end) if claim.kind == "evidence" else None)


def _topics_from_context(entries: Entries, found: Found, w: modality.Words, predicates: tuple[Hit, ...],
                         reading: Reading, context: Context, lead_in: Hit | None) -> tuple[tuple[Hit, ...], float]:
    """For a sentence that names no topic: the topics it takes from earlier sentences or its heading, and
    their weight. A denial pointing back ("Experts say there is no evidence for that.") denies them here."""
    if lead_in is not None and lead_in.key == "result":
        # "Results: visible within weeks" under a section about hair loss promises results for it
        return _carried(w, context.heading_topics or context.topics), CARRIED_TOPIC_WEIGHT
    if predicates:
        return carried_topics(w, predicates, context), CARRIED_TOPIC_WEIGHT
    refutation = found.refuted() if not _PRONOUN_OBJECTS.isdisjoint(w.vocab) else None
    if refutation:
        for topic in context.topics:  # "Experts say there is no evidence for that."
            found.add(entries.no_proven_benefit, topic, reading.weight * CARRIED_TOPIC_WEIGHT, [refutation])
    return (), 1.0


def carried_topics(w: modality.Words, predicates: tuple[Hit, ...], context: Context) -> tuple[Hit, ...]:
    """Topics a topic-less claim refers back to: "Hair loss? Our serum cures it." or a topic heading."""
    objects = [i for i, word in enumerate(w.words) if word in _PRONOUN_OBJECTS]
    pointing_back = any(p.start < i for p in predicates if p.category != USE for i in objects)
    return _carried(w, context.topics if pointing_back else context.heading_topics)


def _carried(w: modality.Words, topics: tuple[str, ...]) -> tuple[Hit, ...]:
    """Topics of earlier sentences as hits at the sentence's end, marked as carried: "(hair-loss)"."""
    return tuple(Hit(TOPIC, topic, len(w.words) - 1, len(w.words), f"({topic})") for topic in topics)


def topic_claims(entries: Entries, found: Found, w: modality.Words, hits: SentenceHits, topics: tuple[Hit, ...],
                 predicates: tuple[Hit, ...], reading: Reading, explicit: bool, lead_in: Hit | None,
                 carried: float) -> None:
    """A topic plus the predicate that links it (or a benefit phrase alone), or the denial of that."""
    critical, subject_cues = reading.critical, hits.subject_cues
    for hit in topics:
        if _in_a_role(w, hit) or _named_in_quotes(w, hit, predicates):
            continue  # "which play a key role in cell regeneration" (what they do in the body), or a quoted name
        if hit.category == BENEFIT:
            anchor, weight, predicate_phrase = hit.start, PREDICATE_WEIGHT[BENEFIT], None
        else:
            predicate = predicate_for(w, hit, predicates)
            if predicate is not None and _diagnoses(w, predicate, hit):
                continue  # "markers for cancer", "helps with the early diagnosis of Alzheimer's"
            if predicate is not None:
                anchor, predicate_phrase = predicate.start, predicate.phrase
                weight = PREDICATE_WEIGHT[predicate.category]
                if abs(predicate.start - hit.start) > FAR_PREDICATE:
                    weight *= FAR_WEIGHT
            elif lead_in is not None:
                # a list item under "Our exosome therapy helps with:" inherits the lead-in's verb
                anchor, weight, predicate_phrase = hit.start, PREDICATE_WEIGHT[lead_in.category], lead_in.phrase
            else:
                # "A pilot study infused vesicles into ten people with ALS": research about a topic.
                if explicit and (reading.research or found.refuted()) \
                        and not modality.attribution_at(w, hit.start, critical):
                    fact = entries.evidence_is_early if reading.research else entries.no_proven_benefit
                    found.add(fact, hit.key, reading.weight * PREDICATE_WEIGHT[WEAK], [hit.phrase])
                continue
        if hits.about_other(w, anchor) or modality.denies_saying(w, anchor):
            continue  # about another therapy, or "we do not claim that ..."
        score = reading.weight * weight * carried
        cues = [*subject_cues, *(c for c in (predicate_phrase, hit.phrase) if c)]
        _topic_claim(entries, found, w, hit, anchor, score, cues, reading)


def _topic_claim(entries: Entries, found: Found, w: modality.Words, hit: Hit, anchor: int, score: float,
                 cues: list[str], reading: Reading) -> None:
    """The entry a linked topic claims, by the modality at its predicate (`anchor`)."""
    negator = modality.negation_at(w, anchor)
    if negator:
        # "not approved for COVID-19" is a statement about approval; "does not cure" one about effect.
        if modality.is_approval_negation(negator):
            found.add(entries.no_fda_approved, entries.no_fda_approved.topic, score, [negator, *cues])
        else:
            found.add(entries.no_proven_benefit, hit.key, score, [negator, *cues])
        return
    if modality.unasserted(w, anchor, UNASSERTED_REACH):
        return  # "whether exosomes are a revolutionary hair loss treatment", "if it proves to heal ..."
    if modality.attribution_at(w, anchor, reading.critical):
        if found.refuted():
            found.add(entries.no_proven_benefit, hit.key, score, cues)
        return
    if reading.research or (reading.register and modality.reports_finding(w, anchor)):
        found.add(entries.evidence_is_early, hit.key, score, cues)
        return
    claim = entries.topic_claims.get(hit.key)
    if claim is None:
        return
    if score < ABSTAIN_BELOW:
        found.add(entries.unclear, entries.unclear.topic, score, cues)
        return
    # "MSC exosomes may therefore be a new therapeutic tool for nerve injury", in a review: the whole clause
    framing = modality.hedge_at(w, anchor, REGISTER_HEDGE_REACH) if reading.register else None
    if framing:
        found.add(entries.evidence_is_early, hit.key, score, [*cues, framing])
        return
    hedge = modality.hedge_at(w, anchor)
    found.add(claim, hit.key, score, [*cues, hedge] if hedge else cues, hedge)


def predicate_for(w: modality.Words, topic: Hit, predicates: tuple[Hit, ...]) -> Hit | None:
    """The predicate that makes a claim of `topic`: the nearest one, preferring the same clause."""
    best, best_key = None, None
    clause = w.hard[topic.start]
    for predicate in predicates:
        if predicate.start <= topic.start < predicate.end:
            continue
        counted = _counted_out(w, predicate.end, topic.start)
        if predicate.category == USE and not (0 < topic.start - predicate.end - counted + 1 <= USE_REACH):
            continue
        distance = min(abs(topic.start - predicate.end - counted), abs(predicate.start - topic.end))
        elsewhere = w.hard[predicate.start] != clause
        if elsewhere and distance > CROSS_CLAUSE_REACH:
            continue
        key = (elsewhere, distance)
        if best_key is None or key < best_key:
            best, best_key = predicate, key
    return best


def fallback_claims(entries: Entries, found: Found, w: modality.Words, hits: SentenceHits,
                    predicates: tuple[Hit, ...], reading: Reading, refers_back: bool) -> None:
    """Nothing in the KB fits: a disease claim about a condition the KB does not list (or its denial), else
    a vague health claim. The vague claim is only made when nothing else was found: "no side effects" is
    not also unclear."""
    if _unlisted_disease(entries, found, w, hits, predicates, reading):
        return
    if found.by_key or found.refuted() or not (hits.subject_cues or refers_back) or reading.register:
        return
    said = _said(w, predicates, reading)
    if _healing_claim(entries, found, w, hits, said, reading):
        return
    weight = reading.weight * UNCLEAR_WEIGHT
    vague = [p.phrase for p in said]
    joined = " " + " ".join(w.words) + " "
    wellness = {p for p in _WELLNESS_PHRASES if f" {p} " in joined}
    if (vague and (not _HEALTH_WORDS.isdisjoint(w.vocab) or any(w.stems[p.start] in _CURING_STEMS for p in said))) \
            or wellness:
        found.add(entries.unclear, entries.unclear.topic, weight, [*hits.subject_cues, *(vague[:1] or sorted(wellness)[:1])])


def _said(w: modality.Words, predicates: tuple[Hit, ...], reading: Reading) -> list[Hit]:
    """The predicates the author asserts: not "for", not negated, not someone else's, not a field's name."""
    return [p for p in predicates if p.category != USE and not modality.negation_at(w, p.start)
            and not modality.attribution_at(w, p.start, reading.critical)
            # "regenerative medicine" names a field, not a benefit
            and not _FIELDS.intersection(w.words[p.end : p.end + 3])]


def _healing_claim(entries: Entries, found: Found, w: modality.Words, hits: SentenceHits, said: list[Hit],
                   reading: Reading) -> bool:
    """A healing verb with no condition it links to claims regeneration: "It repairs damaged cells",
    "Regenerating tissue". Whether one was found."""
    healing = [p for p in said if w.stems[p.start] in _HEALING_STEMS]
    if not healing:
        return False
    hedge = modality.hedge_at(w, healing[0].start)
    found.add(entries.regeneration, entries.regeneration.topic, reading.weight * UNCLEAR_WEIGHT,
              [*hits.subject_cues, healing[0].phrase, *([hedge] if hedge else [])], hedge)
    return True


def _unlisted_disease(entries: Entries, found: Found, w: modality.Words, hits: SentenceHits,
                      predicates: tuple[Hit, ...], reading: Reading) -> bool:
    """A predicate followed by a disease word the KB has no topic for: "cures interstitial cystitis" (or
    "not shown to help interstitial cystitis", accurate). Whether one was found."""
    generic, weight = entries.generic, reading.weight * GENERIC_WEIGHT
    for predicate in predicates:
        if modality.attribution_at(w, predicate.start, reading.critical):
            continue
        reach = (USE_REACH if predicate.category == USE else 6) + _counted_out(w, predicate.end, len(w.words))
        after = w.words[predicate.end : predicate.end + reach]
        disease = [i for i, x in enumerate(after, predicate.end)
                   if (x in _DISEASE_WORDS or x.endswith(_DISEASE_SUFFIXES)) and x not in _DIAGNOSTIC]
        if not disease or _diagnoses(w, predicate, Hit(TOPIC, "other", disease[0], disease[0] + 1, "")):
            continue
        named = w.words[disease[0]]
        negator = modality.negation_at(w, predicate.start)
        if negator:
            found.add(entries.no_proven_benefit, generic.topic, weight,
                      [*hits.subject_cues, negator, predicate.phrase, named])
        else:
            hedge = modality.hedge_at(w, predicate.start)
            found.add(generic, generic.topic, weight,
                      [*hits.subject_cues, predicate.phrase, named, *([hedge] if hedge else [])], hedge)
        return True
    return False


def _named_in_quotes(w: modality.Words, topic: Hit, predicates: tuple[Hit, ...]) -> bool:
    """Whether the topic sits in a short quoted name ("'exosome hair treatments' trending online", "not
    every 'exosome facial' is the same"): a name mentioned, not a claim made. A verb in the quotation makes
    it a claim quoted ("its shots 'regrow cartilage'")."""
    if not w.quoted[topic.start]:
        return False
    start, end = topic.start, topic.end
    while start > 0 and w.quoted[start - 1]:
        start -= 1
    while end < len(w.quoted) and w.quoted[end]:
        end += 1
    return end - start <= QUOTED_NAME and not any(start <= p.start < end and w.words[p.start] not in _PRODUCT_NOUNS
                                                  for p in predicates)


def _in_a_role(w: modality.Words, topic: Hit) -> bool:
    """Whether the topic is named as what vesicles have a part in ("a key role in regeneration")."""
    clause = w.hard[topic.start]
    return any(w.hard[i] == clause and modality.phrase_at(_ROLES, w.words, i, topic.start) is not None
               for i in range(max(0, topic.start - ROLE_REACH - 1), topic.start))


def _diagnoses(w: modality.Words, predicate: Hit, topic: Hit) -> bool:
    """Whether a word of diagnosis links the predicate to its topic: the topic is to be found, not treated."""
    if predicate.start > topic.start:
        return False
    before = 1 if predicate.category == USE else 0  # "markers for": the noun before "for" is what it is for
    return not _DIAGNOSTIC.isdisjoint(w.words[max(0, predicate.start - before) : topic.start])


def _counted_out(w: modality.Words, start: int, limit: int) -> int:
    """How many words from `start` (before `limit`) only count out a quantity or name who has the condition,
    with their articles: "(for) a wide range of (skin problems)", "(for) anyone struggling with (hair loss)".
    They do not move a topic away from its predicate. 0 when none is there."""
    i, counted = start, 0
    while i < limit:
        if w.words[i] in _ARTICLES:
            i += 1
            continue
        phrase = modality.phrase_at(_QUANTITIES, w.words, i, limit)
        if phrase is None:
            break
        i += phrase.count(" ") + 1
        counted = i - start
    return counted


def prune(entries: Entries, candidates: list[Candidate]) -> list[Candidate]:
    """One finding per claim in a sentence.

    A topic-specific accurate finding replaces the general one it came with; a broad topic gives way
    to a specific one; several cues of one kind ("no downtime, no side effects, no risk") are one claim.
    """
    if len(candidates) < 2:
        return candidates  # nothing to prune: one candidate is always kept
    topics = entries.topics
    topical = {c.claim.id for c in candidates if c.topic != c.claim.topic}
    if any(c.claim.verdict == "accurate" and c.topic != c.claim.topic for c in candidates):
        # "No trial has shown that exosomes cure melasma": the finding about melasma says it all
        general = (entries.evidence_is_early.id, entries.no_proven_benefit.id)
        topical.update(c.claim.id for c in candidates if c.claim.kind == "fact" and c.claim.topic == "general"
                       and c.claim.id in general)
    specific = any(c.claim.kind in ("disease", "structure-function") and c.topic in topics
                   and not topics[c.topic].broad for c in candidates)
    kept: dict[tuple[str, str, str], Candidate] = {}
    for c in sorted(candidates, key=_by_rank):
        claim = c.claim
        if claim.id in topical and c.topic == claim.topic:
            continue
        if specific and c.topic in topics and topics[c.topic].broad:
            continue
        # claims found by cues merge by kind: "no downtime, no side effects, no risk" is one claim
        by_kind = bool(claim.cues or claim.families)
        key = (claim.kind, claim.verdict, c.topic) if by_kind else (claim.id, claim.verdict, c.topic)
        same = kept.get(key)
        if same is not None:
            same.cues.extend(x for x in c.cues if x not in same.cues)
            continue
        kept[key] = c
    return list(kept.values())


def _by_rank(c: Candidate) -> tuple[int, float, str]:
    return -SEVERITY_RANK[c.claim.severity], -c.score, c.claim.id
