"""The reading rules added for real copy: document register, spec rows, conditions, negated subjects,
endogenous biology, quoted experts, and the scope of a carried subject. Each rule is tested through
`exocheck.check` on page-shaped text, and its helper in `modality` directly where that says more."""

import pytest

import exocheck
from exocheck import modality
from exocheck.normalize import fold, fold_keep_case
from exocheck.subject import Context

RANK = {"misleading": 4, "unsupported": 3, "unverified": 2, "accurate": 1}


def verdict_of(text: str, sentence: str) -> str:
    """The strongest verdict of the findings covering `sentence` in `text`, or "none"."""
    start = text.index(sentence)
    end = start + len(sentence)
    found = [f.verdict for f in exocheck.check(text).findings if f.start < end and start < f.end]
    return max(found, key=RANK.__getitem__) if found else "none"


def words(text: str) -> modality.Words:
    return modality.analyse(fold(text), fold_keep_case(text))


# --- register ---------------------------------------------------------------------------------------


ABSTRACT = """Exosomes in androgenetic alopecia: a systematic review
Background: Hair loss affects millions of people.
Methods: We searched three databases for clinical studies.
Results: Nine studies reported that exosomes may improve hair density.
Conclusions: Larger trials are needed."""


def test_an_abstract_reads_as_research_and_a_clinic_page_does_not():
    assert modality.research_register(fold(ABSTRACT))
    clinic = "Exosome Hair Restoration\nBook a consultation today. Our exosome therapy regrows hair."
    assert not modality.research_register(fold(clinic))
    # one research word is not a register
    assert not modality.research_register(fold("Exosomes regrow hair, a study says."))


def test_a_research_document_describes_research_where_a_clinic_would_sell():
    assert verdict_of(ABSTRACT, "Nine studies reported that exosomes may improve hair density.") == "accurate"
    assert verdict_of(ABSTRACT, "Exosomes in androgenetic alopecia: a systematic review") == "none"  # a title
    assert verdict_of(ABSTRACT, "Hair loss affects millions of people.") == "none"


def test_section_labels_are_found_quickly_in_blank_runs():
    # a long run of line breaks must not be rescanned from each break (this once took minutes)
    assert not modality.research_register("\n" * 200_000 + "abc " * 50_000)


def test_a_critical_article_reports_the_quotes_it_carries():
    critical = ('Exosome clinics draw FDA warnings\nThe FDA has warned that no exosome product is approved.\n'
                '"Our exosomes regrow hair," the clinic\'s owner said.')
    assert modality.critical_register(fold(critical))
    assert verdict_of(critical, '"Our exosomes regrow hair," the clinic\'s owner said.') == "none"


def test_a_doctor_quoted_in_a_promotional_feature_speaks_for_it():
    feature = ("Everything about exosome facials\nThe beauty world loves exosome therapy.\n"
               '"Exosomes fade dark spots and acne scars in weeks," says Dr Rao.')
    assert not modality.critical_register(fold(feature))
    assert verdict_of(feature, '"Exosomes fade dark spots and acne scars in weeks," says Dr Rao.') == "unsupported"


def test_an_interviewed_expert_quoted_by_pronoun_speaks_for_a_promotional_feature():
    feature = ("Everything about exosome facials\nDr Rao, a dermatologist in Pune, has used them for years.\n"
               '"Exosomes fade dark spots and calm acne in weeks," she says.\n'
               '"My exosome facial cured my rosacea," one reader wrote on Instagram.')
    assert verdict_of(feature, '"Exosomes fade dark spots and calm acne in weeks," she says.') == "unsupported"
    assert verdict_of(feature, '"My exosome facial cured my rosacea," one reader wrote on Instagram.') == "none"


# --- subject scope ----------------------------------------------------------------------------------


PAGE = """Exosome Scalp Therapy
Our exosome therapy wakes up sleeping follicles.
It also thickens thinning hair in weeks.
Hair loss affects half of all men by fifty.
Every cell in your body releases exosomes to talk to its neighbours.
Dr. Lee has treated patients for twenty years.
Best for: early thinning at the crown
Results timeline: 3 to 6 months"""


