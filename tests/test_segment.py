from exocheck.segment import HEADING, ITEM, TEXT, LineIndex, split


def texts(text):
    return [s.text for s in split(text)]


def test_offsets_slice_the_original_text():
    text = "  Dr. Lee uses exosomes.  They regrow hair!\nBook now."
    for sentence in split(text):
        assert text[sentence.start:sentence.end] == sentence.text


def test_abbreviations_and_decimals_do_not_end_sentences():
    assert texts("Dr. Smith injects approx. 2.5 ml of exosomes, e.g. XoGlo. Results vary.") == [
        "Dr. Smith injects approx. 2.5 ml of exosomes, e.g. XoGlo.", "Results vary."]


def test_missing_space_after_full_stop_is_a_boundary():
    assert texts("Exosomes regrow hair.Book now") == ["Exosomes regrow hair.", "Book now"]


def test_headings_bullets_and_paragraphs():
    text = "# Exosome Facial\n\nBenefits of our serum:\n- Boosts collagen\n* Fades dark spots\n\nCall us today. We open at 9."
    sentences = split(text)
    assert [(s.text, s.role) for s in sentences] == [
        ("Exosome Facial", HEADING), ("Benefits of our serum:", TEXT), ("Boosts collagen", ITEM),
        ("Fades dark spots", ITEM), ("Call us today.", TEXT), ("We open at 9.", TEXT)]


def test_unpunctuated_short_lines_are_separate():
    assert texts("EXOSOME HAIR THERAPY\nRegrows hair\nNo side effects") == [
        "EXOSOME HAIR THERAPY", "Regrows hair", "No side effects"]


def test_wrapped_prose_stays_one_sentence():
    text = "Our clinic offers a range of regenerative treatments that are tailored to\nyour needs and goals."
    assert texts(text) == [text]


def test_a_long_title_case_line_is_a_title_not_the_start_of_the_next_sentence():
    title = "Regenerative Exosome Treatments in Chronic Wound Care: Where the Clinical Evidence Stands Today"
    text = f"{title}\nChronic wounds affect millions of older adults and are hard to treat in primary care.\n"
    assert [(s.text, s.role) for s in split(text)] == [
        (title, HEADING), ("Chronic wounds affect millions of older adults and are hard to treat in primary care.", TEXT)]
    # wrapped prose with a few capitalised names stays one sentence
    prose = ("Patients in Boston and New York who tried Exosome Serum from our Partner Clinic often report\n"
             "that their skin looked brighter within a week or two of the first visit.")
    assert texts(prose) == [prose]


def test_line_index_counts_characters_and_handles_crlf_and_cr():
    index = LineIndex("ab\r\ncd\ref\ng")
    assert index.position(0) == (1, 1)
    assert index.position(4) == (2, 1)
    assert index.position(7) == (3, 1)
    assert index.position(10) == (4, 1)


def test_the_blank_run_pattern_accepts_exactly_the_blank_characters():
    import sys

    from exocheck.segment import _LEADING_BLANKS, _blank

    every = (chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
    assert [c for c in every if bool(_LEADING_BLANKS.fullmatch(c)) != _blank(c)] == []
