"""How a compliance reviewer reads whole pages shaped like real ones, sentence by sentence.

The pages are written for these tests (headings, bullets, spec rows, FAQs, quoted doctors, news articles).
Each expectation follows tests/corpus/LABELS.md: it names a sentence of the page (an exact, unique substring)
and what the reviewer concludes about it — the strongest verdict of the findings covering it, a set of
acceptable strongest verdicts, or None when no finding may cover it.

Categories:
  implicit   - later sentences, bullets and spec rows of an exosome page speak about the product; the scope
               ends at a sentence about PRP, a person, the disease itself or the body's own cells
  accurate   - accurate statements on an exosome page that name no product
  cues       - passive, reordered and contracted evidence, safety, regulatory and guarantee cues
  vague      - benefits with no listed condition are flagged (unsupported or unverified)
  describe   - description versus assertion: biology, research reports, reported claims, quoted doctors
  news       - a critical news article makes no unsupported or misleading finding at all
"""

from __future__ import annotations

import pytest

import exocheck

RANK = {"accurate": 1, "unverified": 2, "unsupported": 3, "misleading": 4}
FLAG = frozenset({"unsupported", "unverified"})  # a benefit with no condition named: either counts as a flag
VIOLATION = frozenset({"unsupported", "misleading"})
NOT_A_VIOLATION = frozenset({None, "accurate", "unverified"})


class Only:
    """Every non-accurate finding covering the sentence is `verdict` about `topic`, and there is one."""

    def __init__(self, verdict: str, topic: str) -> None:
        self.verdict, self.topic = verdict, topic

    def __repr__(self) -> str:
        return f"only {self.verdict}:{self.topic}"


def covering(report, text: str, quote: str) -> list:
    assert text.count(quote) == 1, f"quote must be unique in the page: {quote!r}"
    start = text.index(quote)
    end = start + len(quote)
    return [f for f in report.findings if f.start < end and start < f.end]


def strongest(findings: list) -> str | None:
    return max((f.verdict for f in findings), key=RANK.__getitem__, default=None)


def describe(findings: list) -> list[str]:
    return [f"{f.verdict}:{f.topic}:{f.claim_id}" for f in findings]


# ---------------------------------------------------------------------------------------------------------
# 1. Implicit subject, and where it ends