@pytest.mark.parametrize(("sentence", "verdict"), [
    ("It also thickens thinning hair in weeks.", "unsupported"),  # the pronoun carries the product
    ("Hair loss affects half of all men by fifty.", "none"),  # about the condition
    ("Every cell in your body releases exosomes to talk to its neighbours.", "none"),  # the body's own biology
    ("Dr. Lee has treated patients for twenty years.", "none"),  # about a person
    ("Best for: early thinning at the crown", "unsupported"),  # a spec row
    ("Results timeline: 3 to 6 months", "unsupported"),  # results promised for the section's topic
])
def test_the_product_subject_reaches_what_it_should_and_no_further(sentence, verdict):
    assert verdict_of(PAGE, sentence) == verdict


def test_spec_rows_are_recognised_by_their_label():
    assert modality.spec_row("Best for: thinning hair") == "use"
    assert modality.spec_row("Results: visible in weeks") == "result"
    assert modality.spec_row("Price: $450 per session") is None
    assert modality.spec_row("Exosomes regrow hair.") is None


def test_a_fact_is_found_where_no_product_is_named_on_a_product_page():
    page = "Exosome IV drips\nExosome drips are sold at spas.\nData on their long-term safety remain scarce."
    assert verdict_of(page, "Data on their long-term safety remain scarce.") == "accurate"
    # but a page that names no exosome product states no exosome facts
    assert exocheck.check("PRP is popular.\nData on its long-term safety remain scarce.").findings == []


# --- what is asserted -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Researchers believe this route could make treatments easier if exosomes prove effective.",
    "Exosomes will be offered once they are approved in Europe.",
    "The company seeks approval for its first exosome clinical trial.",
])
def test_a_condition_a_hope_or_a_request_asserts_nothing(text):
    assert not [f for f in exocheck.check(text).findings if f.verdict == "misleading"]


def violations(text: str) -> list:
    """The unsupported and misleading findings of a check of `text`."""
    return [f for f in exocheck.check(text).findings if f.verdict in ("unsupported", "misleading")]


@pytest.mark.parametrize("text", [
    "Based on vesicles from stem cells, the exosome serum's purpose is to reawaken inactive hair follicles.",
    "The hunt for the best way to reverse hair loss with exosomes goes on.",
])
def test_an_aim_or_a_search_claims_no_benefit(text):
    assert violations(text) == []
    # the same benefit, asserted, is claimed
    assert violations("The exosome serum reawakens inactive hair follicles.")


@pytest.mark.parametrize("text", [
    "Patients often ask whether exosome injections could help with their knee arthritis.",
    "The question is whether exosome serums really regrow thinning hair.",
])
def test_an_embedded_question_claims_no_benefit(text):
    assert not violations(text)


def test_a_short_quoted_name_is_mentioned_not_claimed():
    mentioned = "Readers keep asking us about 'exosome hair treatments' they saw on social media."
    assert not violations(mentioned)
    # a verb inside the quotation makes it a claim, quoted: refuted here, so accurate
    quoted = "The clinic says its exosome shots 'regrow cartilage', but no controlled trial supports that."
    assert {f.verdict for f in exocheck.check(quoted).findings} == {"accurate"}


@pytest.mark.parametrize("text", [
    "Be wary of clinics that guarantee results from exosome injections.",
    "Beware of exosome serums promising a facelift in a bottle.",
])
def test_what_the_reader_is_warned_of_is_no_claim(text):
    assert not violations(text)


def test_a_companys_press_release_speaks_for_its_product_though_it_reports_a_trial():
    release = ("VesiGen Announces Results of Its Exosome Study\n"
               "BOSTON - VesiGen today announced results from a 20-patient open-label study of VG-2, an exosome "
               "product, in knee osteoarthritis, ahead of a randomised, placebo-controlled Phase 2 trial.\n"
               "Participants reported less pain at six months in the study.\n"
               '"These results show that VG-2 can regenerate cartilage," said Dr. Ann Lee, chief executive officer.')
    assert not modality.research_register(fold(release))
    assert verdict_of(release, '"These results show that VG-2 can regenerate cartilage," said Dr. Ann Lee, '
                               'chief executive officer.') in ("unsupported", "misleading")


