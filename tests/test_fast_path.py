"""The shortcuts for pages that cannot make a claim (issue 17, item 3) give exactly what the full reading gives:
the sentence count of a page that is not scanned (`segment.count`), the prefilter's first test
(`Checker._may_mention`), and a whole page's report with every shortcut against one read by the stdlib HTML
parser and scanned sentence by sentence, on adversarial pages."""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import assume, given, settings, strategies as st

from exocheck import checker as checker_module, markup, segment
from exocheck.checker import checker_for
from exocheck.document import HTML, MARKDOWN, TEXT
from exocheck.lint import lint_text
from exocheck.normalize import fold
from exocheck.segment import count, split

_LINES = st.sampled_from([
    "", " ", "\u200b", " \u200b ", "\t", "\x0b", "\x1c", "\u2028", "Exosomes cure hair loss.", "Book now",
    "# Heading", "## Q&A?", "#NoSpace", "- item one", "* item two", "1. first", "12) twelfth", "  - nested",
    "  indented continuation", "Dr. Smith treats knee pain. He says so.", "e.g. this", "Hair.Book now",
    "Results: 2 to 6 months", "Best for: early thinning", "Wait... what?!", "“Quoted.” Then more.", "A" * 1200,
    ("word " * 300).strip(), "Price 1.5 mg", "ALL CAPS BANNER", "end!", "\u200b\u200b- zw bullet", "x" * 40 + ".",
    "Short", "lower case line", "(Bracketed) Start", "The end. ", " . ", "…", "a.B", "US Inc. Co", "Yes", "No.",
])
_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n \n", "\n\u200b\n", "\n\n\n"])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(_LINES, _BREAKS), max_size=25), st.booleans())
def test_count_is_the_number_of_sentences_split_makes(lines: list[tuple[str, str]], trailing: bool) -> None:
    text = "".join(line + brk for line, brk in lines)
    text = text if trailing else text.rstrip("\r\n")
    assert count(text) == len(split(text)), repr(text)


@pytest.mark.parametrize("kind", [HTML, MARKDOWN])
def test_count_on_masked_pages(kind: str) -> None:
    page = _page("<p>Skin care. Dr. Lee sees you.</p>\n<ul><li>Acne</li>\n<li>Aging\n</li></ul>") if kind == HTML \
        else "# Skin care\n\nDr. Lee sees you.\nHair.Book now\n\n- Acne\n- Aging\n  more\nnext\n" * 50
    masked = markup.mask(page, kind)
    assert count(masked) == len(split(masked)) > 0


_WORDS = st.sampled_from([
    "exosome", "exosomes", "Exosomal", "exo", "somes", "extracellular", "vesicles", "small", "stem", "cells",
    "stem-cell", "conditioned", "media", "medium", "condition", "nano", "xsome", "secretome", "E-50", "e 50", "e",
    "50", "the", "a", "an", "XoGlo", "pro", "AB126", "microvesicles", "plexov", "covixo", "exoflo", "nanoex",
    "care", "skin", "hair", "loss", ".", ",", "-", "_", "'s", "\u200b", "\u0435\u0445\u043e\u0455\u043e\u043c\u0435",
    "1", "page-0004", "wee", "ee",
])


@settings(max_examples=800, deadline=None)
@given(st.lists(_WORDS, max_size=30), st.lists(st.sampled_from([" ", "", "-", "\n", "'", "."]), max_size=30))
def test_the_prefilters_first_test_never_misses(words: list[str], gaps: list[str]) -> None:
    """Wherever the prefilter's regex finds a possible subject, the cheaper test in front of it says 'maybe'."""
    checker = checker_for()
    text = "".join(w + (gaps[i] if i < len(gaps) else " ") for i, w in enumerate(words))
    folded = fold(text)
    regex = re.compile(checker._prefilter_source or "(?!)")
    if regex.search(folded):
        assert checker._may_mention(folded), folded


def _page(body: str) -> str:
    return ("<!DOCTYPE html>\n<html><head><title>Skin care</title>"
            '<meta name="description" content="Skin care and wellness"></head>\n<body>\n<main>\n'
            f"{body}\n</main>\n<script>var claim = 'exosomes cure everything';</script>\n</body></html>\n")