IMPLICIT = {
    "clinic-hair-page": ("""\
Exosome Hair Therapy at Lumen Clinic
Our exosome therapy delivers vesicles derived from donor stem cells to the scalp.
It strengthens thinning follicles and regrows hair in as little as three sessions.
Hair loss affects millions of men.
Many of our patients tried PRP injections first.
PRP uses platelets drawn from your own blood.
Book a free consultation today.
""", [
        ("Our exosome therapy delivers vesicles derived from donor stem cells to the scalp.", None),
        ("It strengthens thinning follicles and regrows hair in as little as three sessions.", "unsupported"),
        ("Hair loss affects millions of men.", None),
        ("Many of our patients tried PRP injections first.", None),
        ("PRP uses platelets drawn from your own blood.", None),
        ("Book a free consultation today.", None),
    ]),
    "spec-rows": ("""\
XoGlo Scalp Protocol
Treatment time: 45 minutes
Best for: thinning hair
Results: visible in weeks
Price: from $1,200 per session
""", [
        ("Treatment time: 45 minutes", None),
        ("Best for: thinning hair", "unsupported"),
        ("Results: visible in weeks", FLAG),
        ("Price: from $1,200 per session", None),
    ]),
    "bullets-under-facial-heading": ("""\
Why choose exosome facials?
- Smooths fine lines and wrinkles
- Fades stubborn dark spots
- Softens old acne scars
Our aestheticians also offer chemical peels and microneedling.
Sun damage is the leading cause of premature skin aging.
""", [
        ("Why choose exosome facials?", None),
        ("Smooths fine lines and wrinkles", "unsupported"),
        ("Fades stubborn dark spots", "unsupported"),
        ("Softens old acne scars", "unsupported"),
        ("Our aestheticians also offer chemical peels and microneedling.", None),
        ("Sun damage is the leading cause of premature skin aging.", None),
    ]),
    "they-joint-injections": ("""\
Exosome Joint Injections
Our exosome injections are prepared in a certified lab.
They relieve knee pain and rebuild worn cartilage.
Osteoarthritis is the most common form of arthritis.
Dr. Patel has treated professional athletes for twenty years.
""", [
        ("Our exosome injections are prepared in a certified lab.", None),
        ("They relieve knee pain and rebuild worn cartilage.", "unsupported"),
        ("Osteoarthritis is the most common form of arthritis.", None),
    ]),
    "this-treatment-iv": ("""\
Exosome IV Therapy
Our exosome IV drip infuses billions of extracellular vesicles in under an hour.
This treatment calms inflammation throughout the body.
Long COVID leaves many people exhausted for months.
This treatment helps long COVID patients get their energy back.
""", [
        ("Our exosome IV drip infuses billions of extracellular vesicles in under an hour.", None),
        ("This treatment calms inflammation throughout the body.", "unsupported"),
        ("Long COVID leaves many people exhausted for months.", None),
        ("This treatment helps long COVID patients get their energy back.", "unsupported"),
    ]),
    "faq-hair": ("""\
Exosome Hair Restoration FAQ
How does it work?
The exosomes wake up dormant follicles so hair starts growing again.
Is it painful?
Most clients describe a mild tingling.
Is PRP a better option?
PRP relies on your own platelets, and results vary from person to person.
""", [
        ("How does it work?", None),
        ("The exosomes wake up dormant follicles so hair starts growing again.", "unsupported"),
        ("Is it painful?", None),
        ("Most clients describe a mild tingling.", None),
        ("Is PRP a better option?", None),
        ("PRP relies on your own platelets, and results vary from person to person.", None),
    ]),
    "testimonial-it": ("""\
Real results with ExoFlo
"I had tried every cream for my psoriasis.
After three infusions it cleared my plaques completely."
- Maria, 52, Phoenix
""", [
        ("- Maria, 52, Phoenix", None),
    ]),
    "serum-they": ("""\
Dermaline Exosome Serum
Our serum contains ten billion exosomes in every bottle.
They boost collagen and firm sagging skin.
Wrinkles form as collagen breaks down with age.
Apply two drops every evening after cleansing.
""", [
        ("Our serum contains ten billion exosomes in every bottle.", None),
        ("They boost collagen and firm sagging skin.", "unsupported"),
        ("Wrinkles form as collagen breaks down with age.", None),
        ("Apply two drops every evening after cleansing.", None),
    ]),
    "body-own-cells": ("""\
Exosome Therapy for Recovery
Every cell releases exosomes to communicate.
Our therapy concentrates exosomes from donated umbilical tissue.
It speeds up healing of torn tendons and ligaments.
Jake, our head physiotherapist, ran three marathons last year.
""", [
        ("Every cell releases exosomes to communicate.", None),
        ("Our therapy concentrates exosomes from donated umbilical tissue.", None),
        ("It speeds up healing of torn tendons and ligaments.", "unsupported"),
        ("Jake, our head physiotherapist, ran three marathons last year.", None),
    ]),
    # background prose names its own subject (a disease, a market, a device); the product's claims stay
    # with the sentences that point back to it, speak as the seller or name the people treated
    "background-prose-between-claims": ("""\
Exosome Therapy for Memory and Joints
Our exosome infusions are prepared in-house.
Dementia slowly destroys memory and the ability to reason.
The wellness market has been racing to reduce the cost of care.
The needling device breaks up scar tissue and encourages remodelling.
Most patients notice sharper memory within weeks.
The method also relieves stiff knees.
We treat arthritis in a single visit.
""", [
        ("Dementia slowly destroys memory and the ability to reason.", None),
        ("The wellness market has been racing to reduce the cost of care.", None),
        ("The needling device breaks up scar tissue and encourages remodelling.", None),
        ("Most patients notice sharper memory within weeks.", "unsupported"),
        ("The method also relieves stiff knees.", "unsupported"),
        ("We treat arthritis in a single visit.", "unsupported"),
    ]),
    # the product acting on the body's own cells is a claim; "phase" of hair growth is no trial phase
    "product-acts-on-own-stem-cells": ("""\
Exosome Scalp Therapy
Our exosome therapy is applied after microneedling.
It activates your own stem cells to repair thinning follicles.
They wake up resting follicles and push them into the growth phase.
""", [
        ("It activates your own stem cells to repair thinning follicles.", "unsupported"),
        ("They wake up resting follicles and push them into the growth phase.", "unsupported"),
    ]),
    # a share of people is a result claim only with an outcome; a prevalence figure is background
    "prevalence-versus-results": ("""\
Exosome Hair Restoration
By the age of 50, about 50% of men have visible thinning at the crown.
In our clinic, 90% of men noticed thicker hair after three exosome sessions.
""", [
        ("By the age of 50, about 50% of men have visible thinning at the crown.", None),
        ("In our clinic, 90% of men noticed thicker hair after three exosome sessions.", "misleading"),
    ]),
    # a result promised to the people treated is a claim, though it names neither product nor condition
    "clients-see-a-glow": ("""\
Exosome Glow Facial
Our exosome facial follows a gentle microneedling pass.
Most clients see a visible glow within days, and results keep improving for weeks.
""", [("Most clients see a visible glow within days, and results keep improving for weeks.", FLAG)]),
    # a healing verb claims regeneration even when the condition named is not its object
    "healing-verb-beside-an-unlinked-topic": ("""\
Regenerative Exosome Infusions
Once exosomes reach damaged cells, they dock on their surface and release signals that drive healing.
Mesenchymal stem cells release exosomes, which play a key role in tissue regeneration.
""", [
        ("Once exosomes reach damaged cells, they dock on their surface and release signals that drive healing.",
         "unsupported"),
        ("Mesenchymal stem cells release exosomes, which play a key role in tissue regeneration.", None),
    ]),
}

