"""The blocks of a Markdown document whose text is checked (paragraphs, headings, tables), with their lines.

markdown-it's block parser is exact but costs more than all the other masking work together. Most
Markdown copy, though, is made of a few line shapes whose blocks need no parser: plain paragraph lines,
"# " headings, one-line "- " list items, "> " quotes, a fenced block, a pipe table. So a document is cut
into chunks at blank lines where nothing can stay open across the blank (see `_chunks`); a chunk made
only of those shapes is read here, and any other chunk is given to markdown-it on its own, which parses
it as it would in place. A document in which a chunk could depend on another one (link reference
definitions, HTML blocks, an indented chunk that may continue a list) is given to markdown-it whole.
Containers nested deeper than markdown-it reads are read as plain text (`reading_deep`), never skipped.
`tests/test_mdblocks.py` compares the result with markdown-it's on generated documents.

A block is (kind, first line, end line, inline content): line numbers count lines of the source as
`segment.line_spans` splits them, end exclusive, as markdown-it's `token.map` does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

PARAGRAPH, HEADING, TABLE = "paragraph", "heading", "table"
Block = tuple[str, int, int, str]

# What makes a chunk depend on others: reference definitions ("[label]: url") are used anywhere in the
# document; an HTML block can run across blank lines; a fence line indented by 1-3 spaces may sit in a
# list item, where the chunker below cannot see it.
_WHOLE_DOCUMENT = re.compile(r"\]:|^ {0,3}<|^ {1,3}(?:```|~~~)", re.MULTILINE)
_FENCE_OPEN = re.compile(r"(`{3,})[^`]*|(~{3,}).*")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_ALNUM = re.compile(r"[^\W_]")
_ITEM = re.compile(r"[-*+] (?=\S)")
_HEADING = re.compile(r"#{1,6} +(?=\S)")
_DELIMITER_CHARS = frozenset("|-: \t")
_DELIMITER_CELL = re.compile(r":?-+:?")


def kept_blocks(md: MarkdownIt, source: str, lines: list[tuple[int, int]], env: dict) -> Iterator[Block]:
    """The paragraphs, headings and tables of `source` (front matter blanked, NUL replaced) in order."""
    probe = source.replace("\r", "\n") if "\r" in source else source  # "^" knows only "\n"
    chunks = None if _WHOLE_DOCUMENT.search(probe) else _chunks(source, lines)
    if chunks is None:
        yield from _parsed(md, source, env, 0)
        return
    for first, end in chunks:
        texts = [source[start:stop] for start, stop in lines[first:end]]
        simple = _simple(texts, first)
        if simple is None:
            yield from _parsed(md, source[lines[first][0]:lines[end - 1][1]], env, first)
        else:
            yield from simple


def reading_deep(md: MarkdownIt) -> MarkdownIt:
    """`md` with `_deep` as its first block rule: past its nesting limit (20 levels: 20 blockquotes, 10
    lists) markdown-it skips the rest of the container, and after a list item even the rest of the
    document, so claims there went unread. Returns `md`."""
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "exocheck_deep", _deep)
    return md


# Levels a container may open before the rest of it is read as plain text: one opens one level (a
# blockquote) or two (a list and its item), so markdown-it's own limit is never reached, and its parser,
# which recurses once per level, stays within it.
_DEEP_MARGIN = 2
# The blockquote and list markers (and indentation) at the start of a line.
CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))*[ \t]*")


def _deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """The rest of a container nested too deep, read as paragraphs of plain text: each line without the
    markers of the containers still open on it, a blank one ending a paragraph. Linear in its lines."""
    if state.level < state.md.options.maxNesting - _DEEP_MARGIN:
        return False
    if silent:
        return True
    pieces: list[tuple[int, str]] = []
    line = start
    while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        markers = CONTAINER_PREFIX.match(text)  # it matches the empty string, so never None
        pieces.append((line, text[markers.end() if markers else 0:].strip(" \t")))
        line += 1
    state.line = line
    paragraph: list[tuple[int, str]] = []
    for number, text in [*pieces, (line, "")]:
        if text:
            paragraph.append((number, text))
        elif paragraph:
            state.push("paragraph_open", "p", 1).map = [paragraph[0][0], number]
            inline = state.push("inline", "", 0)
            inline.map, inline.content = [paragraph[0][0], number], "\n".join(piece for _, piece in paragraph)
            state.push("paragraph_close", "p", -1)
            paragraph = []
    return True


def _parsed(md: MarkdownIt, text: str, env: dict, line_offset: int) -> Iterator[Block]:
    tokens = md.parse(text, env)
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.map and tokens[index - 1].type in ("paragraph_open", "heading_open"):
            kind = HEADING if tokens[index - 1].type == "heading_open" else PARAGRAPH
            yield kind, token.map[0] + line_offset, token.map[1] + line_offset, token.content
        elif token.type == "table_open" and token.map:
            yield TABLE, token.map[0] + line_offset, token.map[1] + line_offset, ""


def _chunks(source: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """Line ranges separated by blank lines outside fenced code, or None when a chunk might read otherwise
    alone than in place: one that starts indented (it may continue a list item, or be code), or a list
    item over a table's delimiter row (alone a table; after a list and a blank line, the list's next item)."""
    chunks: list[tuple[int, int]] = []
    first: int | None = None
    fence: str | None = None  # the opening run of the fence the chunker is in
    for number, (start, stop) in enumerate(lines):
        line = source[start:stop]
        if fence is not None:
            if line.startswith(fence) and not line.rstrip(" \t").strip(fence[0]):
                fence = None
            continue
        if not line.strip(" \t"):
            if first is not None:
                chunks.append((first, number))
                first = None
            continue
        if first is None:
            if line[0] in " \t":
                return None
            first = number
        elif number == first + 1 and set(line) <= _DELIMITER_CHARS and _LIST_ITEM.match(source, *lines[first]):
            return None  # alone, a table ("- a |" over "|---|"); after a list and a blank line, its next item
        if line[0] in "`~":
            opening = _FENCE_OPEN.fullmatch(line)
            if opening:
                fence = opening.group(1) or opening.group(2)
    if first is not None:
        chunks.append((first, len(lines)))
    return chunks


def _simple(texts: list[str], first: int) -> list[Block] | None:
    """The blocks of a chunk made only of plain lines, headings, one-line list items, or quote lines
    (a chunk of quote lines only); None for any other chunk."""
    if texts[0].startswith(">"):
        return _quote(texts, first)
    if texts[0].startswith("|"):
        return _table(texts, first)
    opening = _FENCE_OPEN.fullmatch(texts[0]) if texts[0][0] in "`~" else None
    if opening:
        return _fence(texts, opening.group(1) or opening.group(2))
    blocks: list[Block] = []
    paragraph: list[str] = []

    def close(end: int) -> None:
        if paragraph:
            blocks.append((PARAGRAPH, end - len(paragraph), end, _trim("\n".join(paragraph))))
            paragraph.clear()

    after_item = False
    for offset, line in enumerate(texts):
        number = first + offset
        heading = _HEADING.match(line)
        item = None if heading else _ITEM.match(line)
        if after_item and not item:
            return None  # a line after a list item may continue it
        if heading:
            if line.rstrip(" \t").endswith("#"):
                return None  # closing hashes: markdown-it's rules for them are not worth repeating
            close(number)
            blocks.append((HEADING, number, number + 1, _trim(line[heading.end():])))
        elif item:
            content = line[2:]
            if not _plain(content):
                return None
            close(number)
            blocks.append((PARAGRAPH, number, number + 1, _trim(content)))
            after_item = True
        elif _plain(line):
            paragraph.append(line)
        else:
            return None
    close(first + len(texts))
    return blocks


def _quote(texts: list[str], first: int) -> list[Block] | None:
    """A chunk of "> " lines only: its paragraphs, split at lines that are only ">"."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    for offset, line in enumerate(texts + [">"]):
        if not line.startswith(">"):
            return None
        rest = line[2:] if line.startswith("> ") else line[1:]
        if not rest.strip(" \t"):
            if paragraph:
                end = first + offset
                blocks.append((PARAGRAPH, end - len(paragraph), end, _trim("\n".join(paragraph))))
                paragraph = []
        elif _plain(rest):
            paragraph.append(rest)
        else:
            return None
    return blocks