def test_a_negated_subject_denies_approval_however_far_the_verb():
    text = "No product containing exosomes, whether human, animal or plant derived, is approved for sale."
    assert modality.negated_subject(words(text)) == "no"
    assert {f.verdict for f in exocheck.check(text).findings} == {"accurate"}
    # "No side effects" carries its own negator: still a safety claim
    assert {f.verdict for f in exocheck.check("No side effects with our exosome mask.").findings} == {"misleading"}


@pytest.mark.parametrize("text, negator", [
    ("As of this year, not one exosome product, whether a serum or an injection, has FDA approval.", "not one"),
    ("Not a single exosome facial sold in the US, despite what clinics imply, is FDA approved.", "not a"),
    ("In the United States, no exosome product, whatever its source, has FDA approval.", "no"),
])
def test_a_negated_subject_may_follow_a_short_opening_phrase(text, negator):
    assert modality.negated_subject(words(text)) == negator
    assert {f.verdict for f in exocheck.check(text).findings} == {"accurate"}


def test_not_before_something_else_than_a_quantity_negates_no_subject():
    assert modality.negated_subject(words("Not surprisingly, our exosome serum has FDA approval.")) is None
    assert {f.verdict for f in exocheck.check("Not surprisingly, our exosome serum has FDA approval.").findings} \
        == {"misleading"}


def test_saying_one_does_not_claim_is_neither_a_claim_nor_a_denial():
    w = words("We do not claim that exosomes cure hair loss.")
    assert modality.denies_saying(w, w.words.index("cure"))
    assert exocheck.check("We do not claim that exosomes cure hair loss.").findings == []


def test_regarding_is_not_treating():
    text = "Exosome products are unproven. Regulators treat exosome products as biologics that need a licence."
    assert {f.claim_id for f in exocheck.check(text).findings} <= {"evidence-is-early", "regulated-as-biologics"}


def test_a_business_named_after_a_benefit_is_no_claim():
    text = "Exosomes are everywhere. Anti-aging clinics increasingly sell exosome drips."
    assert [f for f in exocheck.check(text).findings if f.verdict != "accurate"] == []


def test_the_us_is_a_country():
    w = words("Exosomes are not approved in the US.")
    assert "usa" in w.words and "us" not in w.words
    assert "us" in words("Call us today.").words


EXPLAINER = """Are exosome facials worth the hype?
Exosome serums and injections have flooded spas and social media, promising to regrow hair, erase wrinkles and heal everything from acne scars to joint pain.
Sellers often describe the vesicles as "the future of regenerative medicine" and say their products are "clinically proven".
The reality is more modest. Exosomes are tiny packages that cells release to communicate, and researchers are studying whether they could one day help wounds heal or hair grow.
Most of that work has been done in mice and in cell cultures. The few human studies were small, short and often funded by the companies selling the products.
No exosome product has been approved by the FDA for any use, and the agency warned in 2019 that patients in Nebraska became seriously ill after receiving unapproved exosome products.
Dermatologists also point to reports of granulomas after exosome injections.
"Patients are paying thousands of dollars for something that has never been tested properly," said one dermatologist in Chicago.
Until larger trials report, experts advise consumers to be cautious and to ask for evidence before paying for treatment."""


def test_a_critical_explainer_makes_no_violation_and_keeps_its_facts():
    findings = exocheck.check(EXPLAINER).findings
    assert not [f for f in findings if f.verdict in ("unsupported", "misleading", "unverified")], \
        [(f.verdict, f.claim_id, f.sentence[:60]) for f in findings]
    assert verdict_of(EXPLAINER, "Most of that work has been done in mice and in cell cultures.") == "accurate"
    assert verdict_of(EXPLAINER, "Dermatologists also point to reports of granulomas after exosome injections.") \
        == "accurate"


def test_a_plain_denial_of_approval_cites_the_approval_fact_not_the_ind_one():
    # "not an approval" (an IND cue) once matched "not approved" on stems and explained IND clearances
    for text in ("Exosomes are not approved.", "Exosomes are not approved in the US."):
        assert [f.claim_id for f in exocheck.check(text).findings] == ["no-fda-approved-products"]
    page = "Exosome clinic news\nThe FDA cleared the company's IND for an exosome trial; clearance is not approval."
    assert "ind-clearance-fact" in {f.claim_id for f in exocheck.check(page).findings}