# ---------------------------------------------------------------------------------------------------------
# 2. Accurate statements on an exosome page that name no product

ACCURATE = {
    # an abstract's results name no product: told in the past tense, they are the study's findings
    "abstract-results-without-the-product": ("""\
Background: Small extracellular vesicles from adipose stem cells were tested in a pilot study.
Methods: Eighteen adults with knee osteoarthritis received three intra-articular injections of the vesicles.
Results: Knee pain decreased by 31% at twelve weeks, and cartilage thickness was unchanged.
Osteoarthritis is the most common joint disease in older adults.
""", [
        ("Knee pain decreased by 31% at twelve weeks", "accurate"),
        ("Osteoarthritis is the most common joint disease in older adults.", None),
    ]),
    "regulators-cleared-none": ("""\
Exosome therapies: what you should know
Exosomes are tiny vesicles that carry signals between cells.
Many clinics now sell them as injections and facials.
Regulators have cleared none of them.
They are regulated as drugs.
""", [
        ("Exosomes are tiny vesicles that carry signals between cells.", None),
        ("Many clinics now sell them as injections and facials.", None),
        ("They are regulated as drugs.", "accurate"),
    ]),
    "proof-missing": ("""\
The science behind exosome treatments
Proof that they work is still missing.
Data on long-term safety remain scarce.
""", [
        ("Proof that they work is still missing.", "accurate"),
        ("Data on long-term safety remain scarce.", "accurate"),
    ]),
    "infections-linked": ("""\
Are exosome treatments safe?
Infections have been linked to these products.
In 2019, several patients in Nebraska fell seriously ill after receiving them.
""", [
        ("Are exosome treatments safe?", None),
        ("Infections have been linked to these products.", "accurate"),
        ("In 2019, several patients in Nebraska fell seriously ill after receiving them.", "accurate"),
    ]),
    "no-approval-hair": ("""\
Exosome hair treatments
None of these products has FDA approval.
The agency considers them unapproved biologics.
""", [
        ("None of these products has FDA approval.", "accurate"),
        ("The agency considers them unapproved biologics.", "accurate"),
    ]),
    "animal-studies": ("""\
What the research says about exosome facials
The evidence so far comes mostly from animal studies.
Larger human trials are still needed.
""", [
        ("The evidence so far comes mostly from animal studies.", "accurate"),
        ("Larger human trials are still needed.", "accurate"),
    ]),
    "purity-unknown": ("""\
Exosome IV drips
Their purity and contents are often unknown.
They are not risk-free.
""", [
        ("They are not risk-free.", "accurate"),
    ]),
    "before-you-book": ("""\
Before you book an exosome session
No such product is approved in the United States.
Contamination has been found in some samples.
""", [
        ("No such product is approved in the United States.", "accurate"),
        ("Contamination has been found in some samples.", "accurate"),
    ]),
    "knee-evidence": ("""\
Exosomes for knee pain: the evidence
Only a handful of small studies exist.
It is too early to say whether they help.
""", [
        ("Only a handful of small studies exist.", "accurate"),
        ("It is too early to say whether they help.", "accurate"),
    ]),
}

# ---------------------------------------------------------------------------------------------------------
# 3. Cue phrasing variants