_FILLER = "<p>Our clinic offers facials, peels and massages. Book a visit today.</p>\n" * 60
# Pages long enough for the prefilter (PREFILTER_FROM characters), each with a way of naming, or seeming to name,
# an exosome product that only a full reading gets right.
_ADVERSARIAL = [
    _page(_FILLER),
    _page(_FILLER + "<p>Exo<b>some</b>s cure hair loss.</p>"),  # a product word split by tags
    _page(_FILLER + "<p>Exo<span\nclass='x'>so</span>mes regrow hair.</p>"),
    _page(_FILLER + "<p>&#101;xosomes cure hair loss.</p>"),  # a character reference
    _page(_FILLER + "<p>&#x45;xosome serum &amp; more reverses aging.</p>"),
    _page(_FILLER + "<p>\u0415\u0445\u043e\u0455\u043e\u043c\u0435s cure hair loss.</p>"),  # Cyrillic look-alikes
    _page(_FILLER + "<p>Exo\u200bsomes cure hair loss. Exo\u2060so\u00admes too.</p>"),  # invisible characters
    _page(_FILLER + "<!-- exosomes cure hair loss --><p>Nothing here.</p>"),  # a comment only
    _page(_FILLER + "<style>.exosomes-cure { color: red }</style><p>Nothing.</p>"),  # style and script only
    _page(_FILLER + "<script>if (a < b) { exosomes = 'cure hair loss'; }</script>"),
    _page(_FILLER + '<img src="a.png" alt="Exosome vial: regrows hair">'),  # shown attribute values
    _page(_FILLER + '<script type="application/ld+json">{"@type": "Product", "name": "Exosome serum", '
                    '"description": "Cures hair loss."}</script>'),
    _page(_FILLER + "<p>Stem cell therapy and conditioned media. Small extracellular vesicles heal.</p>"),
    _page(_FILLER + "<p>The E-50 serum regrows hair. Our EVs cure acne.</p>"),
    _page(_FILLER + "<title>Exosome serum</title><textarea>exosomes cure</textarea><noscript>Exosomes heal."
                    "</noscript><![CDATA[exosomes]]>"),  # shapes the tokenizer leaves to the parser
    _page(_FILLER + "<p>www.exosomes-cure.example.com and info@exosome.example</p>"),
    _page(_FILLER.replace("Our clinic offers facials, peels and massages. Book a visit today.",
                          "Nuestra clínica ofrece tratamientos faciales y masajes para la piel de todos los "
                          "clientes que nos visitan cada día en la ciudad.")),  # not English: a notice
    _page(_FILLER + "<!-- exocheck-disable-next-line hair-loss-treatment -- reason -->\n<p>Facials.</p>"),
    _page("<p>Dr. Lee.Book now</p>\r\n<ul>\r\n<li>Acne\r\n</li></ul>\r" * 80),
]


def _reports(page: str, kind: str, path: str) -> tuple[object, ...]:
    checker = checker_for()
    plain = copy.copy(checker)  # every document scanned, by the stdlib parser, sentence by sentence
    plain._prefilter_source = None
    plain._analyses, plain._decided = {}, {}
    fast = lint_text(checker, page, path, kind, set())
    real_read = markup._RunMasker.read
    markup._RunMasker.read = lambda self: False  # type: ignore[method-assign]  # the masker mask_html uses
    try:
        full = lint_text(plain, page, path, kind, set())
    finally:
        markup._RunMasker.read = real_read  # type: ignore[method-assign]
    return tuple((r.to_dict(), r.named, r.path, r.hidden, r.sentences) for r in (fast, full))


@pytest.mark.parametrize("page", _ADVERSARIAL)
def test_a_page_gets_the_report_of_the_full_reading(page: str) -> None:
    assert len(page) >= checker_module.PREFILTER_FROM
    fast, full = _reports(page, HTML, "page.html")
    assert fast == full


@pytest.mark.parametrize("page", _ADVERSARIAL[:8])
def test_the_same_as_markdown_and_text(page: str) -> None:
    for kind, path in ((MARKDOWN, "page.md"), (TEXT, "page.txt")):
        fast, full = _reports(page, kind, path)
        assert fast == full


_CUT_LINES = st.sampled_from([
    "Hair.Book now", "Hair.", "Book now.", "Dr.", "Dr.\n", "e.g.", "end...", "end!!", "“Quoted.”", "(done.)", "i.e.",
    "Ab.Cd", "x" * 995 + ". Next", "y " * 520, "Skin care. Dr. Lee sees you.", "St. ", "No.", "1.", "- 2.", "# 3.",
    "\u200b.\u200b", ". .", "a.B", "\u2028", "\x0b.", "Approx. 5", "e.g.\n", "MSc. Done",
])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(_CUT_LINES, _BREAKS), max_size=20))
def test_count_where_boundaries_meet_block_ends(lines: list[tuple[str, str]]) -> None:
    """`count` finds a text's boundaries in one pass and gives each block those that lie in it: boundaries at a
    block's end, across a line break, in a list marker, after an abbreviation, and blocks of over MAX_SENTENCE
    characters."""
    text = "".join(line + brk for line, brk in lines)
    assert count(text) == len(split(text)), repr(text)


