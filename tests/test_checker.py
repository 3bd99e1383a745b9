"""Matcher behaviour on the mini knowledge base: modality, context and scoring, independent of KB wording."""

import pytest

import exocheck


@pytest.fixture
def check(mini_kb):
    def run(text):
        return [(f.verdict, f.claim_id, f.topic) for f in exocheck.check(text, kb=mini_kb).findings]
    return run


def test_plain_disease_claim(check):
    assert check("Exosomes cure hair loss.") == [("unsupported", "hair-loss-treatment", "hair-loss")]


@pytest.mark.parametrize("text", [
    "Exosomes do not cure hair loss.",
    "Exosomes don't regrow hair.",
    "There is no evidence that exosomes cure hair loss.",
    "Exosomes have never been shown to treat alopecia.",
])
def test_negated_false_claim_is_accurate_not_a_violation(check, text):
    assert check(text) == [("accurate", "no-proven-benefit", "hair-loss")]


def test_negation_stops_at_and(check):
    assert check("Exosomes are not FDA approved and regrow hair.") == [
        ("unsupported", "hair-loss-treatment", "hair-loss"), ("accurate", "no-fda-approved-products", "general")]


def test_pseudo_negation_keeps_the_claim(check):
    assert check("Exosomes do not just regrow hair.") == [("unsupported", "hair-loss-treatment", "hair-loss")]


def test_hedge_lowers_severity_but_not_verdict(mini_kb):
    [finding] = exocheck.check("Exosomes may help regrow hair.", kb=mini_kb).findings
    assert (finding.verdict, finding.severity) == ("unsupported", "warning")
    [plain] = exocheck.check("Exosomes regrow hair.", kb=mini_kb).findings
    assert plain.severity == "error"


def test_safety_absolute_is_a_claim_because_its_negation_is_the_claim(check):
    assert check("Our exosome facial has no side effects.") == [("misleading", "no-side-effects", "general")]


def test_regulatory_claim_and_its_negation(check):
    assert check("Our exosome serum is FDA-аpprоvеd.") == [("misleading", "fda-approved", "general")]
    assert check("There are no FDA-approved exosome products.") == [
        ("accurate", "no-fda-approved-products", "general")]


@pytest.mark.parametrize("text", [
    "Can exosomes cure hair loss?",
    "Do exosomes regrow hair",  # a question heading without its question mark
    "This product is not intended to diagnose, treat, cure or prevent any disease.",
    "Clinics claim exosomes cure hair loss.",
    "The company says its exosome serum regrows hair.",
    "Exosomes are marketed as a way to regrow hair.",
    "PRP regrows hair.",
    "Our serum regrows hair.",  # no exosome product named
])
def test_not_an_assertion_about_exosomes(check, text):
    assert check(text) == []


def test_attributed_claim_with_refutation_is_accurate(check):
    assert check("Clinics claim exosomes cure hair loss, but there is no evidence.") == [
        ("accurate", "no-proven-benefit", "hair-loss")]


def test_pronoun_inherits_the_exosome_subject(check):
    assert check("Our exosome therapy is gentle. It also regrows hair.") == [
        ("unsupported", "hair-loss-treatment", "hair-loss")]


def test_other_therapy_takes_over_the_pronoun(check):
    assert check("Our clinic offers exosomes. PRP is also popular. It regrows hair.") == []


def test_other_therapy_clause_is_not_an_exosome_claim(check):
    assert check("Minoxidil treats hair loss, while exosomes are new.") == []


def test_heading_scopes_what_follows(check):
    text = "Exosome Therapy for Knee Pain\n\nMost patients heal their knee pain within weeks."
    assert check(text) == [("unsupported", "joint-pain-treatment", "joint-pain")] * 2


def test_topic_carried_by_pronoun_object(check):
    assert check("Hair loss? Our exosome serum cures it.") == [("unsupported", "hair-loss-treatment", "hair-loss")]


def test_the_same_sentence_takes_the_topic_in_play_each_time(check):
    # decided once per topic in play, however often the site repeats it
    text = "Hair loss? Our exosome serum cures it.\n\nKnee pain? Our exosome serum cures it."
    assert check(text) == [("unsupported", "hair-loss-treatment", "hair-loss"),
                           ("unsupported", "joint-pain-treatment", "joint-pain")]


def test_research_description_is_accurate(check):
    assert check("In animal studies, exosomes helped knee pain.") == [
        ("accurate", "evidence-is-early", "joint-pain")]


def test_unlisted_disease_falls_back_to_generic_claim(check):
    assert check("Exosomes cure Lyme disease.") == [("unsupported", "generic-disease-claim", "other")]


def test_vague_health_claim_is_unverified(check):
    assert check("Exosomes help your body feel amazing.") == [("unverified", "unclear-health-claim", "general")]


def test_weak_subject_needs_a_strong_one_and_no_exclusion(check):
    assert check("EVs regrow hair.") == []
    assert check("Extracellular vesicles are tiny. EV injections regrow hair.") == [
        ("unsupported", "hair-loss-treatment", "hair-loss")]
    assert check("Extracellular vesicles are tiny. Electric vehicle EVs help the planet heal.") == []



def test_a_capitals_only_term_does_not_hide_the_same_stem_in_any_case():
    # the built-in KB lists "EV" (only in capitals) and "EVs" (any case): both stem to "ev"
    report = exocheck.check("Our EVs regrow hair.\n\nOur exosome serum is made in Utah.")
    assert [(f.line, f.claim_id) for f in report.findings] == [(1, "hair-loss-treatment")]


def test_findings_carry_exact_positions_and_citations(mini_kb):
    text = "Intro line.\nOur exosome serum regrows hair."
    [finding] = exocheck.check(text, kb=mini_kb).findings
    assert text[finding.start:finding.end] == finding.sentence == "Our exosome serum regrows hair."
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 1, 2, 32)
    assert [c.id for c in finding.citations] == ["SRC-A"]
    assert finding.suggestion == "Say it is experimental."
    assert 0 < finding.score <= 1


def test_same_input_same_output(mini_kb):
    text = "Exosomes regrow hair. They are FDA approved. No side effects!"
    assert exocheck.check(text, kb=mini_kb) == exocheck.check(text, kb=mini_kb)


def test_list_items_inherit_the_lead_in_verb(check):
    text = "Our exosome therapy helps with:\n- Hair loss\n- Knee pain\n\nBook today."
    assert check(text) == [("unsupported", "hair-loss-treatment", "hair-loss"),
                           ("unsupported", "joint-pain-treatment", "joint-pain")]


def test_not_approved_for_a_condition_is_a_regulatory_fact(check):
    assert check("Exosomes are not approved for hair loss.") == [("accurate", "no-fda-approved-products", "general")]


def test_research_about_a_topic_without_a_verb_is_accurate(check):
    assert check("A pilot trial gave exosomes to ten people with alopecia.") == [
        ("accurate", "evidence-is-early", "hair-loss")]


def test_advice_clause_needs_a_professional(check):
    assert check("Exosomes are new; ask your doctor about treatments for hair loss.") == []
    assert check("Ask me how exosomes cured my hair loss.") == [("unsupported", "hair-loss-treatment", "hair-loss")]