CUES = {
    "research-has-demonstrated": ("""\
Exosome Knee Injections
Research has demonstrated that our exosome injections rebuild cartilage.
""", [("Research has demonstrated that our exosome injections rebuild cartilage.", "misleading")]),
    "rejection-minimal": ("""\
Donor Exosome Therapy
With donor exosomes the chance of rejection is minimal.
""", [("With donor exosomes the chance of rejection is minimal.", "misleading")]),
    "clinically-shown-implicit": ("""\
XOsomes Brightening Facial
It's been clinically shown to fade melasma.
""", [("It's been clinically shown to fade melasma.", "misleading")]),
    "cleared-by-the-fda-reordered": ("""\
Exosome IV Drip
Cleared by the FDA in 2023, our exosome IV supports immune health.
""", [("Cleared by the FDA in 2023, our exosome IV supports immune health.", "misleading")]),
    # a comparison with another treatment is a claim of superiority, in whatever comparative; the same
    # comparison reported from a mouse study describes research
    "comparatives-with-other-treatments": ("""Exosome Skin Booster
Gentler on the skin than a chemical peel and safer than fillers, our exosome booster needs no downtime.
Its glow lasts longer than with ordinary serums.
In a mouse study the vesicles healed wounds faster than standard dressings.
Stem cells release more exosomes than skin cells do.
""", [("Gentler on the skin than a chemical peel and safer than fillers", Only("unsupported", "general")),
      ("Its glow lasts longer than with ordinary serums.", "unsupported"),
      ("In a mouse study the vesicles healed wounds faster than standard dressings.", "accurate"),
      ("Stem cells release more exosomes than skin cells do.", None)]),
}

# ---------------------------------------------------------------------------------------------------------
# 4. Benefits with no listed condition

VAGUE = {
    "healing-potential": ("""\
Exosome Therapy
Our exosome therapy unlocks your body's healing potential.
""", [("Our exosome therapy unlocks your body's healing potential.", FLAG)]),
    "repairs-damaged-cells": ("""\
XoGlo Exosomes
XoGlo exosomes repair damaged cells.
""", [("XoGlo exosomes repair damaged cells.", FLAG)]),
    "breakthrough": ("""\
Exosome IV at Vitalis
Our exosome IV is a breakthrough in regenerative medicine.
""", [("Our exosome IV is a breakthrough in regenerative medicine.", FLAG)]),
    "younger-state": ("""\
Longevity Exosome Program
Exosome treatments reset your cells to a younger state.
""", [("Exosome treatments reset your cells to a younger state.", FLAG)]),
    "inside-out": ("""\
Exosome Wellness Infusion
Feel renewed from the inside out with exosome therapy.
""", [("Feel renewed from the inside out with exosome therapy.", FLAG)]),
    "recharge": ("""\
Exosome Shots
Our exosome shots recharge your body at the cellular level.
""", [("Our exosome shots recharge your body at the cellular level.", FLAG)]),
    "restores-what-time-took": ("""\
Exosome IV Therapy
Our exosome IV is made from donated placental tissue.
It restores what time has taken.
""", [("It restores what time has taken.", FLAG)]),
    "every-system": ("""\
Why exosomes?
Exosomes rejuvenate every system in the body.
""", [("Exosomes rejuvenate every system in the body.", FLAG)]),
}

# ---------------------------------------------------------------------------------------------------------
# 5. Description versus assertion

