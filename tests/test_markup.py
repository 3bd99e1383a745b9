"""Markdown and HTML readers: masked text keeps every visible character at its index, and only that text
is checked, so findings point at the right line and column of the original file."""

from __future__ import annotations

import html
import random
import re
import time

import pytest

import exocheck
from exocheck.document import kind_for_path
from exocheck.markup import ZWSP, mask, mask_html, mask_markdown
from exocheck.segment import HEADING, ITEM, LineIndex, split

CLAIM = "Exosomes cure hair loss"
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][-.A-Za-z0-9]*);?")  # as html.parser reads them


def assert_masked(text: str, masked: str) -> None:
    """The reader's contract: same length, line breaks in place, and every other character either the
    original one, a filler, an inserted heading, bullet or label marker (the ":" after a table row's spec
    label), or decoded from an entity starting there."""
    assert len(masked) == len(text)
    for index, (original, char) in enumerate(zip(text, masked)):
        if original in "\r\n":
            assert char == original, f"line break at {index} overwritten"
        elif char != original and char not in (ZWSP, " ", "\n", "#", "-", ":"):
            assert _decoded_from_entity(text, index, char), f"{char!r} at {index} replaces {original!r}"


def _decoded_from_entity(text: str, index: int, char: str) -> bool:
    for start in range(index, max(-1, index - 40), -1):
        match = _ENTITY.match(text, start) if text[start] == "&" else None
        if match and index < match.end():
            decoded = html.unescape(match.group())
            return index - start < len(decoded) and decoded[index - start] == char
    return False


def located(text: str, kind: str) -> list[tuple[str, int, int]]:
    """(verdict, line, column) of each finding in the masked text, positioned in the original."""
    masked = mask(text, kind)
    assert_masked(text, masked)
    lines = LineIndex(text)
    return [(f.verdict, *lines.position(f.start)) for f in exocheck.checker_for().check(masked, path="x").findings]


def where(text: str, needle: str) -> tuple[int, int]:
    return LineIndex(text).position(text.index(needle))


INTRO_MD = "# Our clinic\n\nWe are open on Sundays.\n\n"


def test_a_table_row_with_a_spec_label_reads_as_a_spec_row():
    text = ("# Exosome Scalp Therapy\n\nOur exosome therapy uses donor vesicles.\n\n"
            "| Detail | Value |\n|---|---|\n| Sessions | 3 |\n| Ideal for | early thinning |\n| Facial | Relaxing |\n")
    masked = mask(text, "markdown")
    assert_masked(text, masked)
    assert "Ideal for:  early thinning" in masked  # the row as it would be written in text
    assert "Facial:" not in masked and "Sessions:" not in masked  # other rows keep their cells apart
    assert located(text, "markdown") == [("unsupported", *where(text, "Ideal for"))]

# --- Markdown ---------------------------------------------------------------------------------------------

MD_HIDDEN = {
    "fenced code": "```text\nExosomes cure hair loss\n```\n",
    "tilde fence in a list": "- Prices:\n\n  ~~~\n  Exosomes cure hair loss\n  ~~~\n",
    "indented code": "Example:\n\n    Exosomes cure hair loss\n",
    "inline code": "Type `Exosomes cure hair loss` into the form.\n",
    # Relative links and a scheme other than http(s): bare web addresses are never checked in any kind of
    # text, so only these show that the Markdown reader itself skips destinations.
    "link URL": "See [our page](/exosomes-cure-hair-loss).\n",
    "link title": 'See [our page](https://example.com "Exosomes cure hair loss").\n',
    "reference definition": '[page]: https://example.com/exosomes-cure-hair-loss "Exosomes cure hair loss"\n',
    "autolink": "<irc://example.com/exosomes-cure-hair-loss>\n",
    "HTML comment": "<!-- Exosomes cure hair loss -->\n",
    "inline HTML comment": "Open daily <!-- Exosomes cure hair loss --> from nine.\n",
    "raw HTML block": "<div class=\"claim\">\nExosomes cure hair loss\n</div>\n",
    "image URL": "![Clinic photo](img/exosomes-cure-hair-loss.png)\n",
}