_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")  # how `_is_abbreviation` found the word, by a regex


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([*"aZe. \n\r1\u00e9\u212a\u017f", "Dr", "e.g", "approx", "i.e", "vs", "X" * 30]),
                max_size=30))
def test_the_word_before_a_full_stop_is_the_regexs(pieces: list[str]) -> None:
    text = "".join(pieces) + "."
    for dot in (i for i, char in enumerate(text) if char == "."):
        match = _WORD_BEFORE.search(text, max(0, dot - 24), dot)
        word = match.group(1).lower().rstrip(".") if match else None
        expected = word is not None and (word in segment._ABBREVIATIONS or len(word) == 1
                                         or ("." in word and len(word) <= 5))
        assert segment._is_abbreviation(text, dot) == expected, (text, dot)


_LINE_WITH_CONTENT = re.compile(r"(?<![^\r\n])[^\r\n]*[^\s\u200b][^\r\n]*")  # a whole line that is not blank


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([*" \t\n\r\u200b\x0b\x1c\u2028ab.", "\r\n", "\n\n"]), max_size=40))
def test_the_lines_with_content_are_the_regexs(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert segment._content_lines(text) == [m.span() for m in _LINE_WITH_CONTENT.finditer(text)]
    without = text.replace("\r", "")  # the other branch: "\n" alone
    assert segment._content_lines(without) == [m.span() for m in _LINE_WITH_CONTENT.finditer(without)]


_NAME_CHARS = st.sampled_from([*"a.mdMD]!#~ yé*?[\\", ".md", ".warc.gz"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_NAME_CHARS, min_size=1, max_size=8), st.lists(st.lists(_NAME_CHARS, max_size=4), min_size=1,
                                                                 max_size=3))
def test_the_listings_name_test_is_the_globs(name: list[str], endings: list[list[str]]) -> None:
    """The include globs that are a "*" and a plain ending are tested with endswith, with the glob's answer."""
    from pathlib import PurePosixPath

    from exocheck.config import DEFAULT_INCLUDE, glob_match
    from exocheck.files import _name_test, _plain_ending

    assert all(_plain_ending(pattern) for pattern in DEFAULT_INCLUDE)
    file_name = "".join(name)
    assume(file_name != ".")  # a directory listing never holds "."
    include = tuple("*" + "".join(ending) for ending in endings)
    assert _name_test(include)(file_name) == any(glob_match(PurePosixPath(file_name), p) for p in include)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["exosom", "xosom", "xoglo", "pro", "xoglopro", "stem", "cell", "ab", "a",
                                          "b", "abc"]), min_size=1, max_size=3).map(tuple), max_size=8),
       st.lists(st.sampled_from(["exosomes", "xoglo", "pro", "stem", "cells", "abc", "ab", "b", " "]), max_size=6))
def test_the_fewest_groups_answer_as_all_of_them(groups: list[tuple[str, ...]], words: list[str]) -> None:
    text = " ".join(words)
    fewest = checker_module._fewest(groups)
    assert set(fewest) <= set(groups)
    assert any(all(w in text for w in g) for g in fewest) == any(all(w in text for w in g) for g in groups)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["w", "W", ".", "ww", "WWW.", "www", "\u0130", "\u1e87", " ", "x", "\u212a"]),
                max_size=10))
def test_the_address_test_is_a_lowered_search(pieces: list[str]) -> None:
    """`_without_addresses` lowers a text to look for "www." only when it has "w." or "W."."""
    text = "".join(pieces)
    assert checker_module._without_addresses(text) == (checker_module._url().sub(checker_module._blanked, text)
                                                       if "www." in text.lower() else text)


_NEWLINE = re.compile(r"\r\n|\r|\n")  # the line breaks line_spans and LineIndex read


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["a", "\n", "\r", "\r\n", "\n\n", " ", "\u2028", "\x0b", "\x1c", "\u200b"]),
                max_size=20))
def test_lines_without_a_carriage_return_are_split_as_by_the_regex(pieces: list[str]) -> None:
    """line_spans and LineIndex read a text without "\\r" by str.split: the same lines as the regex gives."""
    for text in ("".join(pieces), "".join(pieces).replace("\r", "")):
        breaks = list(_NEWLINE.finditer(text))
        starts = [0] + [m.end() for m in breaks]
        assert segment.line_spans(text) == list(zip(starts, [m.start() for m in breaks] + [len(text)]))
        assert segment.LineIndex(text)._starts == starts