DESCRIBE = {
    "endogenous-biology": ("""\
How cells talk to each other
Every cell in your body sheds exosomes.
Immune cells use exosomes to alert their neighbours to an infection.
Exosomes carry proteins, lipids and RNA from one cell to another.
""", [
        ("Immune cells use exosomes to alert their neighbours to an infection.", None),
        ("Exosomes carry proteins, lipids and RNA from one cell to another.", None),
    ]),
    "mouse-study": ("""\
New research on exosomes
In a mouse study, exosomes reduced joint inflammation.
""", [("In a mouse study, exosomes reduced joint inflammation.", "accurate")]),
    "abstract": ("""\
Background: Exosomes from mesenchymal stem cells have been proposed for androgenetic alopecia.
Methods: We applied topical exosomes to 20 mice for four weeks.
Results: Treated mice showed faster hair regrowth than controls.
Conclusion: Exosomes may promote hair growth in mice; human trials are needed.
""", [
        ("Methods: We applied topical exosomes to 20 mice for four weeks.", NOT_A_VIOLATION),
        ("Results: Treated mice showed faster hair regrowth than controls.", "accurate"),
        ("Conclusion: Exosomes may promote hair growth in mice; human trials are needed.", "accurate"),
    ]),
    "critics-report-claims": ("""\
The exosome hype machine
Clinics claim exosomes reverse aging.
Influencers push exosome facials for everything.
Some spas advertise exosome facials as a cure for acne scars.
""", [
        ("Clinics claim exosomes reverse aging.", None),
        ("Influencers push exosome facials for everything.", None),
        ("Some spas advertise exosome facials as a cure for acne scars.", None),
    ]),
    "doctor-in-promo-feature": ("""\
Meet the expert: Dr. Lena Ortiz, medical director at GlowLab
"Exosome injections regrow hair in almost every patient I treat," says Dr. Ortiz.
"They also tighten loose skin after weight loss," she adds.
""", [
        ('"Exosome injections regrow hair in almost every patient I treat," says Dr. Ortiz.', VIOLATION),
        ('"They also tighten loose skin after weight loss," she adds.', "unsupported"),
    ]),
    "dont-claim-but": ("""\
Exosome Hair Boost
We don't claim exosomes cure anything, but they regrow hair.
""", [("We don't claim exosomes cure anything, but they regrow hair.", Only("unsupported", "hair-loss"))]),
    "the-us-is-not-us": ("""\
Exosome treatments in America
Clinics across the US now offer exosome facials.
Exosome products are not approved in the US.
""", [
        ("Clinics across the US now offer exosome facials.", None),
        ("Exosome products are not approved in the US.", "accurate"),
    ]),
    "pilot-study": ("""\
Exosomes and wound care
A small pilot study found that exosome gel sped up healing of diabetic foot ulcers in 15 patients.
The authors say larger controlled trials are needed.
""", [
        ("A small pilot study found that exosome gel sped up healing of diabetic foot ulcers in 15 patients.",
         "accurate"),
        ("The authors say larger controlled trials are needed.", NOT_A_VIOLATION),
    ]),
}

CASES = [("implicit", IMPLICIT), ("accurate", ACCURATE), ("cues", CUES), ("vague", VAGUE),
         ("describe", DESCRIBE)]


def _params():
    for category, pages in CASES:
        for name, (text, expectations) in pages.items():
            for i, (quote, expected) in enumerate(expectations):
                yield pytest.param(text, quote, expected, id=f"{category}-{name}-{i}")


@pytest.mark.parametrize("text, quote, expected", list(_params()))
def test_sentence_on_a_real_shaped_page(text, quote, expected):
    found = covering(exocheck.check(text), text, quote)
    got = strongest(found)
    if isinstance(expected, Only):
        claims = [f for f in found if f.verdict != "accurate"]
        assert claims and all((f.verdict, f.topic) == (expected.verdict, expected.topic) for f in claims), \
            (quote, expected, describe(found))
    elif isinstance(expected, frozenset):
        assert got in expected, (quote, sorted(map(str, expected)), describe(found))
    else:
        assert got == expected, (quote, expected, describe(found))


# ---------------------------------------------------------------------------------------------------------
# 6. Critical news articles: no unsupported or misleading finding anywhere