@pytest.mark.parametrize("body", MD_HIDDEN.values(), ids=MD_HIDDEN.keys())
def test_markdown_markup_is_not_checked(body):
    text = INTRO_MD + body
    assert exocheck.check(text).findings, "the unmasked text should contain a finding, or this test proves nothing"
    assert located(text, "markdown") == []


@pytest.mark.parametrize("front", [
    "---\nkeywords: Exosomes cure hair loss\n---\n",
    "---\nkeywords: Exosomes cure hair loss\n...\n",
    "+++\nkeywords = \"Exosomes cure hair loss\"\n+++\n",
])
def test_markdown_front_matter_is_not_checked(front):
    text = front + "# Our clinic\n\nWe are open on Sundays.\n"
    assert exocheck.check(text).findings
    assert located(text, "markdown") == []


MD_SHOWN = {
    "paragraph": "Good news. Exosomes cure hair loss.\n",
    "ATX heading": "## Exosomes cure hair loss ##\n",
    "setext heading": "Exosomes cure hair loss\n=======================\n",
    "bullet item": "- Book online\n- Exosomes cure hair loss\n",
    "starred item": "* Book online\n* Exosomes cure hair loss\n",
    "numbered item": "1. Book online\n2. Exosomes cure hair loss\n",
    "table cell": "| Service | Promise |\n|:---|---:|\n| Facial | Exosomes cure hair loss |\n",
    "table cell after escaped pipe": "| a \\| b | Exosomes cure hair loss |\n|---|---|\n",
    "link text": "[Exosomes cure hair loss](https://example.com/a \"More\") and more.\n",
    "reference link text": "[Exosomes cure hair loss][more].\n\n[more]: https://example.com/a\n",
    "image alt": "![Exosomes cure hair loss](before-after.png)\n",
    "emphasis": "**Exosomes** _cure_ ~~thinning~~ hair loss.\n",
    "blockquote": "> Patients love it.\n>\n> Exosomes cure hair loss.\n",
    "heading in a blockquote": "> ## Exosomes cure hair loss\n",
    "item in a quoted list": "> - Book online\n> - Exosomes cure hair loss\n",
    "after inline code": "Use `code` daily.\n\nExosomes cure hair loss.\n",
    "escape and entity": "Exosomes cure hair&nbsp;loss \\*guaranteed\\*.\n",
    "inline HTML inside a word": "Exo<b>somes</b> cure hair loss.\n",
}


@pytest.mark.parametrize("body", MD_SHOWN.values(), ids=MD_SHOWN.keys())
def test_markdown_visible_claims_are_found_at_their_place(body):
    text = INTRO_MD + body
    assert located(text, "markdown") == [("unsupported", *where(text, "Exo"))]


def test_markdown_entity_negation_reads_as_negation():
    text = "Exosomes don&rsquo;t cure hair loss.\n"
    assert located(text, "markdown") == [("accurate", 1, 1)]


def test_markdown_inline_markup_inside_words_keeps_the_word():
    masked = mask_markdown("exo**some**s and exo<b>some</b>s\n")
    assert masked.replace(ZWSP, "") == "exosomes and exosomes\n"


def test_markdown_keeps_markers_the_segmenter_needs():
    text = "# Title\n\n- one\n- two\n\n1. three\n"
    assert mask_markdown(text) == text
    assert [s.role for s in split(mask_markdown(text))] == [HEADING, ITEM, ITEM, ITEM]


def test_markdown_table_cells_are_separate_sentences():
    text = "| Service | Claim |\n|---|---|\n| Facial | Exosomes cure hair loss |\n"
    masked = mask_markdown(text)
    assert [s.text for s in split(masked)] == ["Service", "Claim", "Facial", CLAIM]
    assert "|" not in masked and "---" not in masked


def test_markdown_crlf_keeps_columns():
    body = "\n".join(MD_SHOWN.values())
    lf = INTRO_MD + body
    crlf = lf.replace("\n", "\r\n")
    assert located(crlf, "markdown") == located(lf, "markdown")
    assert len(located(lf, "markdown")) == len(MD_SHOWN)


