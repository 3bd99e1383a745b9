"""The fast Markdown readers must agree with markdown-it exactly: on the blocks kept and on the mask.

`mdblocks` reads the common line shapes itself and `markup._plain_strong` the plainest "**bold**"; both
are compared here with markdown-it on documents built from lines that are hard to tell apart (a list
item or a rule, a heading or a hashtag, a table or a paragraph, code or text).
"""

from __future__ import annotations

import os
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from exocheck import markup, mdblocks
from exocheck.markup import mask_markdown
from exocheck.segment import line_spans

INLINE = ["Exosomes cure hair loss.", "our serum", "FDA approved", "É", "中文", "2024", "x", "😀", "\u00a0",
          "**bold**", "**bold**:", "** spaced**", "**spaced **", "a**b**", "**a**b", "***a***", "**a", "__a__",
          "(**a**)", "*a*", "`code`", "``code``", "[link](https://example.com)", "![img](a.png)", "&amp;",
          "<b>x</b>", "\\*", "~~x~~", "|", "#", "-", "!", "Wow!", "\t"]
STARTS = ["", "# ", "## ", "###### ", "####### ", "#", "- ", "* ", "+ ", "-  ", "-\t", "1. ", "1) ", "2024. ",
          "1.5 ", "> ", ">", ">  ", "> - ", "> # ", "> > ", "  ", "    ", "\t", "| ", "|", "-- ", "**", "_",
          "*", "<div>", "<!-- ", "[x]: ", "[x] ", "\\", "&", "(", "\"", "'", "`", "!", ":", "="]
WHOLE_LINES = ["", " ", "\t", "---", "***", "* * *", "___", "===", "- - -", "|---|---|", "| --- | :-: |",
               "---|---", "|:--|", "```", "```yaml", "```a`b", "~~~", "~~~~ x", "  ```", "````", ">", "> ",
               "# closing #", "# closing ##  ", "#", "-", "*", "+", "1.", "| a | b |", "| a \\| b | c |",
               "a | b", "<!-- exocheck-disable -->", "<pre>", "</pre>"]

# EXOCHECK_FUZZ_EXAMPLES=N runs a random campaign of N examples instead of the fixed CI sample.
_CAMPAIGN = int(os.environ.get("EXOCHECK_FUZZ_EXAMPLES", "0"))
_EXAMPLES = settings(max_examples=_CAMPAIGN or 300, derandomize=not _CAMPAIGN, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow])

inline = st.lists(st.sampled_from(INLINE), min_size=1, max_size=4).map(" ".join)
line = st.one_of(
    st.sampled_from(WHOLE_LINES),
    st.tuples(st.sampled_from(STARTS), inline).map("".join),
    st.tuples(st.sampled_from(STARTS), inline, st.sampled_from(["", " #", "  ", "\\", " |"])).map("".join),
)


# Mostly the shapes the fast reader takes, and the near misses that it must hand on.
COMMON_STARTS = ["", "", "", "# ", "### ", "#", "- ", "* ", "+ ", "-  ", "> ", ">", "-- ", "**", "*", "_", "1. ",
                 "2024. ", "1.5 ", "`", "\\", "(", "\"", "| ", "|", "=", " "]
COMMON_LINES = ["", "", "", ">", "> ", "```", "```yaml", "~~~", "|---|---|", "| --- |", "| a | b |", "---",
                "***", "===", "# closing #", "* * *"]
common_line = st.one_of(
    st.sampled_from(COMMON_LINES),
    st.tuples(st.sampled_from(COMMON_STARTS), inline).map("".join),
    st.tuples(st.sampled_from(["> ", "- ", ">"]), st.sampled_from(COMMON_STARTS), inline).map("".join),
)