# --- quantities between a predicate and its condition ----------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Exosome therapy is a treatment for a wide range of skin problems.",
    "Our exosome infusions are a treatment for a variety of health conditions.",
    "Exosome therapy is for all kinds of skin complaints.",
])
def test_a_counted_quantity_does_not_part_a_condition_from_its_predicate(sentence):
    assert verdict_of(sentence, sentence) == "unsupported"


def test_without_the_quantity_words_the_distance_still_counts():
    # "for" reaches three words only: a condition further off, with no quantity between, is not its object
    sentence = "Exosome therapy for the clinic's newest patients, whose conditions vary, is booked weekly."
    assert verdict_of(sentence, sentence) == "none"


# --- short names a document gives its product ---------------------------------------------------------


ALIASED = """Results

Here we show that MSC-derived exosomes (mExo) were taken up by neural cells in a mouse model.
mExo also promoted functional recovery in a relapsing-remitting MS model (EAE).
mExo also drove proliferation and differentiation of oligodendrocyte precursor cells for remyelination."""


def test_a_finding_told_in_the_past_tense_far_from_its_topic_is_research():
    sentence = "mExo also drove proliferation and differentiation of oligodendrocyte precursor cells for remyelination."
    assert verdict_of(ALIASED, sentence) == "accurate"


def test_a_short_name_defined_in_brackets_names_the_product_later():
    sentence = "mExo also promoted functional recovery in a relapsing-remitting MS model (EAE)."
    assert verdict_of(ALIASED, sentence) == "accurate"
    # the same sentence with no definition before it names no product
    assert verdict_of(sentence, sentence) == "none"


def test_a_bracketed_remark_or_a_name_after_another_word_is_no_alias():
    checker = exocheck.checker_for()
    context = Context()
    for sentence in ("Exosomes (see below) are tiny vesicles.", "Growth factors (GF) and exosomes are proteins.",
                     "Small extracellular vesicles (sEVs) carry RNA."):
        analysis = checker.analysed(sentence)
        context.follow(analysis.hits, sentence, "text", analysis.hits.explicit, False,
                       checker.names_given(sentence, analysis))
    assert context.aliases == (("sevs",),)
    assert context.names_by_alias(["the", "sevs", "were", "taken", "up"])
    assert not context.names_by_alias(["gf", "restores", "hair"])


RELEASE = """NovaCell Announces Results for VeloGen in Knee Osteoarthritis
BOSTON, March 3, 2026 -- NovaCell Inc. (NASDAQ: NVCL), a developer of regenerative medicines, today announced \
results from patients treated with VeloGen, its extracellular vesicle therapy derived from umbilical cord cells.
Patients say the clinic is friendly.
The company believes VeloGen can heal damaged cartilage."""


def aliases_of(*sentences: str) -> tuple[tuple[str, ...], ...]:
    checker = exocheck.checker_for()
    context = Context()
    for sentence in sentences:
        analysis = checker.analysed(sentence)
        context.follow(analysis.hits, sentence, "text", analysis.hits.explicit, False,
                       checker.names_given(sentence, analysis))
    return context.aliases


def test_a_product_named_where_it_is_described_is_named_by_that_name_later():
    # the name stands before its description, with a comma, after the paragraph's subject has moved on
    assert verdict_of(RELEASE, "The company believes VeloGen can heal damaged cartilage.") == "unsupported"
    assert verdict_of(RELEASE.replace("VeloGen, its extracellular vesicle therapy", "VeloGen, its therapy"),
                      "The company believes VeloGen can heal damaged cartilage.") == "none"


@pytest.mark.parametrize(("sentences", "alias"), [
    (("Zofin is a naturally derived, cell-free, exosome-based therapeutic.",), ("zofin",)),
    (("Our exosome serum ExoGlow is made in Korea.",), ("exoglow",)),
    (("Its exosome product, called Renova, is sold to clinics.",), ("renova",)),
    (("The launch of ReGenix, a topical serum powered by plant-derived exosomes.",), ("regenix",)),
])
def test_a_products_own_name_is_an_alias(sentences, alias):
    assert aliases_of(*sentences) == (alias,)