# --- HTML -------------------------------------------------------------------------------------------------

PAGE = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n{head}</head>\n<body>\n<p>We are open on Sundays.</p>\n{body}</body>\n</html>\n"

HTML_HIDDEN = {
    "script": "<script>\nconst claim = 'Exosomes cure hair loss';\n</script>\n",
    "style": "<style>/* Exosomes cure hair loss */ p { color: red }</style>\n",
    "code": "<p>Type <code>Exosomes cure hair loss</code> here.</p>\n",
    "pre": "<pre>\nExosomes cure hair loss\n</pre>\n",
    "comment": "<!--\nExosomes cure hair loss\n-->\n",
    "title attribute": "<p><a href=\"/a\" title=\"Exosomes cure hair loss\">More</a></p>\n",
    "data attribute": "<div data-claim=\"Exosomes cure hair loss\">Open daily</div>\n",
    "noscript": "<noscript>Exosomes cure hair loss</noscript>\n",
    "template": "<template><p>Exosomes cure hair loss</p></template>\n",
    "svg title": "<svg><title>Exosomes cure hair loss</title><text>Exosomes cure hair loss</text></svg>\n",
    "img src": "<img src=\"/exosomes-cure-hair-loss.png\">\n",
}


@pytest.mark.parametrize("body", HTML_HIDDEN.values(), ids=HTML_HIDDEN.keys())
def test_html_invisible_content_is_not_checked(body):
    text = PAGE.format(head="<title>Our clinic</title>\n", body=body)
    assert exocheck.check(text).findings, "the unmasked text should contain a finding, or this test proves nothing"
    assert located(text, "html") == []


@pytest.mark.parametrize("head", [
    "<meta name=\"keywords\" content=\"Exosomes cure hair loss\">\n",
    "<script type=\"application/ld+json\">{\"claim\": \"Exosomes cure hair loss\"}</script>\n",
    "<style>.x::after { content: 'Exosomes cure hair loss' }</style>\n",
])
def test_html_head_is_not_checked(head):
    assert located(PAGE.format(head=head, body=""), "html") == []


HTML_SHOWN = {
    "h2": "<h2 class=\"hero\">Exosomes cure hair loss</h2>\n",
    "p": "<p>Good news. Exosomes cure hair loss.</p>\n",
    "li": "<ul>\n  <li>Book online</li>\n  <li class=\"x\">Exosomes cure hair loss</li>\n</ul>\n",
    "td": "<table><tr><th>Facial</th><td>Exosomes cure hair loss</td></tr></table>\n",
    "img alt": "<img src=\"a.png\" alt=\"Exosomes cure hair loss\">\n",
    "inline tags": "<p><b>Exosomes</b> <a href=\"/x\">cure</a> hair loss.</p>\n",
    "nbsp": "<p>Exosomes cure hair&nbsp;loss</p>\n",
    "numeric entities": "<p>Exosomes cure hair&#160;loss &#x2014; guaranteed</p>\n",
    "uppercase tags": "<P CLASS=\"x\">Exosomes cure hair loss.</P>\n",
    "quoted > in an attribute": "<p title=\"a > b\" data-x='>'>Exosomes cure hair loss.</p>\n",
    "unclosed p": "<p>Exosomes cure hair loss\n",
    "text without tags": "Exosomes cure hair loss\n",
}


@pytest.mark.parametrize("body", HTML_SHOWN.values(), ids=HTML_SHOWN.keys())
def test_html_visible_claims_are_found_at_their_place(body):
    text = PAGE.format(head="<title>Our clinic</title>\n", body=body)
    assert located(text, "html") == [("unsupported", *where(text, "Exosomes"))]