def _table(texts: list[str], first: int) -> list[Block] | None:
    """A chunk of "|" lines only that markdown-it reads as one table: header, delimiter row, body rows."""
    limit = _markdown_it().cell_limit
    if len(texts) < 2 or not all(line.startswith("|") for line in texts):
        return None
    columns = _delimiter_columns(texts[1])
    if not columns or len(_cells(texts[0])) != columns:
        return None
    autocompleted = 0
    for line in texts[2:]:
        autocompleted += columns - len(_cells(line))
        if limit is not None and autocompleted > limit:
            return None
    return [(TABLE, first, first + len(texts), "")]


def _delimiter_columns(line: str) -> int | None:
    """The number of columns of a table's delimiter row ("|---|:--:|"), or None if it is not one."""
    if len(line) < 2 or line[1] not in "|-: \t" or not set(line) <= _DELIMITER_CHARS:
        return None
    parts = line.split("|")
    count = 0
    for index, part in enumerate(parts):
        cell = _trim(part)
        if not cell:
            if index in (0, len(parts) - 1):
                continue
            return None
        if not _DELIMITER_CELL.fullmatch(cell):
            return None
        count += 1
    return count


def _cells(line: str) -> list[str]:
    """A table row's cells as markdown-it splits them ("\\|" is not a separator), outer empty ones dropped."""
    cells = _markdown_it().split_cells(_trim(line))
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _fence(texts: list[str], fence: str) -> list[Block] | None:
    """A chunk that is one fenced code block (opened by `fence`), closed on its last line, keeps nothing."""
    closers = [i for i, line in enumerate(texts) if i and line.startswith(fence)
               and not line.rstrip(" \t").strip(fence[0])]
    return [] if closers[:1] == [len(texts) - 1] else None