@pytest.mark.parametrize("sentence", [
    "NovaCell, a developer of exosome medicines, raised money.",  # a company described, not a product
    "Our exosome serum Today ships free.",  # a capitalised word after the term is no brand without a naming word
    "Dermatology is a field where exosome research grows.",  # "where" breaks the description
    "This is an exosome serum.",  # a pointer is not a name
    "Microneedling with PRP, an exosome alternative, is popular.",  # another therapy is not renamed
])
def test_a_described_company_a_common_word_or_another_therapy_is_no_alias(sentence):
    assert aliases_of(sentence) == ()


CLINIC = "Exosome Therapy at Renew Clinic\nOur exosome therapy uses vesicles from stem cells.\n"


@pytest.mark.parametrize("sentence", [
    "Watch dark spots fade away.",
    "Experience renewed energy and vitality.",
    "Imagine waking up to thicker hair.",
])
def test_a_sentence_that_speaks_to_the_reader_is_about_the_pages_product(sentence):
    assert verdict_of(CLINIC + sentence, sentence) in ("unsupported", "unverified")
    # the same words told of the world, not to the reader, describe it
    assert verdict_of(CLINIC + "Dementia slowly destroys memory.", "Dementia slowly destroys memory.") == "none"


@pytest.mark.parametrize("sentence", ["It recharges your cells.", "It reprograms aging cells."])
def test_recharging_and_reprogramming_cells_claim_regeneration(sentence):
    assert verdict_of(CLINIC + sentence, sentence) == "unsupported"


@pytest.mark.parametrize("sentence", ["Hair becomes thicker and stronger.", "Fine lines look visibly less noticeable.",
                                      "Wrinkles and age spots are tackled by stimulating collagen production."])
def test_a_result_told_with_a_verb_of_becoming_is_about_the_pages_product(sentence):
    assert verdict_of(CLINIC + sentence, sentence) == "unsupported"


def test_a_decline_told_with_a_verb_of_becoming_is_no_result():
    sentence = "As people age, the brain often becomes less efficient and memory fades."
    assert verdict_of(CLINIC + sentence, sentence) == "none"


@pytest.mark.parametrize("sentence", [
    "It is perfect for anyone struggling with hair loss.",
    "It can make a real difference for people living with arthritis.",
])
def test_who_has_the_condition_does_not_part_it_from_for(sentence):
    assert verdict_of(CLINIC + sentence, sentence) == "unsupported"


def test_numbers_written_as_words_match_as_digits():
    assert words("look ten years younger").stems == words("look 10 years younger").stems
    assert verdict_of("My skin looks ten years younger after exosome facials.",
                      "My skin looks ten years younger after exosome facials.") == "unsupported"


def test_percent_is_a_word_so_a_percentage_cue_needs_one():
    assert words("50% of patients").words == words("50 percent of patients").words
    assert {f.claim_id for f in exocheck.check("Our exosome facial cut wrinkles by up to 40%.").findings} \
        >= {"patient-statistics"}
    assert "patient-statistics" not in {
        f.claim_id for f in exocheck.check("It turns back your biological clock with exosomes by up to ten years.").findings}


NOTICE = "Exosome therapy: what patients should know\nExosome clinics are spreading fast.\n"


@pytest.mark.parametrize("sentence", [
    "They must go through clinical trials and receive FDA approval before they can be sold.",
    "Such products would need FDA approval first.",
])
def test_a_rule_that_approval_is_needed_is_no_approval_claim(sentence):
    assert verdict_of(NOTICE + sentence, sentence) == "accurate"
    # the status itself, said, is claimed
    assert verdict_of(NOTICE + "They received FDA approval.", "They received FDA approval.") == "misleading"


def test_a_fact_stays_a_fact_in_a_caution():
    sentence = "The FDA cautions consumers to be wary of clinics that offer unapproved regenerative therapies."
    assert verdict_of(NOTICE + sentence, sentence) == "accurate"
    # what the reader is warned of is still no claim
    assert violations("Be wary of clinics that guarantee exosomes regrow hair.") == []