@pytest.mark.parametrize("head", [
    "<title>Exosomes cure hair loss</title>\n",
    "<meta name=\"description\" content=\"Exosomes cure hair loss\">\n",
    "<META NAME=\"Description\" CONTENT='Exosomes cure hair loss' />\n",
])
def test_html_title_and_description_are_checked(head):
    text = PAGE.format(head=head, body="")
    assert located(text, "html") == [("unsupported", *where(text, "Exosomes"))]


def test_html_entity_negation_reads_as_negation():
    text = "<p>Exosomes don&rsquo;t cure hair loss.</p>"
    assert located(text, "html") == [("accurate", 1, 4)]
    description = "<meta name=\"description\" content=\"Exosomes don&rsquo;t cure hair loss.\">"
    assert located(description, "html") == [("accurate", 1, 35)]


def test_html_entities_are_decoded_in_place():
    assert mask_html("a&amp;b") == "a&" + ZWSP * 4 + "b"
    assert mask_html("don&rsquo;t").replace(ZWSP, "") == "don’t"
    assert mask_html("&#65;&#x42;c") == "A" + ZWSP * 4 + "B" + ZWSP * 5 + "c"
    assert mask_html("&unknown; &#xZZ;") == "&unknown; &#xZZ;"


def test_html_inline_tags_inside_words_keep_the_word():
    assert mask_html("exo<b>some</b>s").replace(ZWSP, "") == "exosomes"


def test_html_list_items_are_separate_sentences():
    text = "<ul><li>Exosomes regrow hair</li><li>No downtime</li><li class=\"last\">Book today</li></ul>"
    sentences = split(mask_html(text))
    assert [(s.text, s.role) for s in sentences] == [
        ("Exosomes regrow hair", ITEM), ("No downtime", ITEM), ("Book today", ITEM)]
    assert [s.start for s in sentences] == [text.index(s) for s in ("Exosomes", "No downtime", "Book today")]


def test_html_pretty_printed_items_and_headings_leave_no_stray_markers():
    text = "<ul>\n  <li>\n    <a href=\"#\">Exosomes cure hair loss</a>\n  </li>\n  <li>Two</li>\n</ul>\n<h2>\n  Title\n</h2>"
    sentences = split(mask_html(text))
    assert [(s.text, s.role) for s in sentences] == [(CLAIM, HEADING), ("Two", ITEM), ("Title", HEADING)]
    assert located(text, "html") == [("unsupported", *where(text, CLAIM))]


def test_html_headings_become_heading_lines():
    text = "<div><h3>Exosome therapy for knee pain</h3><p>Most patients feel relief within weeks.</p></div>"
    masked = mask_html(text)
    assert "\n# " in masked
    assert [s.role for s in split(masked)] == [HEADING, "text"]


def test_html_crlf_keeps_columns():
    lf = PAGE.format(head="<title>Our clinic</title>\n", body="".join(HTML_SHOWN.values()))
    crlf = lf.replace("\n", "\r\n")
    assert located(crlf, "html") == located(lf, "html")
    assert len(located(lf, "html")) == len(HTML_SHOWN)