def _plain(line: str) -> bool:
    """Whether a line can only be paragraph text, whatever comes before or after it: it cannot start a
    list, a heading, a quote, a rule, a fence, a table row, HTML, or underline a heading."""
    char = line[0]
    if char.isalpha() or char in "\"'([!&\\":
        return True
    if char.isdigit():
        return not _LIST_ITEM.match(line)  # "1. ", "2024) "
    if char in "*_-":  # not a list marker ("- "), a rule ("***") or an underline ("---")
        return len(line) > 1 and line[1] not in " \t" and _ALNUM.search(line) is not None
    if char == "`":
        return not line.startswith("``")
    return False


def _trim(text: str) -> str:
    return _markdown_it().trim(text)


class _MarkdownIt(NamedTuple):
    """The pieces of the installed markdown-it-py the fast reader must agree with."""

    trim: Callable[[str], str]  # its trim of block content: CommonMark whitespace from 4.3, str.strip before
    split_cells: Callable[[str], list[str]]  # a table row's cells ("\\|" is not a separator)
    cell_limit: int | None  # missing cells it fills in before ending a table (4.0 on; 3 has no limit)


@functools.cache
def _markdown_it() -> _MarkdownIt:
    """Looked up once: markdown-it is imported only when Markdown is read, and these run per line."""
    from importlib import import_module

    from markdown_it.common import utils

    table = import_module("markdown_it.rules_block.table")  # the package's own "table" is the rule function
    return _MarkdownIt(getattr(utils, "mdTrim", str.strip), table.escapedSplit,
                       getattr(table, "MAX_AUTOCOMPLETED_CELLS", None))
