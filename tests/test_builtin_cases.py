"""Cases found by reading the built-in KB's output on real-looking copy, kept so they stay fixed.

Each asserts what a reviewer would conclude about the sentence, on the shipped knowledge base.
"""

import pytest

import exocheck


def verdicts(text: str) -> list[tuple[str, str]]:
    return [(f.verdict, f.claim_id) for f in exocheck.check(text).findings]


@pytest.mark.parametrize("text, expected", [
    ("FDA cleared the IND for the exosome product AB126, which allows a phase 1b/2a trial to begin.",
     "ind-clearance-fact"),
    ("Exosome products need FDA approval before they can be sold.", "regulated-as-biologics"),
    ("FDA regulates exosomes as drugs and biologics.", "regulated-as-biologics"),
    ("FDA approval of exosome products has not happened.", "no-fda-approved-products"),
])
def test_accurate_regulatory_statements_are_not_approval_claims(text, expected):
    found = verdicts(text)
    assert ("accurate", expected) in found
    assert [v for v, _ in found] == ["accurate"] * len(found), found


@pytest.mark.parametrize("text", [
    "Our exosomes are approved.",
    "Our exosome therapy is approved for hair loss.",
    "Our exosome IV has FDA approval.",
    "Our exosome facial is FDA approved with no downtime.",  # "no" after an approval is not its denial
])
def test_approval_claims_with_or_without_the_fda(text):
    assert ("misleading", "fda-approved") in verdicts(text)


@pytest.mark.parametrize("text", [
    "Nothing regrows hair like exosomes.",
    "No one else offers exosomes that regrow hair like ours.",
    "Exosomes don't just regrow hair, they also erase wrinkles.",
    "Exosomes never fail to regrow hair.",
    "Exosomes regrew hair in 95% of our patients.",
])
def test_superlatives_and_past_tenses_are_still_claims(text):
    found = verdicts(text)
    assert ("unsupported", "hair-loss-treatment") in found
    assert not any(v == "accurate" for v, _ in found), found


def test_skin_thinning_is_not_hair_loss():
    assert not any(f.topic == "hair-loss" for f in exocheck.check(
        "Our exosome facial treats skin thinning and hydrates.").findings)


@pytest.mark.parametrize("text", [
    "See https://exosomes-cure-hair-loss.example.com today.",
    "Visit www.exosomes-regrow-hair.com/offer for details.",
    "Write to hair-loss-cure@exosomes.example for an appointment.",
])
def test_web_and_mail_addresses_are_not_claims(text):
    assert verdicts(text) == []


def test_a_claim_next_to_an_address_is_still_found():
    [finding] = exocheck.check("Exosomes cure hair loss (https://example.com/a).").findings
    assert finding.claim_id == "hair-loss-treatment"
    assert finding.sentence == "Exosomes cure hair loss (https://example.com/a)."


@pytest.mark.parametrize("text, claims", [
    ("Our exosome serum is great. Our new shampoo regrows hair.", 0),
    ("We also offer exosome facials. Our hair transplant surgeons restore hair permanently.", 0),
    ("Our exosome serum is great. Our serum also regrows hair.", 1),  # the same product, named again
])
def test_another_product_of_the_seller_does_not_inherit_the_exosome_subject(text, claims):
    assert len([f for f in exocheck.check(text).findings if f.verdict != "accurate"]) == claims


@pytest.mark.parametrize("text, expected", [
    ("Do exosomes regrow hair? Yes, in just 8 weeks.", [("unsupported", "hair-loss-treatment")]),
    ("Can exosomes reverse aging? Absolutely.", [("unsupported", "regeneration-claim")]),
    # a "No" answer asserts nothing of the question's, but its own words are an accurate statement
    ("Do exosomes regrow hair? No, there is no good evidence.", [("accurate", "evidence-is-early")]),
    ("Do exosomes regrow hair?", []),
    ("Do exosomes regrow hair? Yes, in mice, in early lab studies.", [("accurate", "evidence-is-early")]),
])
def test_a_question_answered_yes_is_an_assertion(text, expected):
    assert verdicts(text) == expected


def test_an_answered_question_is_reported_over_question_and_answer():
    text = "FAQ\n\nDo exosomes regrow hair? Yes, in just 8 weeks."
    [finding] = exocheck.check(text).findings
    assert finding.sentence == "Do exosomes regrow hair? Yes, in just 8 weeks."
    assert text[finding.start:finding.end] == finding.sentence


@pytest.mark.slow
def test_the_document_prefilter_never_changes_a_result():
    """Skipping documents that name no exosome product is only a shortcut: on every labelled text, and on
    each with its exosome words removed, the findings are those of a checker without the prefilter."""
    import copy
    from pathlib import Path

    import yaml

    from exocheck import checker as checker_module

    corpus = Path(__file__).parent / "corpus"
    texts = []
    for name in ("sentences.yaml", "passages.yaml", "holdout.yaml"):
        data = yaml.safe_load((corpus / name).read_text(encoding="utf-8"))
        for item in data if isinstance(data, list) else next(v for v in data.values() if isinstance(v, list)):
            texts.append(item.get("text") or item.get("sentence") or "")
    texts += [t.replace("xosom", "").replace("vesicle", "") for t in texts]
    assert sum(bool(t.strip()) for t in texts) > 1000
    prefiltered = exocheck.checker_for()
    plain = copy.copy(prefiltered)
    plain._prefilter_source = None
    plain._analyses, plain._decided = {}, {}
    # Long enough for the prefilter to be used: the text, then blank lines.
    pad = "\n" * checker_module.PREFILTER_FROM
    for text in texts:
        assert prefiltered.check(text + pad).findings == plain.check(text + pad).findings, text


def test_attribution_ends_where_the_author_contradicts_it():
    assert verdicts("We do not claim that exosomes cure hair loss, but they do regrow hair.") == [
        ("unsupported", "hair-loss-treatment")]
    assert verdicts("Clinics claim exosomes regrow hair, but there is no evidence.") == [
        ("accurate", "no-proven-benefit")]