def test_selling_an_unapproved_product_against_the_law_is_the_regulatory_fact():
    sentence = "Clinics selling them for disease are breaking the law."
    assert {f.claim_id for f in exocheck.check(NOTICE + sentence).findings if f.start >= len(NOTICE)} \
        == {"regulated-as-biologics"}


FEATURE = """Why Exosome Facials Are the Hottest Skin Treatment of 2026
"Exosomes are like text messages between cells," says Dr. Maria Lopez, a dermatologist in Miami.
They tell tired skin cells to act young again, with guaranteed results.
Studies have found that exosomes can boost collagen production.
This article looks at what research has found so far about exosomes."""


def test_a_pronoun_before_a_condition_keeps_the_subject():
    # "tired skin" comes before any predicate, but "They" points back to the exosomes: not a sentence about skin
    assert verdict_of(FEATURE, "They tell tired skin cells to act young again, with guaranteed results.") == "misleading"


def test_studies_have_found_claims_proof_and_what_research_has_found_asks():
    assert verdict_of(FEATURE, "Studies have found that exosomes can boost collagen production.") == "misleading"
    assert verdict_of(FEATURE, "This article looks at what research has found so far about exosomes.") == "none"


NEWS = """Local clinic offers new exosome treatment for joint pain
Dr. Alan Ruiz, who runs the Springfield Regenerative Center, said exosomes reduce inflammation.
Ruiz said most of his patients notice less pain within a few weeks.
"After two injections, my arthritis pain was gone," Carter told News 5."""


def test_a_quotation_ending_its_line_is_a_sentence_not_a_title():
    from exocheck.segment import TEXT, split
    roles = {s.text.strip(): s.role for s in split(NEWS)}
    assert roles['"After two injections, my arthritis pain was gone," Carter told News 5.'] == TEXT
    assert verdict_of(NEWS, '"After two injections, my arthritis pain was gone," Carter told News 5.') \
        == "unsupported"


def test_a_person_with_the_patients_treated_keeps_the_subject():
    assert verdict_of(NEWS, "Ruiz said most of his patients notice less pain within a few weeks.") == "unsupported"
    # a sentence about the person alone does not
    assert verdict_of(NEWS + "\nRuiz has practised medicine for twenty years and loves healing.",
                      "Ruiz has practised medicine for twenty years and loves healing.") == "none"


def test_a_selling_verb_reports_only_its_own_clause():
    described = "A Springfield clinic has begun offering exosome injections, a new treatment that repairs damaged joints."
    assert verdict_of(described, described) == "unsupported"
    reported = "Clinics in Florida are offering exosome injections to repair damaged joints."
    assert verdict_of(reported, reported) == "none"


@pytest.mark.parametrize("sentence", [
    "A 2024 trial found no significant difference between exosomes and placebo.",
    "Studies of exosome serums showed that they had no effect on wrinkles.",
])
def test_a_null_result_is_no_claim_of_proof(sentence):
    assert verdict_of(sentence, sentence) == "accurate"
    assert verdict_of("Studies show exosomes regrow hair.", "Studies show exosomes regrow hair.") == "misleading"


@pytest.mark.parametrize(("sentence", "claim_id"), [
    ("The FDA has now cleared our exosome product for cosmetic use.", "fda-approved"),
    ("The FDA has not cleared any exosome product.", "no-fda-approved-products"),  # not "not clear" (early evidence)
    ("It is not clear whether exosomes help.", "evidence-is-early"),
    ("Exosomes are hypoallergenic and won't trigger an immune response.", "no-rejection"),
    ("Unlike stem cells, exosomes cannot form tumors.", "completely-safe"),
    ("There are no known risks associated with exosome therapy.", "completely-safe"),
])
def test_approval_and_safety_wording(sentence, claim_id):
    assert claim_id in {f.claim_id for f in exocheck.check(sentence).findings}