NEWS = {
    "spa-facials": ("""\
The booming, unregulated business of exosome facials
By Jane Holt, health correspondent
Exosome facials have become one of the most requested treatments at medical spas.
Clinics claim the vesicles erase wrinkles and regrow thinning hair.
One Miami spa advertises its serum as "clinically proven" and "100% safe."
Dermatologists say the marketing runs far ahead of the science.
The FDA has not approved any exosome product.
In 2019 the agency warned that patients in Nebraska had suffered serious adverse events after exosome injections.
"There is no good evidence that these products do what they promise," said Dr. Karen Wu, a dermatologist in Boston.
Most studies so far have been done in mice or in small groups of patients without a control group.
A 2024 review found only nine small human studies on exosomes for hair loss.
Researchers also worry that the products are poorly characterised and may be contaminated.
Influencers push exosome facials for everything from acne to rosacea.
Until larger trials are done, experts advise caution.
""", [
        'The booming, unregulated business of exosome facials',
        'By Jane Holt, health correspondent',
        'Exosome facials have become one of the most requested treatments at medical spas.',
        'Clinics claim the vesicles erase wrinkles and regrow thinning hair.',
        'One Miami spa advertises its serum as "clinically proven" and "100% safe."',
        'Dermatologists say the marketing runs far ahead of the science.',
        'The FDA has not approved any exosome product.',
        ("In 2019 the agency warned that patients in Nebraska had suffered serious adverse events "
         "after exosome injections."),
        ('"There is no good evidence that these products do what they promise," '
         'said Dr. Karen Wu, a dermatologist in Boston.'),
        'Most studies so far have been done in mice or in small groups of patients without a control group.',
        'A 2024 review found only nine small human studies on exosomes for hair loss.',
        'Researchers also worry that the products are poorly characterised and may be contaminated.',
        'Influencers push exosome facials for everything from acne to rosacea.',
        'Until larger trials are done, experts advise caution.',
    ]),
    "fda-warning-letters": ("""\
FDA warns clinics over exosome injections for joint pain
The Food and Drug Administration has sent warning letters to several clinics selling exosome injections.
The letters say the clinics marketed the products to treat osteoarthritis, back pain and even COVID-19.
One clinic's website promised that exosomes would "rebuild cartilage and end knee pain for good."
Another told patients they could skip knee replacement surgery.
Exosomes used to treat disease are regulated as drugs and need FDA approval, the agency said.
No such approval has been granted.
The agency also noted reports of infections and other serious reactions.
Some clinic owners insist the treatments are safe and effective.
Independent experts disagree.
"The evidence is preclinical at best," said Dr. Samuel Reyes, an orthopaedic surgeon.
In animal studies, exosomes have reduced cartilage damage, but those results have not been replicated in people.
Patients who paid thousands of dollars say they saw no improvement.
""", [
        'The Food and Drug Administration has sent warning letters to several clinics selling exosome injections.',
        'The letters say the clinics marketed the products to treat osteoarthritis, back pain and even COVID-19.',
        "One clinic's website promised that exosomes would \"rebuild cartilage and end knee pain for good.\"",
        'Exosomes used to treat disease are regulated as drugs and need FDA approval, the agency said.',
        'No such approval has been granted.',
        'The agency also noted reports of infections and other serious reactions.',
        'Some clinic owners insist the treatments are safe and effective.',
        'Independent experts disagree.',
        '"The evidence is preclinical at best," said Dr. Samuel Reyes, an orthopaedic surgeon.',
        ("In animal studies, exosomes have reduced cartilage damage, "
         "but those results have not been replicated in people."),
        'Patients who paid thousands of dollars say they saw no improvement.',
    ]),
    "longevity-drips": ("""\
Can exosomes really slow aging? Scientists urge caution
Anti-aging clinics increasingly sell exosome IV drips as a path to longevity.
Their websites describe the drips as "cellular rejuvenation" that reverses aging.
But the science is far less settled.
A small pilot study published last year found that exosome infusions were tolerated by 12 older adults.
The study was not designed to test whether the infusions slowed aging.
In mice, exosomes from young animals have improved some markers of tissue repair.
Whether that translates to humans is unknown.
The FDA says there are no approved exosome products and has warned the public about unapproved ones.
Regulators in the US treat exosome products as biologics that require a licence.
One clinic founder told us the drips had "zero side effects."
Scientists point out that any infusion carries risks, including infection.
More research is needed before anyone can say exosomes do anything for aging, said Prof. Maria Lind.
""", [
        'Can exosomes really slow aging? Scientists urge caution',
        'Their websites describe the drips as "cellular rejuvenation" that reverses aging.',
        'But the science is far less settled.',
        'A small pilot study published last year found that exosome infusions were tolerated by 12 older adults.',
        'The study was not designed to test whether the infusions slowed aging.',
        'In mice, exosomes from young animals have improved some markers of tissue repair.',
        'Whether that translates to humans is unknown.',
        'The FDA says there are no approved exosome products and has warned the public about unapproved ones.',
        'One clinic founder told us the drips had "zero side effects."',
        'Scientists point out that any infusion carries risks, including infection.',
        'More research is needed before anyone can say exosomes do anything for aging, said Prof. Maria Lind.',
    ]),
}


def _news_params():
    for name, (text, sentences) in NEWS.items():
        for i, sentence in enumerate(sentences):
            yield pytest.param(text, sentence, id=f"news-{name}-{i}")


@pytest.mark.parametrize("text, sentence", list(_news_params()))
def test_a_critical_news_sentence_is_not_a_violation(text, sentence):
    found = covering(exocheck.check(text), text, sentence)
    assert strongest(found) in NOT_A_VIOLATION, (sentence, describe(found))


@pytest.mark.parametrize("name", ["spa-facials", "fda-warning-letters", "longevity-drips"])
def test_a_critical_news_article_has_no_violation_at_all(name):
    text, _ = NEWS[name]
    violations = [f for f in exocheck.check(text).findings if f.verdict in VIOLATION]
    assert not violations, [(f.sentence, f.verdict, f.claim_id) for f in violations]