plain = st.tuples(st.sampled_from(["", "", "**", "-- ", "1.5 ", "(", "`", "_", "*"]), inline).map("".join)
chunk = st.one_of(
    st.lists(st.one_of(plain, st.tuples(st.sampled_from(["# ", "## "]), inline).map("".join)), min_size=1, max_size=3),
    st.lists(st.tuples(st.sampled_from(["- ", "* ", "+ "]), plain).map("".join), min_size=1, max_size=3),
    st.lists(st.one_of(st.sampled_from([">", "> "]), plain.map(lambda text: "> " + text)), min_size=1, max_size=4),
    st.tuples(st.sampled_from(["| a | b |", "| a |", "|a|b|c|"]), st.sampled_from(["|---|---|", "| :-- | --: |", "|-|"]),
              st.lists(st.tuples(st.just("| "), plain).map("".join), max_size=2)).map(lambda t: [t[0], t[1], *t[2]]),
    st.tuples(st.sampled_from(["```", "~~~", "````"]), plain, st.sampled_from(["```", "~~~", "````", "``` x"]))
    .map(list),
    st.lists(common_line, min_size=1, max_size=3),
    # a line after a list item or a quote line continues it ("lazy continuation"), unless it starts a block
    st.tuples(st.sampled_from(["- ", "> ", "* "]), plain, st.one_of(plain, st.sampled_from(COMMON_LINES)))
    .map(lambda t: [t[0] + t[1], t[2]]),
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        lines = [text for part in draw(st.lists(chunk, max_size=6)) for text in part + [""]]
    else:
        lines = draw(st.lists(st.one_of(line, common_line) if draw(st.booleans()) else common_line, max_size=14))
    breaks = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    if breaks != "mixed":
        return breaks.join(lines)
    return "".join(text + draw(st.sampled_from(["\n", "\r\n", "\r"])) for text in lines)


@pytest.fixture(scope="module")
def md():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable(["text_join", "inline"])


def _markdown_it_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mask as before the fast readers existed: markdown-it for every block and every inline run."""
    monkeypatch.setattr(markup, "kept_blocks",
                        lambda md, source, lines, env: mdblocks._parsed(md, source, env, 0))
    monkeypatch.setattr(markup, "_plain_strong", lambda content: None)


@_EXAMPLES
@given(source=documents())
def test_kept_blocks_are_markdown_its_blocks(md, source: str) -> None:
    source = source.replace("\0", "\ufffd")
    expected = list(mdblocks._parsed(md, source, {}, 0))
    assert list(mdblocks.kept_blocks(md, source, line_spans(source), {})) == expected


@_EXAMPLES
@given(source=documents())
def test_the_fast_readers_mask_as_markdown_it_does(source: str) -> None:
    fast = mask_markdown(source)
    with pytest.MonkeyPatch.context() as patch:
        _markdown_it_only(patch)
        assert mask_markdown(source) == fast


@pytest.mark.parametrize("source", [
    "- item\nlazy continuation", "> quote\nlazy continuation", "- item\n# heading", "para\n- item\nlazy",
    "para\n===", "para\n---", "para\n-- not an underline", "# closing #", "# closing #  ", "#hashtag",
    "####### seven", "* * *", "- - -", "**bold**: text", "***both***", "1986. A year", "1.5 ml", "para\n1. item",
    "para\n2. item", "a | b\n--- | ---", "| a | b |\n|---|\n| c |", "| a |\n|---|\n| b |\nlazy row",
    "```\ncode\n```\nafter", "```\nnever closed\n\nstill code", "~~~\n```\n~~~", "```a`b\n\ntext\n```",
    ">\n> a\n>\n> b", ">a\n>  b", "-\titem", "> - item", "\\# escaped", "É accented", "😀 emoji",
    "- [link](https://example.com)", "para  \nhard break", "para\\\nhard break",
])
def test_tricky_lines_are_read_as_markdown_it_reads_them(md, source: str) -> None:
    for text in (source, source.replace("\n", "\r\n"), source.replace("\n", "\r")):
        assert list(mdblocks.kept_blocks(md, text, line_spans(text), {})) == list(mdblocks._parsed(md, text, {}, 0))
        fast = mask_markdown(text)
        with pytest.MonkeyPatch.context() as patch:
            _markdown_it_only(patch)
            assert mask_markdown(text) == fast


def test_a_table_stops_where_markdown_it_stops_filling_in_cells(md) -> None:
    """markdown-it-py 4 ends a table once it has filled in 65536 missing cells (3 never does); so does the
    fast reader."""
    source = "\n".join(["|" + " a |" * 200, "|" + "---|" * 200] + ["| b |"] * 400)
    parsed = list(mdblocks._parsed(md, source, {}, 0))
    assert list(mdblocks.kept_blocks(md, source, line_spans(source), {})) == parsed
    import markdown_it

    if int(markdown_it.__version__.split(".")[0]) >= 4:
        assert parsed[0][2] < 402  # the limit was reached, so the case tests it


def test_common_copy_is_read_without_markdown_it(md, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paragraphs, headings, simple lists and quotes, a fence and a table: no chunk goes to markdown-it."""
    source = "\n".join([
        "# Exosome therapy for hair loss", "", "Our exosomes regrow hair.", "They are **clinically proven**.", "",
        "- **Safe**: no side effects", "* FDA approved", "", "> Exosomes cured my knee pain!", ">",
        "> -- verified client", "", "```yaml", "claim: exosomes cure everything", "", "```", "",
        "| Condition | Effect |", "|---|:-:|", "| hair loss | cures it |",
    ])
    parsed: list[str] = []
    real = mdblocks._parsed
    monkeypatch.setattr(mdblocks, "_parsed", lambda *args: parsed.append(args[1]) or real(*args))
    blocks = list(mdblocks.kept_blocks(md, source, line_spans(source), {}))
    assert parsed == []
    assert blocks == list(real(md, source, {}, 0))
    assert [kind for kind, *_ in blocks] == ["heading", "paragraph", "paragraph", "paragraph", "paragraph",
                                             "paragraph", "table"]


@pytest.mark.parametrize("source", [
    "[ref]: https://example.com\n\nSee [this][ref].",  # a reference definition is used anywhere
    "<div>\n\nExosomes cure hair loss.\n\n</div>",  # an HTML block
    "- item\n\n  continued in the item",  # an indented chunk may continue a list item
    "- ```\n  code\n  ```\n\n```\na\n\nb\n```",  # a fence inside a list item
])
def test_documents_whose_chunks_depend_on_each_other_are_parsed_whole(md, source: str) -> None:
    calls: list[int] = []
    real = mdblocks._parsed

    def recording(*args):
        calls.append(args[3])
        return real(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mdblocks, "_parsed", recording)
        blocks = list(mdblocks.kept_blocks(md, source, line_spans(source), {}))
    assert calls == [0]
    assert blocks == list(real(md, source, {}, 0))


def test_the_repository_markdown_masks_as_with_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    root = pathlib.Path(__file__).resolve().parents[1]
    files = sorted(root.glob("*.md")) + sorted((root / "docs").glob("*.md")) + sorted((root / "tests").rglob("*.md"))
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    fast = [mask_markdown(text) for text in texts]
    _markdown_it_only(monkeypatch)
    assert [mask_markdown(text) for text in texts] == fast
