"""HTML masking takes shortcuts (the common shapes of HTML read by a tokenizer instead of the stdlib parser,
text events skipped, tag shapes encoded once, the parser's position read without getpos()); these tests keep
its output equal to the plain reading of every parser event."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings, strategies as st

from exocheck import markup
from exocheck.markup import ZWSP, _Canvas, _closable_end, _HtmlMasker, _TokenMasker, mask_html


def _plain_mask_html(text: str) -> str:
    """mask_html as first written: every mark applied, the position from getpos(), nothing cached."""
    closed = _closable_end(text)
    parser = _HtmlMasker(text[:closed])
    parser._offset = lambda: parser.line_starts[parser.getpos()[0] - 1] + parser.getpos()[1]  # type: ignore[method-assign]
    parser.feed(text[:closed])
    parser.close()
    canvas = _Canvas(text)
    cursor = 0
    for index, (start, end, how, argument) in enumerate(parser.marks):
        if end < 0:
            end = parser.marks[index + 1][0] if index + 1 < len(parser.marks) else closed
        canvas.fill(cursor, start, ZWSP)
        markup._apply(canvas, start, end, how, argument)
        cursor = max(cursor, end)
    canvas.fill(cursor, closed, ZWSP)
    canvas.fill(closed, len(text), " ")
    for start, end in parser.json_copy:  # JSON-LD copy, as mask_html shows it
        canvas.block(start - 2, start, "\n\n")
        canvas.json_string(start, end)
        canvas.block(end, end + 2, "\n\n")
    return canvas.result()


_PIECE_LIST = [
    "<p>", "</p>", "<b>", "</b>", "<li>", "<h2>", "</h2>", "<br>", "<title>", "</title>", "<head>", "</head>",
    "<script>x</script>", "<!-- c -->", "<!doctype html>", '<img alt="exo&amp;somes">', "&amp;", "&#233;", "&nbsp;",
    '<meta name="description" content="Exosome therapy">', "<div\nclass='a'>", "</div>", "<", ">", "\n", "\r\n", " ",
    "Exosomes cure hair loss.", "exo", "somes", "Book now!", "<a href='/x'>", "</a>", "<pre>", "</pre>",
    # shapes the tokenizer reads, or must leave to the parser
    "<script>if (a < b) { x = '&amp;'; }</script>", "<style>p { color: red }</style>", "<script>", "</script>",
    "<SCRIPT>x</SCRIPT>", "<script>a</script >", "<script><!-- x --></script>", "<script/>", "<style>a</b></style>",
    "<!---->", "<!-->", "<!--->", "<!-- a -- b -->", "<!-- a --->", "<!-- a --!>", "<!-- a -- >", "<![CDATA[x]]>",
    "<?php echo 1 ?>", "<!ELEMENT x>", "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">",
    "<textarea>a &amp; b</textarea>", "<title>Exo&#115;omes</title>", "<title>a <b> c</title>", "<xmp>a</xmp>",
    "<noscript><img alt=x></noscript>", "<plaintext>", "<iframe>x</iframe>",
    "<br/>", "<br />", "<img src=x.png alt=exosomes>", "<img alt=\"\">", "<img alt>", '<IMG ALT="Exo&#115;omes">',
    '<META NAME="Description" CONTENT="Exosomes cure">', "<meta property='og:title' content='Exosome facial'>",
    '<meta name=" description " content="x" />', '<a href="x"class="y">', '<p title="a>b">', "<p\n>", "</ p>",
    "</p\n>", "<custom-el data-x='1'>", "</custom-el>", "<a href=/x/>", "<p =x>", "<p a=b=c>",
    "&#101;xosome", "&#x65;xosomes", "&copy 2024", "&copy;", "&amp", "&#;", "&#x;", "& ", "&", "&a.b;", "&#12ab;",
    "<3", "< p", "a<b", "<=", "<", "<<p>", "\u0435\u0445\u043e\u0455\u043e\u043c\u0435", "exo\u200bsome",
    "\u00a0", "\x0b", "\x0c", "\r",
    '<script type="application/ld+json">{"@type": "Product", "name": "Exosome serum", "description": "cures"}</script>',
    "<script type='Application/LD+JSON'>[{\"@type\": \"Article\", \"headline\": \"Exo\\u0073omes\"}]</script>",
]
_PIECES = st.sampled_from(_PIECE_LIST)
# The pieces the tokenizer leaves to the parser, alone (a page with any of them is read by the parser).
_LEFT = {
    "<title>", "<", "<script>", "<script>a</script >", "<script><!-- x --></script>", "<script/>", "<style>a</b></style>",
    "<!---->", "<!-->", "<!--->", "<!-- a -- b -->", "<!-- a --->", "<!-- a --!>", "<!-- a -- >", "<![CDATA[x]]>",
    "<?php echo 1 ?>", "<!ELEMENT x>", "<textarea>a &amp; b</textarea>", "<title>Exo&#115;omes</title>",
    "<title>a <b> c</title>", "<plaintext>", '<a href="x"class="y">', '<p title="a>b">', "</ p>", "</p\n>", "<a href=/x/>",
    "<p =x>", "<p a=b=c>", "&copy 2024", "&amp", "&#;", "&#x;", "&a.b;", "&#12ab;", "<<p>",
}


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_masking_equals_its_plain_reading(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert mask_html(text) == _plain_mask_html(text)
    assert mask_html(text) == _plain_mask_html(text)  # again, with every tag shape cached


def test_long_tags_are_not_cached() -> None:
    text = "<p " + "x" * 1000 + ">Exosomes<div>cure</div>"
    assert mask_html(text) == _plain_mask_html(text)
    assert all(size <= markup._BLOCK_CACHE_SIZE for _, size in markup._BLOCKS)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_the_tokenizer_gives_the_parsers_events(pieces: list[str]) -> None:
    """Where the tokenizer reads a document, its events (as the masker's marks) are the stdlib parser's."""
    text = "".join(pieces)
    text = text[:_closable_end(text)]
    tokens = _TokenMasker(text)
    if tokens.read():
        parser = _HtmlMasker(text)
        parser.feed(text)
        parser.close()
        assert tokens.marks == parser.marks
        assert tokens.json_copy == parser.json_copy
        assert tokens.broken == parser.broken


def test_the_tokenizer_reads_what_it_can_alone() -> None:
    for piece in _PIECE_LIST:
        text = piece[:_closable_end(piece)]
        assert _TokenMasker(text).read() == (piece not in _LEFT), piece


def test_the_tokenizer_on_many_pages_of_its_shapes() -> None:
    """Pages made of the pieces it reads (adversarial copy included: split words, references, look-alike and
    invisible letters, comments, scripts): where it reads the page, the events are the parser's, and it reads
    most of them."""
    chooser = random.Random(17)
    readable = [p for p in _PIECE_LIST if p not in _LEFT]
    read = 0
    for _ in range(3000):
        text = "".join(chooser.choices(readable, k=chooser.randint(0, 30)))
        text = text[:_closable_end(text)]
        tokens = _TokenMasker(text)
        if tokens.read():
            read += 1
            parser = _HtmlMasker(text)
            parser.feed(text)
            parser.close()
            assert (tokens.marks, tokens.json_copy, tokens.broken) == (parser.marks, parser.json_copy, parser.broken)
        assert mask_html(text) == _plain_mask_html(text)
    assert read > 1500


def test_the_tokenizer_reads_common_pages() -> None:
    """The fast reading is the one a crawled page gets: its common shapes are all read by the tokenizer."""
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Exosome facial, and more</title>\n'
        '<meta name="description" content="Exosomes &#8211; what they do">\n<link rel="stylesheet" href="/a.css">'
        "<style>body { margin: 0 }</style><script>var a = 1 < 2 && 3;</script></head>\n<body class=home>\n"
        "<!-- nav -->\n<nav><a href='/'>Home</a> <a href=\"/book\">Book now</a></nav>\n<main><h1>Exo<b>some</b>s</h1>"
        '<p>Our exosome serum &mdash; 100% safe &amp; effective.<br/>Q & A</p><img src="a.png" alt="Exosome vial" />'
        "<ul><li>Hair loss</li><li>Aging</li></ul></main></body></html>\n"
    )
    tokens = _TokenMasker(page)
    assert tokens.read()
    assert mask_html(page) == _plain_mask_html(page)


def test_the_tokenizer_leaves_other_shapes_to_the_parser() -> None:
    for text in ("<p>a</p><![CDATA[x]]>", "<script>a</script ><p>b", "<title>a &amp; b</title>", "<!-- a -- b -->",
                 "<a href=/x/>x</a>", "<p>&copy 2024</p>", "<script/><p>exosomes</p>"):
        assert not _TokenMasker(text).read(), text
        assert mask_html(text) == _plain_mask_html(text)


# Pieces at the edges of a run of ordinary markup (`_RunMasker`): tags that end a run in any case, a heading or
# list item whose "# " or "- " depends on what follows it on its line (an <img>, the end of a run, a line break),
# a stray </title> that masks back over earlier runs, the same "<" or "&" as text and as a shape left to the
# parser, references a run decodes (and one it leaves), look-alike and invisible letters, tags with line breaks.
_RUN_PIECES = [
    "<h2>", "<H3 class=x>", "</h2>", "<li>", "</li>", "<br>", "<br/>", "<BR >", "<p>", "</P>", "<b>", "</b>",
    "<img alt='Exosomes cure'>", "<IMG alt=x>", "<Title>Exosome facial</title>", "</title>", "</TITLE>",
    "<meta name=description content='Exosome facial'>", "<head>", "</head>", "<body>", "</body>", "<CODE>x</code>",
    "<pre>a &amp; b</pre>", "<svg><p>x</p></svg>", "<SCRIPT>x</SCRIPT>", "</script>", "<style>p{}</style>",
    "<noscript>Exosomes</noscript>", "<template><b>x</b></template>", "<!-- c -->", "<!doctype html>",
    "<![CDATA[x]]>", "<?x?>", "<", "< b", "&", "& b", "&amp;", "&#101;", "&#x65;", "&nbsp;", "&notanentity;",
    "&NotEqualTilde;", "&#1114112;", "&#xD800;", "&copy", "<p\nclass='a'\r\n>", "</div\n>", "<div\r\nid=x>",
    "<a href='/exosomes'>", "</a>", "<imgx>", "<metadata>", "<headline>", "<titles>", "<prefix>", "<codes>",
    "Exo", "somes cure hair loss.", "\u0435\u0445\u043e", "exo\u200bsome", "\n", "\r\n", "\r", " ", "  \n",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_RUN_PIECES), max_size=40))
def test_runs_of_ordinary_markup_are_masked_as_their_events(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert mask_html(text) == _plain_mask_html(text)
    assert mask_html(text) == _plain_mask_html(text)  # again, with every token's mask remembered
    text = text[:_closable_end(text)]
    assert markup._RunMasker(text).read() == _TokenMasker(text).read()


def test_runs_on_many_pages() -> None:
    chooser = random.Random(23)
    for _ in range(2000):
        text = "".join(chooser.choices(_RUN_PIECES, k=chooser.randint(0, 40)))
        assert mask_html(text) == _plain_mask_html(text), text


def test_a_run_is_one_mark() -> None:
    text = "<p>Exo<b>some</b>s &amp; <a href='/x'>more</a></p>\n<h2>Heading</h2>"
    runs = markup._RunMasker(text)
    assert runs.read()
    assert len(runs.marks) == 1
    assert mask_html(text) == _plain_mask_html(text)


def test_remembered_token_masks_stay_bounded() -> None:
    text = "".join(f"<a href='/{n}'>x</a>" for n in range(markup._RUN_MASKS_SIZE + 10)) + "<p " + "x" * 300 + ">"
    assert mask_html(text) == _plain_mask_html(text)
    assert len(markup._RUN_MASKS) <= markup._RUN_MASKS_SIZE and len(markup._RUN_LINE_MASKS) <= markup._RUN_MASKS_SIZE
    assert all(len(token) <= markup._RUN_MASK_LENGTH for token in markup._RUN_MASKS)


def _settled(masked: str) -> str:
    """Zero-width fillers touching whitespace made spaces, a run at a time, as `_Canvas.result` was written."""
    def settle(run: re.Match[str]) -> str:
        start, end = run.span()
        loose = start == 0 or end == len(masked) or masked[start - 1].isspace() or masked[end].isspace()
        return " " * (end - start) if loose else run.group()

    return re.sub("\u200b+", settle, masked)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([ZWSP, ZWSP * 3, " ", "a", "\n", "\u2028", "\x1c", "\u00a0", "é"]), max_size=20))
def test_loose_filler_runs_become_spaces(pieces: list[str]) -> None:
    masked = "".join(pieces)
    assert markup._LOOSE_ZWSP_RUN.sub(lambda run: " " * len(run.group()), masked) == _settled(masked)