@pytest.mark.parametrize("sentence", [
    "The FDA has approved no exosome products.",
    "The FDA has cleared no exosome product for any use.",
    "FDA has approved zero exosome therapies.",
    "The FDA has approved not one exosome product.",
])
def test_an_approval_with_a_negated_object_is_denied(sentence):
    assert {f.claim_id for f in exocheck.check(sentence).findings} == {"no-fda-approved-products"}


@pytest.mark.parametrize("sentence", [
    "Exosomes have yet to be approved by the FDA.",
    "Exosome therapy may one day be approved by the FDA.",
    "Exosomes are far from FDA approval.",
    "Before any exosome treatment can be FDA approved, it must pass clinical trials.",
    "Unlike Botox, which is FDA approved, exosome treatments have no approval.",
    "FDA approval for exosome therapies is still years away.",
    "Exosome therapy has not been approved, cleared or licensed by the FDA.",
])
def test_an_approval_to_come_compared_or_denied_in_a_list_is_no_approval_claim(sentence):
    found = {f.claim_id for f in exocheck.check(sentence).findings}
    assert "fda-approved" not in found
    assert "no-fda-approved-products" in found or sentence.startswith("Unlike Botox")  # "no approval": no cue


def test_an_approval_claim_after_a_contrast_or_beside_a_source_stays_one():
    assert "fda-approved" in {f.claim_id for f in exocheck.check(
        "Other exosomes are not approved, but our exosome serum is FDA approved.").findings}
    assert verdict_of("Exosomes come from human stem cells, which are the most effective source.",
                      "Exosomes come from human stem cells, which are the most effective source.") == "unsupported"


def test_a_startup_announcing_approval_is_reported():
    sentence = "Last month a startup announced that the FDA had approved its exosome spray for hair loss."
    assert "fda-approved" not in {f.claim_id for f in exocheck.check(sentence).findings}


@pytest.mark.parametrize("sentence", [
    "This review discusses current understanding of MSC exosomes in peripheral nerve repair.",
    "Objective: To review published reports of exosome use in humans with alopecia.",
    "This article looks at what exosomes are and how clinics use them for hair loss.",
])
def test_a_sentence_outlining_its_own_document_states_nothing(sentence):
    assert exocheck.check(sentence).findings == []
    # what the document found is stated
    assert verdict_of("This review found that MSC exosomes improved nerve repair in rats.",
                      "This review found that MSC exosomes improved nerve repair in rats.") == "accurate"


def test_so_far_and_so_many_do_not_break_a_clause():
    assert len(set(words("Most research so far was done in animals").hard)) == 1
    assert len(set(words("It is natural so it is safe").hard)) == 2
    text = "Exosomes are popular.\nMost of the research so far has been done in cell cultures and animals."
    assert verdict_of(text, "Most of the research so far has been done in cell cultures and animals.") == "accurate"


# --- diagnosis is not treatment; the treatments people had so far are another product ----------------------


@pytest.mark.parametrize("sentence", [
    "Exosomes can act as markers for diseases, including cancers.",
    "Exosomes may help with the early diagnosis of Alzheimer's disease.",
    "Exosomes can act as markers for many diseases.",
])
def test_a_condition_to_be_diagnosed_is_not_claimed_to_be_treated(sentence):
    assert verdict_of(sentence, sentence) == "none"


def test_diagnosis_beside_treatment_leaves_the_treatment_claim():
    sentence = "Exosomes help diagnose and treat cancer."
    assert verdict_of(sentence, sentence) == "unsupported"


def test_a_sentence_about_conventional_treatments_does_not_inherit_the_exosome_subject():
    text = "Our exosome therapy is popular.\nTraditional hair loss treatments rarely regrow hair."
    assert verdict_of(text, "Traditional hair loss treatments rarely regrow hair.") == "none"
    # the same sentence about "our" treatment is the product's claim
    text = "Our exosome therapy is popular.\nThe treatment regrows hair."
    assert verdict_of(text, "The treatment regrows hair.") == "unsupported"


def test_the_part_vesicles_play_in_the_body_is_a_description():
    text = "Mesenchymal stem cells produce plenty of exosomes, which play a key role in cell regeneration."
    assert verdict_of(text, text) == "none"
    # a claim in another clause of the same sentence still counts
    text = "These tiny structures play a part in cell regeneration, so our exosome serum can treat hair loss."
    assert verdict_of(text, text) == "unsupported"


