from exocheck.normalize import fold, phrase_stems, stem, tokens


def test_fold_undoes_lookalikes_quotes_and_invisible_characters():
    # Cyrillic а, о, е inside an otherwise Latin word; curly quotes; a zero-width space; a soft hyphen.
    assert fold("FDA-аpprоvеd") == "fda-approved"
    assert fold("“It’s\u200b exo\u00adsome”") == "\"it's exosome\""
    assert fold("ＦＤＡ") == "fda"  # full-width letters via NFKC


def test_word_families_share_a_stem():
    assert {stem(w) for w in ("regrow", "regrows", "regrowing")} == {"regrow"}
    assert {stem(w) for w in ("regenerate", "regenerative", "regeneration")} == {"regenerat"}
    assert {stem(w) for w in ("treat", "treats", "treated", "treatment", "treatments")} == {"treat"}
    assert {stem(w) for w in ("exosome", "exosomes", "exosomal")} == {"exosom"}
    assert stem("health") != stem("heal")


def test_tokens_split_on_hyphens_and_keep_numbers():
    assert tokens(fold("Anti-aging, 2.5 ml")) == ["anti", "aging", "2", "5", "ml"]
    assert phrase_stems("the FDA-approved") == ("fda", "approv")
    assert phrase_stems("# % of patients") == phrase_stems("# percent of patients") == ("#", "percent", "of", "patient")


def test_ascii_text_folds_as_the_full_fold_does():
    """ASCII text skips NFKC and the table; that is right only while the table maps no other ASCII."""
    import unicodedata

    from exocheck.normalize import _FOLD, fold_keep_case

    ascii_text = "".join(chr(code) for code in range(128)) + " Exosomes `cure` hair loss"
    assert fold_keep_case(ascii_text) == unicodedata.normalize("NFKC", ascii_text).translate(_FOLD)
    assert fold_keep_case("Exo`somes") == "Exo'somes"
    for text in ("exo\u200bsomes `cure`", "e\u200b\u0301", "\u200b", "\uff21\u200b"):  # with masking's filler
        assert fold_keep_case(text) == unicodedata.normalize("NFKC", text).translate(_FOLD)


def test_the_fast_folds_agree_with_the_full_fold_on_mixed_text():
    import random
    import unicodedata

    from exocheck.normalize import _FOLD, fold_keep_case

    alphabet = ["a", "E", "`", " ", "\u200b", "\u0301", "é", "ｅ", "а", "’", "ﬁ", "\u00ad", "1"]
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert fold_keep_case(text) == unicodedata.normalize("NFKC", text).translate(_FOLD), repr(text)
