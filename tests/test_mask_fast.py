"""HTML masking takes shortcuts (text events skipped, tag shapes encoded once, the parser's position read
without getpos()); these tests keep its output equal to the plain reading of every parser event."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from exocheck import markup
from exocheck.markup import ZWSP, _Canvas, _closable_end, _HtmlMasker, mask_html


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
    return canvas.result()


_PIECES = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<li>", "<h2>", "</h2>", "<br>", "<title>", "</title>", "<head>", "</head>",
    "<script>x</script>", "<!-- c -->", "<!doctype html>", '<img alt="exo&amp;somes">', "&amp;", "&#233;", "&nbsp;",
    '<meta name="description" content="Exosome therapy">', "<div\nclass='a'>", "</div>", "<", ">", "\n", "\r\n", " ",
    "Exosomes cure hair loss.", "exo", "somes", "Book now!", "<a href='/x'>", "</a>", "<pre>", "</pre>",
])


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