MALFORMED = [
    "<p>unclosed <b>bold <i>italic",
    "a < b and c > d",
    "<div class='x",
    "<div class=\"unterminated>Exosomes cure hair loss</div> after",
    "text </> more",
    "</>",
    "<![ x]> and <![foo[bar]]> and <![CDATA[data]]> and <![CDATA[open",
    "<!-- never closed",
    "<!",
    "</",
    "<",
    "&",
    "&amp",
    "&nbsp;</> &foo.bar; &amp.x; &#65x",
    "&#",
    "&#1114112; &#0; &#xD800;",
    "<<p>>",
    "<script>if (a < b) { x = '</p>' }",
    "<p>x</p foo='>'>y",
    "<?php echo 1; ?>text",
    "<a href=x title=y>z</a >",
    "<head><title>T</title><h1>Heading without body</h1>",
    "<title>never closed",
    "<code>never closed <p>still code</p>",
    "\r\n<p>\r\nold\rmac\r</p>",
    "<p>\u0000 nul</p>",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_html_malformed_input_does_not_crash(text):
    assert_masked(text, mask_html(text))


def test_html_unclosed_tag_swallows_the_rest_like_a_browser():
    assert located("<p>Fine.</p><div class='x Exosomes cure hair loss", "html") == []


def test_html_unclosed_head_ends_at_the_first_body_element():
    text = "<head><title>Clinic</title>\n<h1>Exosomes cure hair loss</h1>"
    assert located(text, "html") == [("unsupported", *where(text, "Exosomes"))]


# --- both readers -----------------------------------------------------------------------------------------

def test_kind_for_path():
    assert [kind_for_path(p) for p in ("a.md", "b.MARKDOWN", "c.mdown", "d.mkd", "page.html", "P.HTM",
                                         "x.xhtml", "notes.txt", "README", "dir.md/file.rst")] == [
        "markdown", "markdown", "markdown", "markdown", "html", "html", "html", "text", "text", "text"]


def test_mask_dispatches_and_plain_text_is_unchanged():
    text = "<b>Exosomes</b> `cure` hair loss"
    assert mask(text, "text") is text
    assert mask(text, "markdown") == mask_markdown(text)
    assert mask(text, "html") == mask_html(text)
    with pytest.raises(ValueError):
        mask(text, "pdf")


@pytest.mark.parametrize("kind", ["markdown", "html"])
@pytest.mark.parametrize("text", ["", "\n", "\r\n\r\n", "   ", "<!-- only a comment -->", "```\ncode only\n```",
                                  "---\n", "***", "<br>", "<html><head></head><body></body></html>", "&nbsp;"])
def test_empty_and_markup_only_documents(text, kind):
    assert located(text, kind) == []


MD_FRAGMENTS = [*MD_HIDDEN.values(), *MD_SHOWN.values(), "\n", "\n\n", "  \n", "\t- tab item\n", "> ", "`",
                "**", "_", "[", "](", "<", "&", "&amp;", "\\", "|", "---\n", "===\n", "    ", "\r\n", "\r",
                "<span>", "</p>", "~~~\n", "```\n", "1) x\n", "***\n", "[x]: <y>\n", "+++\n", "\u0000"]
HTML_FRAGMENTS = [*HTML_HIDDEN.values(), *HTML_SHOWN.values(), *MALFORMED, "<br/>", "<li>", "<h1>", "</h1>",
                  "<td>", "&nbsp;", "&lt;", "\n", "\r\n", "<head>", "</head>", "<title>", "<body>", "<meta>"]


@pytest.mark.parametrize("kind, fragments", [("markdown", MD_FRAGMENTS), ("html", HTML_FRAGMENTS)])
def test_random_documents_keep_the_invariant(kind, fragments):
    rng = random.Random(20240607)
    for _ in range(300):
        text = "".join(rng.choice(fragments) for _ in range(rng.randint(1, 12)))
        assert_masked(text, mask(text, kind))


MD_SECTION = (INTRO_MD + "\n".join(MD_HIDDEN.values()) + "\n" + "\n".join(MD_SHOWN.values())
              + "\n" + "Plain prose about opening hours, parking and prices. " * 20 + "\n\n")
HTML_SECTION = "<section>\n" + "".join(HTML_HIDDEN.values()) + "".join(HTML_SHOWN.values()) + "</section>\n"


@pytest.mark.parametrize("kind, section, claims", [
    ("markdown", MD_SECTION, len(MD_SHOWN)), ("html", HTML_SECTION, len(HTML_SHOWN))])
def test_a_large_document_is_fast(kind, section, claims):
    copies = 1_000_000 // len(section) + 1
    text = section * copies
    started = time.perf_counter()
    masked = mask(text, kind)
    elapsed = time.perf_counter() - started
    assert len(masked) == len(text) >= 1_000_000
    assert elapsed < 5, f"{kind}: {elapsed:.2f} s for {len(text):,} characters"
    assert masked[: len(section)] == mask(section, kind)  # the same reading at the start of a large file
    assert_masked(section, mask(section, kind))
    findings = exocheck.checker_for().check(mask(section * 3, kind), path="x").findings
    assert len(findings) == 3 * claims