def test_a_study_of_the_product_told_as_research_is_early_evidence_without_a_condition():
    sentence = "This phase 1 study evaluated the safety and tolerability of an MSC exosome ointment in volunteers."
    assert verdict_of(sentence, sentence) == "accurate"
    # the seller's own trial is marketing, and a sentence that is no research report says nothing
    assert verdict_of("Our exosome ointment was tested in our own trial.", "Our exosome ointment was tested in our own trial.") == "none"
    assert verdict_of("Exosome ointments are sold online.", "Exosome ointments are sold online.") == "none"


@pytest.mark.parametrize("sentence", [
    "Once exosomes are approved, we will offer them.",
    "The company seeks FDA approval for its exosome product.",
])
def test_an_approval_still_to_come_says_there_is_none_yet(sentence):
    findings = exocheck.check(sentence).findings
    assert [f.claim_id for f in findings] == ["no-fda-approved-products"]


def test_a_trial_registrations_section_labels_make_it_research():
    registration = "Study aim\nImproving ovarian function with exosomes\nDesign\nA randomised two-arm trial.\n"
    assert modality.research_register(fold(registration))
    # one multi-word label inside a sentence is not a section label
    assert not modality.research_register(fold("Our study design team loves exosomes. Book a consultation."))


def test_a_condition_naming_a_business_with_a_product_noun_between_is_no_claim():
    text = "Exosomes are injected at the Avicenna Infertility Treatment Center."
    assert verdict_of(text, text) == "none"
    text = "Our exosome infertility treatment restores fertility."
    assert verdict_of(text, text) == "unsupported"


def test_in_research_writing_a_hedge_early_in_the_clause_frames_the_claim():
    review = ("This review discusses current understanding of MSC exosomes in peripheral nerve repair.\n"
              "MSC exosomes may therefore be a new therapeutic tool for peripheral nerve injury.")
    assert verdict_of(review, "MSC exosomes may therefore be a new therapeutic tool for peripheral nerve injury.") \
        == "accurate"
    # on a clinic page the same hedged claim is still a claim
    page = "Book a consultation.\nOur exosomes may therefore be a new therapeutic tool for peripheral nerve injury."
    assert verdict_of(page, "Our exosomes may therefore be a new therapeutic tool for peripheral nerve injury.") \
        == "unsupported"


def test_research_shown_in_preclinical_models_is_no_overclaim():
    sentence = ("In preclinical models, exosomes from MSCs have been shown to stimulate fibroblasts and promote "
                "collagen production.")
    assert verdict_of(sentence, sentence) == "accurate"
    # without the research frame, "shown to" offers proof
    sentence = "Exosomes have been shown to stimulate fibroblasts and promote collagen production."
    assert verdict_of(sentence, sentence) == "misleading"


def test_a_condition_as_an_object_of_knowledge_is_not_treated():
    sentence = "We believe that studying exosomes will substantially improve our understanding of eye diseases."
    assert verdict_of(sentence, sentence) == "none"


def test_the_firm_is_a_business_not_skin_firmness():
    text = "Exosome news. The firm promotes the product for smoother skin."
    assert verdict_of(text, "The firm promotes the product for smoother skin.") == "none"
    assert verdict_of("Our exosome facial restores firmness.", "Our exosome facial restores firmness.") \
        == "unsupported"


def test_in_research_writing_background_on_treatments_makes_no_claim():
    review = ("This review discusses exosomes in multiple sclerosis.\n"
              "Although treatment for multiple sclerosis has been transformed, remyelination remains an obstacle.\n"
              "These vesicles promoted remyelination in mouse models.")
    assert verdict_of(review, "Although treatment for multiple sclerosis has been transformed, remyelination "
                              "remains an obstacle.") == "none"
    assert verdict_of(review, "These vesicles promoted remyelination in mouse models.") == "accurate"


def test_diagnosis_is_no_disease_of_its_own():
    sentence = "The growing data raise hope that exosomes may help with early diagnosis."
    assert verdict_of(sentence, sentence) != "unsupported"
