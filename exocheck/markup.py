"""Readers for Markdown and HTML: mask the markup so only visible text is checked, at its original offsets.

A reader returns a masked text of exactly the same length as the original. Every visible character stays
at its index; markup that must not be checked is overwritten with fillers. The checker segments and
analyses the masked text, while line, column and the quoted sentence are taken from the original at the
same offsets, so positions are exact by construction. Fillers:

- "\\u200b" (zero-width space, deleted by `normalize.fold`) for inline markup, so "exo<b>some</b>s" still
  reads "exosomes"; a run of it next to whitespace becomes spaces, so a sentence starts on its first
  visible letter rather than on a "**" or "<b>" in front of it;
- " " where removed content must still separate words (code, URLs, whole skipped regions);
- "\\n" where removed content separates blocks, with "# " or "- " after it for headings and list items,
  because that is what `segment.split` reads as a heading or a list item.

Original line breaks are never overwritten. Entities are decoded in place ("&amp;" becomes "&" and four
fillers).
"""

from __future__ import annotations

import html
import json
import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import groupby
from typing import TYPE_CHECKING, cast

from .document import HTML, MARKDOWN, MDX, TEXT
from .mdblocks import CONTAINER_PREFIX, HEADING, TABLE, kept_blocks, reading_deep
from .modality import spec_label
from .segment import line_spans

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

ZWSP = "\u200b"
# A run of zero-width fillers that touches whitespace or an end of the text: each match starts at a run's first
# filler (and the regex engine skips to the next filler), so only the runs that change get a replacement.
_LOOSE_ZWSP_RUN = re.compile(
    r"\u200b(?<!\u200b\u200b)(?:(?<=\s\u200b)\u200b*|(?<![\s\S]\u200b)\u200b*|\u200b*(?=\s|\Z))"
)
_JSON_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|[\"\\/bfnrt])")
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def mask(text: str, kind: str) -> str:
    """Mask `text` with the reader for `kind`; plain text has no markup and comes back unchanged."""
    if kind == MARKDOWN:
        return mask_markdown(text)
    if kind == MDX:
        return mask_markdown(text, mdx=True)
    if kind == HTML:
        return mask_html(text)
    if kind == TEXT:
        return text
    raise ValueError(f"unknown document kind: {kind!r}")


class _Canvas:
    """The masked text being built: the original's characters, overwritten in place.

    Line breaks of the original are never overwritten, so line numbers survive any masking. Characters
    are kept as an array of code points (4 bytes each): a list of one-character strings takes 8 bytes per
    character for Latin text and about 60 for any other script, gigabytes for a 50 MB page.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.codes = _code_points(text)

    def put(self, index: int, char: str) -> None:
        if self.text[index] not in "\r\n":
            self.codes[index] = ord(char)

    def fill(self, start: int, end: int, filler: str) -> None:
        if start >= end:
            return
        chunk = self.text[start:end]
        if "\n" in chunk or "\r" in chunk:
            self.codes[start:end] = _code_points(_filled(chunk, filler))
        else:
            unit = _UNITS.get(filler)
            if unit is None:
                unit = _UNITS[filler] = _code_points(filler)
            self.codes[start:end] = unit * (end - start)

    def block(self, start: int, end: int, marker: str) -> None:
        """Spaces with `marker` ("\\n\\n", "\\n\\n# ", "\\n\\n- ") in front, cut short if the span is shorter."""
        if start >= end:
            return
        chunk = self.text[start:end]
        if "\n" not in chunk and "\r" not in chunk:  # most tags: the marker, then spaces
            size = end - start
            unit = _BLOCKS.get((marker, size))  # tags repeat: each shape is encoded once
            if unit is None:
                unit = _code_points(marker[:size].ljust(size))
                if size <= _BLOCK_CACHE_SIZE:
                    _BLOCKS[(marker, size)] = unit
            self.codes[start:end] = unit
            return
        self.codes[start:end] = _code_points(_blocked(chunk, marker))

    def decode(self, start: int, end: int) -> None:
        """An entity's characters at its first index, fillers after; unknown entities stay as written."""
        raw = self.text[start:end]
        decoded = _decoded(raw)
        if decoded is not raw:
            self.codes[start:end] = _code_points(decoded)

    def restore(self, start: int, end: int) -> None:
        """The original characters again, for copy inside a region that was masked as a whole."""
        self.codes[start:end] = _code_points(self.text[start:end])

    def json_string(self, start: int, end: int) -> None:
        """A JSON string's content restored with its escapes decoded in place (a control character or half
        a surrogate pair as a space, fillers after), as `decode` does for entities."""
        self.restore(start, end)
        for match in _JSON_ESCAPE.finditer(self.text, start, end):
            char = json.loads(f'"{match.group()}"')
            if not char.isprintable() or "\ud800" <= char <= "\udfff":
                char = " "
            self.codes[match.start():match.end()] = _code_points(char + ZWSP * (len(match.group()) - 1))

    def decode_all(self, start: int, end: int) -> None:
        for match in _ENTITY.finditer(self.text, start, end):
            self.decode(match.start(), match.end())

    def result(self) -> str:
        """The masked text; zero-width fillers touching whitespace become spaces (see module docstring)."""
        masked = self.codes.tobytes().decode(_UTF32, "surrogatepass")
        return _LOOSE_ZWSP_RUN.sub(lambda run: " " * len(run.group()), masked)


_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # the byte order of array("I")
_UNITS: dict[str, array] = {}  # each filler as an array of its code point(s), to repeat
_BLOCKS: dict[tuple[str, int], array] = {}  # each (marker, length) of a one-line block, as code points
_BLOCK_CACHE_SIZE = 256  # longer tags are rare, and caching them would let memory grow with the input


def _code_points(text: str) -> array:
    """`text` as an array of code points; "surrogatepass" keeps a lone surrogate a library caller passed."""
    codes = array("I")
    codes.frombytes(text.encode(_UTF32, "surrogatepass"))
    return codes


# --- Markdown -------------------------------------------------------------------------------------------

# Any line break ends a fence line, a lone "\r" too (re.M's "^" and "$" know only "\n").
_FRONT_MATTER = re.compile(
    r"\A(?:(---)|\+\+\+)[ \t]*(?:\r\n?|\n)(?:.*?(?:\r\n?|\n))??(?(1)(?:---|\.\.\.)|\+\+\+)[ \t]*(?=[\r\n]|\Z)",
    re.DOTALL,
)
_FRONT_MATTER_OPENING = re.compile(r"(?:---|\+\+\+)[ \t]*(?:\r\n?|\n)")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_BACKTICKS = re.compile(r"`+")
# A character that can start inline markup ("!" only in "![", which "[" finds): text without one parses
# to plain text, so it is not parsed at all.
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>&~]")
_STARS = re.compile(r"\*+")
_WORD_CHAR = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_LINK_LABEL = re.compile(r"\[(?:\\.|[^\\\[\]])*\]")
_EMPHASIS = frozenset({"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"})


def mask_markdown(text: str, mdx: bool = False) -> str:
    """Mask Markdown: only paragraphs, headings and table cells are kept, and inside them only visible text.

    Every line that is not part of a kept block (code, raw HTML, front matter, reference definitions,
    rules, setext underlines, table separators) is blanked; kept lines lose their blockquote markers and
    their inline markup. `mdblocks` gives the kept blocks with their lines, and the inline tokens of each
    block are found again in the block's source in order, which gives their offsets. The front matter
    fields that become page copy (`front_matter_copy`) are kept, each a block of its own. For MDX, its
    import/export and JSX blocks are blanked first (`_blank_mdx`).
    """
    from markdown_it import MarkdownIt

    # Core "inline" is off: blocks are parsed inline here, once each and only the ones that are kept.
    md = reading_deep(MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable(["text_join", "inline"]))
    source = _blank_front_matter(text).replace("\0", "\ufffd")  # markdown-it replaces NUL the same way
    comments: list[tuple[int, int]] = []
    if mdx:
        source, comments = _blank_mdx(source)
    env: dict = {}
    lines = line_spans(source)
    kept = [False] * len(lines)
    canvas = _Canvas(text)
    for kind, first, end, content in kept_blocks(md, source, lines, env):
        if kind == TABLE:
            _mask_table(canvas, source, lines, (first, end), md, env, kept)
        else:
            _mask_block(canvas, source, lines, first, content, kind == HEADING, md, env, kept)
    for (start, end), keep in zip(lines, kept):
        if not keep:
            canvas.fill(start, end, " ")
    for start, end in comments:  # an MDX comment inside a paragraph ("copy. {/* ... */}") is not copy either
        canvas.fill(start, end, " ")
    for key_start, value_start, value_end, marker in front_matter_copy(text):
        canvas.block(key_start, value_start, marker)
        canvas.restore(value_start, value_end)
    return canvas.result()


# Front matter fields that become page copy (the page's title, its meta description, a listing's summary).
_COPY_FIELDS = "title|description|summary|excerpt"
_YAML_FIELD = re.compile(rf"({_COPY_FIELDS})[ \t]*:(?:[ \t]+|(?=[\r\n]))", re.IGNORECASE)
_TOML_FIELD = re.compile(rf"({_COPY_FIELDS})[ \t]*=[ \t]*", re.IGNORECASE)
_TOML_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)
# A value: quoted (it may run over lines), a YAML block scalar ("|" or ">"), or plain to the end of its line
# or a comment.
_QUOTED = {
    '"""': re.compile(r'"""((?:[^"\\]|\\.|"(?!""))*)"""', re.DOTALL),
    "'''": re.compile(r"'''((?:[^']|'(?!''))*)'''", re.DOTALL),
    '"': re.compile(r'"((?:[^"\\\r\n]|\\.)*)"'),
    "'": re.compile(r"'((?:[^'\r\n]|'')*)'"),
}
_YAML_QUOTED = {
    '"': re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL),
    "'": re.compile(r"'((?:[^']|'')*)'", re.DOTALL),
}
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(?:#[^\r\n]*)?(?=[\r\n])")
_PLAIN = re.compile(r"[^\s\[\]{}&*!|>%@`#,\"'][^\r\n]*?(?=[ \t]+#|[ \t]*(?:[\r\n]|\Z))")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def front_matter_copy(text: str) -> Iterator[tuple[int, int, int, str]]:
    """The page-copy fields of a Markdown file's front matter: (start of the field's key, start and end of
    its value, the block marker to put in front of it: a heading's for the title).

    A field is a key named title, description, summary or excerpt with a string value, at any depth (sites
    nest them: `seo: {title, description}`, `params.description` in Hugo, `openGraph: {description}`), in
    YAML between "---" lines or TOML between "+++" lines; anything else in the front matter stays unread.
    Values are kept as written: quotes go, escapes stay; a text repeated in another field (spaces and case
    aside) is checked once, at the first, as repeated HTML metas are. Front matter that does not parse (YAML or TOML
    written loosely), or that is too large or nested too deep to read safely, has only its top-level fields
    read, line by line, as before (`_top_level_copy`).
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return
    yaml = match.group(1) is not None
    body_start = _FRONT_MATTER_OPENING.match(text).end()  # type: ignore[union-attr]
    body_end = max(text.rfind("\n", 0, match.end()), text.rfind("\r", 0, match.end())) + 1
    body_end = max(body_start, body_end)
    nested = (_yaml_copy if yaml else _toml_copy)(text, body_start, body_end)
    if nested is None:
        yield from _top_level_copy(text, match.end(), yaml)
    else:
        seen: set[str] = set()  # the title copied to seo.title and og.title is one piece of copy, as in HTML
        for key_start, value_start, value_end, key in nested:
            shown = " ".join(text[value_start:value_end].split()).casefold()
            if shown and shown not in seen:
                seen.add(shown)
                yield key_start, value_start, value_end, "\n\n# " if key == "title" else "\n\n"


# Reading nested front matter is linear, but PyYAML's scanner takes time proportional to the nesting depth
# for each token, and its pure-Python reader about a second a megabyte: deeper or larger front matter is
# read at the top level only. Real front matter is a few kilobytes, nested three or four levels deep.
MAX_FRONT_MATTER_DEPTH = 32
MAX_FRONT_MATTER_CHARS = 256 * 1024
_COPY_KEYS = frozenset(_COPY_FIELDS.split("|"))
_STR_TAG = "tag:yaml.org,2002:str"
_FieldSpan = tuple[int, int, int, str]  # key start, value start, value end, the key in lower case


def _yaml_copy(text: str, start: int, end: int) -> list[_FieldSpan] | None:
    """The copy fields of the YAML front matter `text[start:end]` at any depth, read from PyYAML's event
    stream: no value is built, so an alias (*name) is never expanded (the anchored text is read once,
    where it is written) and nesting costs no recursion. None when it does not parse, or is too large or
    too deep (see MAX_FRONT_MATTER_DEPTH)."""
    import yaml

    if end - start > MAX_FRONT_MATTER_CHARS:
        return None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text[start:end])
    found: list[_FieldSpan] = []
    # One entry per open collection: for a mapping, the key whose value comes next (None while a key is
    # expected; "" for a key that is not a copy field), for a sequence always None and never a mapping.
    stack: list[tuple[bool, str | None, int]] = []  # (is a mapping, pending key, key start)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if not isinstance(event, (yaml.NodeEvent, yaml.CollectionStartEvent)):
                continue  # stream and document events
            role = _yaml_role(stack)
            if role == "key":
                is_mapping, _, _ = stack[-1]
                name = event.value.lower() if isinstance(event, yaml.ScalarEvent) else ""
                stack[-1] = (is_mapping, name if name in _COPY_KEYS else "", _index(event.start_mark))
            elif role is not None:  # the value of a key: a copy field's when the key is one
                is_mapping, key, key_start = stack[-1]
                stack[-1] = (is_mapping, None, 0)
                if key and isinstance(event, yaml.ScalarEvent):
                    span = _yaml_scalar_span(loader, event, text, start)
                    if span is not None:
                        found.append((start + key_start, *span, key))
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_FRONT_MATTER_DEPTH:
                    return None
                stack.append((isinstance(event, yaml.MappingStartEvent), None, 0))
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    return found


def _yaml_role(stack: list[tuple[bool, str | None, int]]) -> str | None:
    """What the next node is in the innermost open collection: "key", "value" (of a mapping), or None."""
    if not stack or not stack[-1][0]:
        return None
    return "key" if stack[-1][1] is None else "value"


def _index(mark: object) -> int:
    """A YAML event's mark as a character index; PyYAML's own reader and libyaml's both count characters."""
    return mark.index  # type: ignore[attr-defined]


def _yaml_scalar_span(loader: object, event: object, text: str, offset: int) -> tuple[int, int] | None:
    """Where a string scalar's text is in `text` (its event's marks count from `offset`): inside its quotes,
    the lines of a block scalar ("|", ">") after its indicator, or a plain scalar as written (over lines
    too). None for a scalar that is not a string (a number, a date, true, null, or one with another tag)."""
    import yaml

    assert isinstance(event, yaml.ScalarEvent)
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[attr-defined]
    if tag != _STR_TAG:
        return None
    first, last = offset + _index(event.start_mark), offset + _index(event.end_mark)
    while first < last and text[first] in "&!":  # an anchor (&name) or a tag before the value
        while first < last and not text[first].isspace():
            first += 1
        while first < last and text[first].isspace():
            first += 1
    style = event.style or ""
    if style in ("'", '"'):
        return first + 1, last - 1
    if style in ("|", ">"):
        line_break = _LINE_BREAK.search(text, first, last)
        if line_break is None:
            return None
        first = line_break.end()
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    return first, last


# TOML, token by token: strings (multi-line first), comments, brackets and separators, and "words" (bare and
# dotted keys, numbers, dates, booleans); a string that does not close stops the reading (see _toml_copy).
_TOML_TOKEN = re.compile(r"""(?P<space>[ \t]+)|(?P<newline>\r\n?|\n)|(?P<comment>#[^\r\n]*)"""
                         r"""|(?P<quote>"{3}|'{3}|"|')|(?P<word>[A-Za-z0-9_.+:-]+)|(?P<other>.)""", re.DOTALL)


def _toml_copy(text: str, start: int, end: int) -> list[_FieldSpan] | None:
    """The copy fields of the TOML front matter `text[start:end]` in any table (`[params]`, `[[faq]]`),
    inline table (`seo = {description = "..."}`) or under a dotted key (`params.description = "..."`); a
    key's last part names the field. One linear pass over its tokens; None when a string does not close."""
    if end - start > MAX_FRONT_MATTER_CHARS:
        return None
    found: list[_FieldSpan] = []
    brackets: list[str] = []  # the open "[" (arrays) and "{" (inline tables)
    expect_key = True  # at the start of a line outside brackets, or after "{" or "," in an inline table
    header = False  # inside a [table] header line
    key_start: int | None = None  # the first part of the key being read
    last_part = ""  # the key's last part, lower case
    pending: tuple[int, str] | None = None  # after "=": the key's start and name, until its value
    cursor = start
    while cursor < end:
        token = _TOML_TOKEN.match(text, cursor, end)
        assert token is not None  # "other" matches any character
        kind, cursor = token.lastgroup, token.end()
        if kind == "quote":
            quoted = _QUOTED[token.group()].match(text, token.start(), end)
            if quoted is None:
                return None
            cursor = quoted.end()
            if header:
                continue
            if expect_key:
                key_start = token.start() if key_start is None else key_start
                last_part = quoted.group(1).lower()
            elif pending is not None:
                if pending[1] in _COPY_KEYS:
                    found.append((pending[0], *quoted.span(1), pending[1]))
                pending = None
            continue
        if kind in ("space", "comment") or (header and kind != "newline"):
            continue
        if kind == "newline":
            header = False
            if not brackets:
                expect_key, key_start, pending = True, None, None
            continue
        value = token.group()
        if kind == "word" and expect_key:
            key_start = token.start() if key_start is None else key_start
            last_part = value.rsplit(".", 1)[-1].lower()
            continue
        if value == "=" and expect_key and key_start is not None:
            pending = (key_start, last_part)
            expect_key, key_start = False, None
            continue
        pending = None
        if value == "[" and not brackets and expect_key and key_start is None:
            header = True  # a [table] or [[array of tables]] header: its keys are read like any others
        elif value in "[{":
            brackets.append(value)
            expect_key, key_start = value == "{", None
        elif value in "]}":
            if brackets:
                brackets.pop()
            expect_key = False
        elif value == "," and brackets and brackets[-1] == "{":
            expect_key, key_start = True, None
    return found


def _top_level_copy(text: str, end: int, yaml: bool) -> Iterator[tuple[int, int, int, str]]:
    """The top-level copy fields of front matter ending at `end`, read line by line: for front matter that
    does not parse (TOML only before its first table)."""
    if not yaml:
        table = _TOML_TABLE.search(text, 0, end)
        end = table.start() if table else end
    for line_start in _line_starts(text, end):
        field = (_YAML_FIELD if yaml else _TOML_FIELD).match(text, line_start, end)
        if not field:
            continue
        value = _field_value(text, field.end(), end, yaml)
        if value is not None and text[value[0]:value[1]].strip():
            marker = "\n\n# " if field.group(1).lower() == "title" else "\n\n"
            yield line_start, value[0], value[1], marker


def _line_starts(text: str, end: int) -> Iterator[int]:
    """The start of each line of `text[:end]` after the first (the front matter's opening fence)."""
    for match in _LINE_BREAK.finditer(text, 0, end):
        yield match.end()


def _field_value(text: str, at: int, end: int, yaml: bool) -> tuple[int, int] | None:
    """The span of the string value starting at `at`, or None for a value that is not one (a list, a map,
    a number reads as plain text and is harmless)."""
    for quote, pattern in (_YAML_QUOTED if yaml else _QUOTED).items():
        if text.startswith(quote, at):
            quoted = pattern.match(text, at, end)
            return quoted.span(1) if quoted else None
    if not yaml:
        return None
    if _BLOCK_SCALAR.match(text, at, end):
        lines = list(_indented_lines(text, at, end))
        return (lines[0][0], lines[-1][1]) if lines else None
    plain = _PLAIN.match(text, at, end)
    if not plain:
        return None
    last = plain.end()
    for _, stop in _indented_lines(text, last, end):  # a plain value may continue on indented lines
        last = stop
    return plain.start(), last


def _indented_lines(text: str, at: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the text of each indented line after the one `at` is on, up to the first line before
    `end` that is not indented; blank lines are passed over (they fold into a YAML value)."""
    cursor = at
    while True:
        line_break = _LINE_BREAK.search(text, cursor, end)
        if not line_break:
            return
        start = line_break.end()
        following = _LINE_BREAK.search(text, start, end)
        stop = following.start() if following else end
        line = text[start:stop]
        if line.strip(" \t"):
            if line[0] not in " \t":
                return
            yield start + len(line) - len(line.lstrip(" \t")), start + len(line.rstrip(" \t"))
        cursor = stop


def front_matter_end(text: str) -> int | None:
    """Where the front matter at the start of a Markdown file ends: 0 for none, None when `text` opens one
    that it does not close (the start of a file read in pieces)."""
    match = _FRONT_MATTER.match(text)
    if match:
        return match.end()
    return None if _FRONT_MATTER_OPENING.match(text) else 0


def _blank_front_matter(text: str) -> str:
    """Front matter blanked, so markdown-it does not read its "---" as a rule or a setext underline."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text
    return re.sub(r"[^\r\n]", " ", match.group()) + text[match.end():]


# MDX blocks that are code, not copy: ESM ("import"/"export" at the start of a line) and JSX or expression
# blocks ("<Hero ...>", "{/* ... */}"), each to the next blank line, as MDX reads them; fenced code is left to
# markdown-it (a "<" in it is code, and its closing fence must stay).
_MDX_BLOCK = re.compile(r"(?:import|export)[ \t{*]|[ \t]*[<{]")
_MDX_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


_JSX_COMMENT_OPEN = re.compile(r"\{[ \t\r\n]*/\*")
_JSX_COMMENT_CLOSE = re.compile(r"\*/[ \t\r\n]*\}")


def _jsx_comments(source: str) -> list[tuple[int, int]]:
    """The spans of the JSX comments ("{/* ... */}") of an MDX source outside fenced code, where suppression
    directives are written. Linear: once a comment is left open, no later one can close."""
    fenced: list[tuple[int, int]] = []  # the fenced code blocks, as line spans (a fence may interrupt a paragraph)
    fence: str | None = None
    for start, end in line_spans(source):
        match = _MDX_FENCE.match(source, start, end)
        if fence is None:
            if match:
                fence = match.group(1)
                fenced.append((start, len(source)))
        elif match and match.group(1).startswith(fence) and not source[match.end():end].strip():
            fence = None
            fenced[-1] = (fenced[-1][0], end)
    spans: list[tuple[int, int]] = []
    cursor = 0
    while True:
        opening = _JSX_COMMENT_OPEN.search(source, cursor)
        if opening is None:
            return spans
        index = bisect_right(fenced, (opening.start(), len(source) + 1)) - 1
        if index >= 0 and opening.start() < fenced[index][1]:
            cursor = fenced[index][1]
            continue
        closing = _JSX_COMMENT_CLOSE.search(source, opening.end())
        if closing is None:
            return spans
        spans.append((opening.start(), closing.end()))
        cursor = closing.end()


def _blank_mdx(source: str) -> tuple[str, list[tuple[int, int]]]:
    """`source` with its MDX comments, import/export and JSX blocks blanked (spaces, line breaks kept), and
    the spans of the comments. A comment on lines of its own is a blank line, as it ends there in MDX (so a
    suppression comment can stand right above the line it covers); another block starts only where a
    paragraph could, after a blank line; a comment inside a block being skipped does not end it."""
    comments = _jsx_comments(source)
    raw = source
    pieces: list[str] = []
    if comments:
        cursor = 0
        for start, end in comments:
            # Text after it on its line: a zero-width filler, so that text is not read as indented code.
            filler = " " if _BLANK_REST.match(source, end) else ZWSP
            pieces += [source[cursor:start], re.sub(r"[^\r\n]", filler, source[start:end])]
            cursor = end
        source = "".join([*pieces, source[cursor:]])
        pieces = []
    cursor = 0
    skipping = False
    fence: str | None = None
    previous_blank = True
    for start, end in line_spans(source):
        line = source[start:end]
        # A line blank only for its comment ends no block that is being skipped (a comment among a JSX
        # element's attributes), while outside one it is a blank line, so the next line starts afresh.
        blank = not line.strip() and not (skipping and raw[start:end].strip())
        if fence is not None:
            closing = _MDX_FENCE.match(line)
            if closing and closing.group(1).startswith(fence) and not line[closing.end():].strip():
                fence = None
        elif blank:
            skipping = False
        elif previous_blank and not skipping:
            opening = _MDX_FENCE.match(line)
            if opening:
                fence = opening.group(1)
            else:
                skipping = _MDX_BLOCK.match(line) is not None
        if skipping:
            pieces += [source[cursor:start], " " * (end - start)]
            cursor = end
        previous_blank = blank
    pieces.append(source[cursor:])
    return "".join(pieces), comments


def _mask_inline(canvas: _Canvas, content: str, offsets: _Offsets, md: MarkdownIt, env: dict) -> None:
    """Mask the inline markup of a block's content (see `_Inline`)."""
    if not _INLINE_MARKUP.search(content):
        return
    inline = _Inline(canvas, content, offsets)
    strong = _plain_strong(content)
    if strong is not None:
        for start, end in strong:
            inline.fill(start, end, ZWSP)
        return
    tokens: list[Token] = []
    md.inline.parse(content, md, env, tokens)
    inline.walk(tokens, 0)


def _plain_strong(content: str) -> list[tuple[int, int]] | None:
    """The "**" runs of content whose only markup is "**bold**" spans of the plainest kind, or None.

    The most common inline markup of marketing copy ("- **Clinically proven**: ..."). Each opening run
    follows a space (or the start) and precedes a letter or digit, each closing run the reverse, so by
    CommonMark's flanking rules every pair is strong emphasis, as markdown-it reads it.
    """
    if _INLINE_MARKUP.search(content.replace("*", "")):
        return None
    runs = [match.span() for match in _STARS.finditer(content)]
    if len(runs) % 2:
        return None
    for index, (start, end) in enumerate(runs):
        before = content[start - 1] if start else " "
        after = content[end] if end < len(content) else " "
        if end - start != 2:
            return None
        if index % 2 == 0 and not (before in " \n" and after in _WORD_CHAR):
            return None
        if index % 2 == 1 and not (before in _WORD_CHAR and after in " \n.,:;!?)"):
            return None
    return runs


def _mask_block(canvas: _Canvas, source: str, lines: list[tuple[int, int]], first: int, content: str,
                heading: bool, md: MarkdownIt, env: dict, kept: list[bool]) -> None:
    """Mask one paragraph or heading: what surrounds its text on each line, then its inline markup.

    Each line of the block's content is the end of its source line (markdown-it strips container markers
    and indentation), so content offsets map back to the source line by line.
    """
    offsets = _Offsets()
    for number, piece in enumerate(content.split("\n")):
        if number:
            offsets.gap(1)  # the line break; never masked
        row = first + number
        start, end = lines[row]
        body = piece.strip()
        at = source.rfind(body, start, end)
        kept[row] = True
        if at < 0:  # cannot align: leave the line as written
            offsets.gap(len(piece))
            continue
        _mask_prefix(canvas, source, start, at, heading)
        canvas.fill(at + len(body), end, " ")  # closing "#"s of a heading, trailing spaces
        lead = len(piece) - len(piece.lstrip())
        offsets.gap(lead)
        offsets.run(at, len(body))
        offsets.gap(len(piece) - lead - len(body))
    _mask_inline(canvas, content, offsets, md, env)


def _mask_prefix(canvas: _Canvas, source: str, start: int, end: int, heading: bool) -> None:
    """Blockquote markers go; list markers and "#" stay for the segmenter.

    In front of a heading a marker becomes a line break, so the "# " starts a line as the segmenter needs.
    """
    for index in range(start, end):
        if source[index] == ">":
            canvas.put(index, "\n" if heading else " ")


def _mask_table(canvas: _Canvas, source: str, lines: list[tuple[int, int]], rows: tuple[int, int], md: MarkdownIt,
                env: dict, kept: list[bool]) -> None:
    """Each cell becomes a block of its own, as <td> does in HTML; pipes and the separator row go.

    Cells are split from the source (markdown-it's cell content has "\\|" already unescaped, so it cannot
    be found again in the source) and parsed inline one by one.
    """
    for row in range(rows[0], rows[1]):
        if row == rows[0] + 1:
            continue  # the |---|---| separator: left unkept, so blanked
        kept[row] = True
        start, end = lines[row]
        prefix = CONTAINER_PREFIX.match(source, start, end)
        assert prefix is not None  # the pattern matches the empty string
        prefix_end = prefix.end()
        _mask_prefix(canvas, source, start, prefix_end, False)
        cells = []
        cursor = prefix_end
        for pipe in [*_UNESCAPED_PIPE.finditer(source, prefix_end, end), None]:
            stop = pipe.start() if pipe else end
            cell = source[cursor:stop]
            if cell.strip():
                first = cursor + len(cell) - len(cell.lstrip())
                cells.append((first, first + len(cell.strip())))
            cursor = stop + 1
        gap_start = prefix_end
        # a two-column row whose first cell is a spec label ("| Ideal for | early thinning |") reads as
        # "Ideal for: early thinning", one line, as the same row written in text would
        label_gap = cells[0][1] if len(cells) == 2 and cells[1][0] - cells[0][1] >= 2 \
            and spec_label(source[cells[0][0] : cells[0][1]]) is not None else None
        for first, last in [*cells, (end, end)]:
            if first > gap_start:
                canvas.block(gap_start, first, ": " if gap_start == label_gap else "\n\n")
            gap_start = last
        for first, last in cells:
            cell = source[first:last]
            offsets = _Offsets()
            offsets.run(first, last - first)
            _mask_inline(canvas, cell, offsets, md, env)


class _Offsets:
    """Where each character of a block's inline content is in the original text, or nowhere.

    Kept as contiguous runs (one per source line), not one integer per character: a 50 MB line would
    otherwise take gigabytes, and masking it a Python loop per character.
    """

    def __init__(self) -> None:
        self.size = 0  # content characters described so far
        self._starts: list[int] = []  # content index of each run's first character
        self._ends: list[int] = []
        self._sources: list[int] = []  # original index of each run's first character

    def gap(self, length: int) -> None:
        """`length` content characters with no place in the original (line breaks, stripped indentation)."""
        self.size += length

    def run(self, source: int, length: int) -> None:
        """`length` content characters found at `source` onwards in the original."""
        if length > 0:
            self._starts.append(self.size)
            self._ends.append(self.size + length)
            self._sources.append(source)
        self.size += length

    def spans(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The original (start, end) spans of content characters start..end-1."""
        index = max(0, bisect_right(self._starts, start) - 1)
        while index < len(self._starts) and self._starts[index] < end:
            low, high = max(start, self._starts[index]), min(end, self._ends[index])
            if low < high:
                shift = self._sources[index] - self._starts[index]
                yield low + shift, high + shift
            index += 1

    def at(self, index: int) -> int:
        """The original index of content character `index`, or -1 where there is none."""
        return next((start for start, _ in self.spans(index, index + 1)), -1)


class _Inline:
    """Finds markdown-it inline tokens in their block's content, in order, and masks their markup.

    `offsets` places each content character in the original text.
    """

    def __init__(self, canvas: _Canvas, content: str, offsets: _Offsets) -> None:
        self.canvas = canvas
        self.content = content
        self.offsets = offsets

    def walk(self, tokens: list[Token], cursor: int) -> int:
        """Mask the markup of `tokens`, which start at or after `cursor`; return where they end."""
        in_autolink = False
        for token in tokens:
            if in_autolink:  # its text is the URL, already masked with the brackets
                in_autolink = token.type != "link_close"
                continue
            cursor = self._step(token, cursor)
            in_autolink = token.type == "link_open" and token.markup == "autolink"
        return cursor

    def _step(self, token: Token, cursor: int) -> int:
        kind = token.type
        if kind == "text":
            return self._find(token.content, cursor, None)
        if kind == "text_special":
            return self._special(token, cursor)
        if kind in _EMPHASIS:
            return self._find(token.markup, cursor, ZWSP)
        if kind == "html_inline":
            return self._find(token.content, cursor, ZWSP)
        if kind == "code_inline":
            return self._code(token.markup, cursor)
        if kind == "link_open":
            if token.markup == "autolink":
                return self._autolink(cursor)
            return self._find("[", cursor, ZWSP)
        if kind == "link_close":
            return self._destination(cursor)
        if kind == "image":
            cursor = self._find("![", cursor, ZWSP)
            return self._destination(self.walk(token.children or [], cursor))
        if kind in ("softbreak", "hardbreak"):
            return self._line_break(cursor)
        return cursor

    def _special(self, token: Token, cursor: int) -> int:
        """An entity is decoded in place; an escape loses its backslash."""
        at = self.content.find(token.markup, cursor)
        if at < 0:
            return cursor
        if token.info == "entity":
            self._decode(at, at + len(token.markup))
        else:
            self.fill(at, at + 1, ZWSP)
        return at + len(token.markup)

    def _line_break(self, cursor: int) -> int:
        """Past the next line break; the backslash of a "\\" hard break goes."""
        at = self.content.find("\n", cursor)
        if at < 0:
            return cursor
        if at > cursor and self.content[at - 1] == "\\":
            self.fill(at - 1, at, ZWSP)
        return at + 1

    def _find(self, piece: str, cursor: int, filler: str | None) -> int:
        at = self.content.find(piece, cursor)
        if at < 0:
            return cursor
        if filler:
            self.fill(at, at + len(piece), filler)
        return at + len(piece)

    def _code(self, ticks: str, cursor: int) -> int:
        """A code span, backticks included, becomes spaces; it closes at the next run of as many ticks."""
        at = self.content.find(ticks, cursor)
        if at < 0:
            return cursor
        end = len(self.content)
        for run in _BACKTICKS.finditer(self.content, at + len(ticks)):
            if len(run.group()) == len(ticks):
                end = run.end()
                break
        self.fill(at, end, " ")
        return end

    def _autolink(self, cursor: int) -> int:
        at = self.content.find("<", cursor)
        end = self.content.find(">", at + 1)
        if at < 0 or end < 0:
            return cursor
        self.fill(at, end + 1, " ")
        return end + 1

    def _destination(self, cursor: int) -> int:
        """The "](url "title")", "][ref]" or "]" after a link's text or an image's alt becomes spaces."""
        at = self.content.find("]", cursor)
        if at < 0:
            return cursor
        end = _inline_destination_end(self.content, at + 1)
        if end < 0:
            label = _LINK_LABEL.match(self.content, at + 1)
            end = label.end() if label else at + 1
        self.fill(at, end, " ")
        return end

    def fill(self, start: int, end: int, filler: str) -> None:
        for first, last in self.offsets.spans(start, end):
            self.canvas.fill(first, last, filler)

    def _decode(self, start: int, end: int) -> None:
        first, last = self.offsets.at(start), self.offsets.at(end - 1)
        if first >= 0 and last >= 0:
            self.canvas.decode(first, last + 1)


def _inline_destination_end(content: str, pos: int) -> int:
    """End of an inline destination "(url "title")" starting at `pos`, or -1: markdown-it's own rule."""
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    if not content.startswith("(", pos):
        return -1
    size = len(content)
    pos = _skip_spaces(content, pos + 1)
    destination = parseLinkDestination(content, pos, size)
    if destination.ok:
        start = pos = destination.pos
        pos = _skip_spaces(content, pos)
        title = parseLinkTitle(content, pos, size)
        if pos > start and title.ok:
            pos = _skip_spaces(content, title.pos)
    return pos + 1 if pos < size and content[pos] == ")" else -1


def _skip_spaces(content: str, pos: int) -> int:
    while pos < len(content) and content[pos] in " \t\n":
        pos += 1
    return pos


# --- HTML -----------------------------------------------------------------------------------------------

_SKIPPED = frozenset("script style code pre noscript template svg".split())
_HEAD_TAGS = frozenset("title meta link base style script noscript template".split())
_BLOCK_TAGS = (
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form head header hgroup hr html legend main menu nav ol optgroup option p section "
    "summary table tbody td tfoot th thead tr ul"
).split()
_MARKERS = {
    **{tag: "\n\n" for tag in _BLOCK_TAGS},
    **{tag: "\n\n# " for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "title")},
    "li": "\n\n- ",
    "br": "\n",
}
_UNPARSED = re.compile(r"<[A-Za-z!/?]")  # markup the parser gave up on and passed on as text
_BLANK_REST = re.compile(r"[^\S\r\n]*(?:[\r\n]|\Z)")  # nothing but spaces left on the line
_TAG_NAME = re.compile(r"<[^\s/>]*")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")

# How a span of the original is masked; a mark is (start, end or -1 for "up to the next mark", how, argument).
# _PUT: the span's masked text, made in advance (a run of ordinary markup, see `_RunMasker`).
_KEEP, _FILL, _BLOCK, _DECODE, _VALUE, _PUT = range(6)
_Mark = tuple[int, int, int, object]


def mask_html(text: str) -> str:
    """Mask HTML: visible text stays, tags and invisible content go, block tags separate blocks.

    The stdlib parser reports events in document order with their start (from getpos()). Text, start
    tags and entities know their length; an end tag, comment or declaration is taken to reach the next
    event, and whatever the parser passes over without any event ("</>") is masked too. A document made
    only of the common shapes of HTML gets the same events from `_TokenMasker`, at half the cost, and the runs
    of ordinary markup between its other events masked in bulk by `_RunMasker`.
    """
    closed = _closable_end(text)
    tokens = _RunMasker(text[:closed])
    parser: _HtmlMasker = tokens
    if not tokens.read():  # a shape the tokenizer leaves to the stdlib parser
        parser = _HtmlMasker(text[:closed])
        parser.feed(text[:closed])
        parser.close()
    canvas = _Canvas(text)
    marks = parser.marks
    cursor = 0
    for index, (start, end, how, argument) in enumerate(marks):
        if end < 0:
            end = marks[index + 1][0] if index + 1 < len(marks) else closed
        if cursor < start:
            canvas.fill(cursor, start, ZWSP)  # markup the parser passed over without an event
        if how != _KEEP:  # most events are text, which stays as written
            _apply(canvas, start, end, how, argument)
        cursor = max(cursor, end)
    canvas.fill(cursor, closed, ZWSP)
    canvas.fill(closed, len(text), " ")
    for start, end in parser.json_copy:  # inside a <script>, masked whole above: each a block of its own
        canvas.block(start - 2, start, "\n\n")  # the opening quote and what precedes it (":", "[", ",")
        canvas.json_string(start, end)
        canvas.block(end, end + 2, "\n\n")  # the closing quote and what follows it (",", "}", "]")
    return canvas.result()


def _closable_end(text: str) -> int:
    """Where the part of `text` that can still close its tags ends: at the first tag, comment or
    declaration opener after the last ">".

    What follows it is inside a tag that never closes, which a browser does not show; it is not given to
    the stdlib parser, which would rescan it to the end of the text once per opener ("<a <a <a ..."),
    taking time quadratic in its length.
    """
    match = _UNPARSED.search(text, text.rfind(">") + 1)
    return match.start() if match else len(text)


def _apply(canvas: _Canvas, start: int, end: int, how: int, argument: object) -> None:
    if how == _PUT:
        canvas.codes[start:end] = _code_points(argument)  # type: ignore[arg-type]
    elif how == _FILL:
        canvas.fill(start, end, argument)  # type: ignore[arg-type]
    elif how == _BLOCK:
        canvas.block(start, end, argument)  # type: ignore[arg-type]
    elif how == _DECODE:
        canvas.decode(start, end)
    elif how == _VALUE:  # a tag whose attribute value is shown: a block of its own
        value_start, value_end = cast("tuple[int, int]", argument)
        canvas.block(start, value_start, "\n\n")
        canvas.decode_all(value_start, value_end)
        canvas.block(value_end, end, "\n\n")


# <meta> tags whose content is page copy: the search result's description, the title and description of a
# shared link (Open Graph uses "property", Twitter cards "name"; sites mix them up).
_SHOWN_META = frozenset({"description", "og:title", "og:description", "twitter:title", "twitter:description"})
# JSON-LD types whose "name" and "description" (an article's "headline" too) are page copy, as search
# results show them; schema.org's own URLs for them name the same types.
_JSON_LD_TYPES = frozenset({"Product", "MedicalProcedure", "TherapeuticProcedure", "Article", "NewsArticle",
                            "BlogPosting"})
_JSON_LD_FIELDS = ("name", "description", "headline")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _is_json_ld(attrs: list[tuple[str, str | None]]) -> bool:
    return any(name == "type" and (value or "").strip().lower() == "application/ld+json" for name, value in attrs)


class _Located(str):
    """A JSON string value that knows where its content is in the JSON text."""

    span: tuple[int, int]


def _located_json(source: str) -> object:
    """`source` parsed as JSON, every string value a `_Located`; ValueError (or StopIteration,
    RecursionError) when it is not JSON. The Python scanner is used because only it takes a string hook."""
    # typeshed does not declare these two, which the json module has always had and its C scanner mirrors
    from json.decoder import scanstring  # type: ignore[attr-defined]
    from json.scanner import py_make_scanner  # type: ignore[attr-defined]

    def parse_string(text: str, begin: int, strict: bool) -> tuple[_Located, int]:
        value, end = scanstring(text, begin, strict)
        located = _Located(value)
        located.span = (begin, end - 1)
        return located, end

    decoder = json.JSONDecoder()
    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    scan = py_make_scanner(decoder)
    value, end = scan(source, _JSON_SPACE.match(source).end())  # type: ignore[union-attr]
    if _JSON_SPACE.match(source, end).end() != len(source):  # type: ignore[union-attr]
        raise ValueError("text after the JSON value")
    return value


def json_ld_copy(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans in `text` of the page copy in the JSON-LD at `text[start:end]`: the name and description of
    the types in `_JSON_LD_TYPES`, and the questions and accepted answers of an FAQ, in order.

    JSON that does not parse is skipped silently: a page's broken structured data is not copy to check.
    """
    try:
        data = _located_json(text[start:end])
    except (ValueError, StopIteration, RecursionError):
        return []
    spans: set[tuple[int, int]] = set()
    stack = [data]
    while stack:  # not recursive: nesting does not reach Python's recursion limit here
        item = stack.pop()
        if isinstance(item, list):
            stack += item
        elif isinstance(item, dict):
            stack += item.values()
            types = _json_ld_types(item.get("@type"))
            fields: list[object] = []
            if types & _JSON_LD_TYPES:
                fields += [item.get(key) for key in _JSON_LD_FIELDS]
            if "Question" in types:
                answers = item.get("acceptedAnswer")
                fields.append(item.get("name"))
                fields += [answer.get("text") for answer in (answers if isinstance(answers, list) else [answers])
                           if isinstance(answer, dict)]
            spans.update(field.span for field in fields if isinstance(field, _Located))
    return sorted((start + first, start + last) for first, last in spans)


def _json_ld_types(value: object) -> set[str]:
    """An "@type" as a set of schema.org type names ("Product", "schema:Product", "https://schema.org/Product")."""
    names = value if isinstance(value, list) else [value]
    return {name.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for name in names if isinstance(name, str)}


class _HtmlMasker(HTMLParser):
    """Records, for every parser event, the span it covers and how to mask it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = self._line_starts(text)
        self.marks: list[_Mark] = []
        self.skipping: list[str] = []  # open elements whose content is not shown
        self.in_head = False
        self.in_title = False
        self.broken = False  # an unterminated tag runs to the end of the text
        self.json_ld_start: int | None = None  # where the content of the open JSON-LD <script> starts
        self.json_copy: list[tuple[int, int]] = []  # spans of the JSON-LD strings that are page copy
        self.meta_copy: set[str] = set()  # the text of each copy <meta> (and of the <title>) shown so far
        self.title_from = 0  # where the content of the open <title> starts

    def _line_starts(self, text: str) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", text)]  # getpos() counts "\n" only

    def _offset(self) -> int:
        return self.line_starts[self.lineno - 1] + self.offset  # getpos(), without the call

    def _hidden(self) -> bool:
        return bool(self.skipping) or self.broken or (self.in_head and not self.in_title)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        if not self.skipping:
            if tag == "head":
                self.in_head = True
            elif tag == "body" or (self.in_head and tag not in _HEAD_TAGS):
                self.in_head = False  # a body element closes an unclosed <head>, as in a browser
        shown = None if self.skipping else self._shown_attribute(tag, attrs, start)
        argument: object  # fill text, block marker or shown value span: see _apply
        if self.skipping or tag in _SKIPPED:
            how, argument = _FILL, " "
        elif tag == "title":
            self.in_title = not closed
            self.title_from = end
            how, argument = _BLOCK, self._marker(tag, end)
        elif shown:
            how, argument = _VALUE, shown
        elif self.in_head:
            how, argument = _FILL, " "
        elif tag in _MARKERS:
            how, argument = _BLOCK, self._marker(tag, end)
        else:
            how, argument = _FILL, ZWSP
        if tag in _SKIPPED and not closed:
            if not self.skipping and tag == "script" and _is_json_ld(attrs):
                self.json_ld_start = end
            self.skipping.append(tag)
        self.marks.append((start, end, how, argument))

    def _marker(self, tag: str, end: int) -> str:
        """A "# " or "- " only when text follows on the tag's line: alone on a line it would be a stray "#"."""
        marker = _MARKERS[tag]
        return "\n\n" if marker.endswith(" ") and _BLANK_REST.match(self.text, end) else marker

    def _shown_attribute(self, tag: str, attrs: list[tuple[str, str | None]], start: int) -> tuple[int, int] | None:
        """Span of an <img> alt or a description or title meta's content: text a reader, a search result or a
        shared link shows. A meta whose content repeats an earlier one's (entities decoded, spaces and case
        aside: the description copied to og:description and twitter:description) is the same copy, checked
        once, at the first."""
        if tag == "img":
            wanted = "alt"
        elif tag == "meta" and any(name in ("name", "property") and (value or "").strip().lower() in _SHOWN_META
                                   for name, value in attrs):
            wanted = "content"
        else:
            return None
        raw = self.get_starttag_text() or ""
        for match in _ATTRIBUTE.finditer(raw, _TAG_NAME.match(raw).end()):  # type: ignore[union-attr]
            if match.group(1).lower() == wanted:
                group = next((g for g in (2, 3, 4) if match.group(g) is not None), None)
                if group is None:
                    return None
                if tag == "meta":  # the description repeated as og: and twitter: is one piece of copy
                    shown = " ".join(html.unescape(match.group(group)).split()).casefold()
                    if shown in self.meta_copy:
                        return None
                    self.meta_copy.add(shown)
                return start + match.start(group), start + match.end(group)
        return None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.json_ld_start is not None:
            self.json_copy += json_ld_copy(self.text, self.json_ld_start, self._offset())
            self.json_ld_start = None
        if tag in self.skipping:
            while self.skipping.pop() != tag:
                pass
            how, argument = _FILL, " "
        elif self.skipping:
            how, argument = _FILL, " "
        elif tag == "title":
            self.in_title = False
            self._title_copy()
            how, argument = _BLOCK, "\n\n"
        elif tag == "head":
            self.in_head = False
            how, argument = _BLOCK, "\n\n"
        elif self.in_head:
            how, argument = _FILL, " "
        elif tag in _MARKERS:
            how, argument = _BLOCK, "\n" if tag == "br" else "\n\n"
        else:
            how, argument = _FILL, ZWSP
        self.marks.append((self._offset(), -1, how, argument))

    def _title_copy(self) -> None:
        """The title's text is copy that og:title and twitter:title repeat: checked once, at the first. If a
        meta before it had the same text, the title's content is masked; else later metas repeating it are."""
        shown = " ".join(html.unescape(self.text[self.title_from:self._offset()]).split()).casefold()
        if not shown:
            return
        if shown not in self.meta_copy:
            self.meta_copy.add(shown)
            return
        index = len(self.marks)
        while index and self.marks[index - 1][0] >= self.title_from:
            index -= 1
            start, end, _, _ = self.marks[index]
            self.marks[index] = (start, end, _FILL, " ")
        if index:  # the <title> tag: a block without a heading's "# ", which would stand alone
            start, end, how, _ = self.marks[index - 1]
            self.marks[index - 1] = (start, end, how, "\n\n")

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if data == "<" and _UNPARSED.match(self.text, start):
            self.broken = True  # "<div class='x" with no ">" or "<" after it: the rest is inside a tag
        if self._hidden():
            how, argument = _FILL, " "
        elif _UNPARSED.match(data):
            how, argument = _FILL, ZWSP
        else:
            how, argument = _KEEP, None
        self.marks.append((start, start + len(data), how, argument))

    def _reference(self, length: int) -> None:
        """An entity or character reference of `length` characters, plus its ";" if it has one."""
        start = self._offset()
        end = start + length + int(self.text.startswith(";", start + length))
        how, argument = (_FILL, " ") if self._hidden() else (_DECODE, None)
        self.marks.append((start, end, how, argument))

    def handle_entityref(self, name: str) -> None:
        self._reference(len(name) + 1)

    def handle_charref(self, name: str) -> None:
        self._reference(len(name) + 2)

    def _markup(self) -> None:
        self.marks.append((self._offset(), -1, _FILL, " " if self._hidden() else ZWSP))

    def handle_comment(self, data: str) -> None:
        self._markup()

    def handle_decl(self, decl: str) -> None:
        self._markup()

    def handle_pi(self, data: str) -> None:
        self._markup()

    def unknown_decl(self, data: str) -> None:
        self._markup()

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """The stdlib raises on "<![foo[" and "<![ x"; read them as bogus comments, as browsers do."""
        position = self.getpos()
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.lineno, self.offset = position  # the failed scan moved the position
            return self.parse_bogus_comment(i)


# The common shapes of HTML, read by one regex each: text, a start tag with quoted or plain attribute values,
# an end tag, a comment, a doctype, an entity or character reference with its ";", and a "&" or "<" that
# starts nothing. Anything else (and every shape on which Python versions' parsers differ) is left to the
# stdlib parser, for the whole document.
_SPACE = "[ \t\n\r\f]"
_START_TAG = (rf"<(?P<tag>[a-zA-Z][-a-zA-Z0-9]*)(?P<attrs>(?:{_SPACE}+[a-zA-Z_:][-a-zA-Z0-9_:.]*"
              rf"(?:{_SPACE}*={_SPACE}*(?:\"[^\"<>]*\"|'[^'<>]*'|[-a-zA-Z0-9_.:]+))?)*){_SPACE}*(?P<closed>/?)>")
_END_TAG = r"</(?P<end>[a-zA-Z][-a-zA-Z0-9]*)>"
_REFERENCE = r"&(?P<entity>[a-zA-Z][a-zA-Z0-9]*);|&#(?P<charref>[0-9]+|[xX][0-9a-fA-F]+);"
_TOKEN = re.compile(
    rf"(?P<text>[^<&]+)|{_START_TAG}|{_END_TAG}"
    r"|(?P<comment><!--)"
    r"|(?P<decl><![dD][oO][cC][tT][yY][pP][eE][^<>]*>)"
    rf"|{_REFERENCE}"
    r"|(?P<amp>&)(?![a-zA-Z#])"
    rf"|(?P<lt><)(?={_SPACE}|[0-9=])"
)
_TOKEN_ATTRIBUTE = re.compile(rf"""([^\s=]+)(?:{_SPACE}*={_SPACE}*("[^"]*"|'[^']*'|[^\s]+))?""")
# Elements whose content a parser reads as raw text (script, style), or may, depending on the Python
# version (title and textarea as escapable raw text, and the others); their content must be plain.
_RAW_TEXT = frozenset(("script", "style"))
_MAYBE_RAW = frozenset("title textarea iframe xmp noembed noframes plaintext".split())


class _TokenMasker(_HtmlMasker):
    """The same events as the stdlib parser, for a document made only of the shapes `_TOKEN` reads, found
    with one regex match each; `read` returns False (and has then been given an event only in part) on any
    other shape, and the document is read again by the parser."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.position = 0
        self.tag_text = ""

    def _line_starts(self, text: str) -> list[int]:
        return []  # positions are known without them

    def _offset(self) -> int:
        return self.position

    def get_starttag_text(self) -> str:
        return self.tag_text

    def read(self) -> bool:
        position, size = 0, len(self.text)
        while position < size:
            position = self._step(position)
            if position < 0:
                return False
        return True

    def _step(self, position: int) -> int:
        """The event at `position` given to its handler: where the next starts, or -1 for a shape left to the
        parser."""
        text = self.text
        match = _TOKEN.match(text, position)
        if match is None:
            return -1
        self.position = position
        kind = match.lastgroup
        end = match.end()
        if kind == "text":  # handle_data, for text that cannot start with "<"
            if self.skipping or (self.in_head and not self.in_title):
                self.marks.append((position, end, _FILL, " "))
            else:
                self.marks.append((position, end, _KEEP, None))
        elif kind == "closed":
            tag = match.group("tag").lower()
            closed = bool(match.group("closed"))
            attrs = _token_attributes(match.group("attrs")) if tag in ("img", "meta", "script") else []
            self.tag_text = match.group()
            if tag in _RAW_TEXT or tag in _MAYBE_RAW:
                if closed or tag == "plaintext":
                    return -1  # "<script/>": versions differ
                self.handle_starttag(tag, attrs)
                end = self._raw_content(tag, end)
            else:
                (self.handle_startendtag if closed else self.handle_starttag)(tag, attrs)
        elif kind == "end":
            self.handle_endtag(match.group("end").lower())
        elif kind == "comment":
            close = text.find("-->", end)
            # "<!-->", "<!--->", "--" or "--!>" inside, "--->": versions of the parser differ
            if close < 0 or text.startswith((">", "->"), end) or "--" in text[end:close] \
                    or text[close - 1] == "-":
                return -1
            self.handle_comment(text[end:close])
            end = close + 3
        elif kind == "decl":
            self.handle_decl(match.group()[2:-1])
        elif kind == "entity":
            self.handle_entityref(match.group("entity"))
        elif kind == "charref":
            self.handle_charref(match.group("charref"))
        else:  # a "&" or "<" that starts nothing
            self.handle_data(match.group())
        return end

    def _raw_content(self, tag: str, start: int) -> int:
        """The content of a raw-text element and its end tag, as events; the end, or -1 for a shape left to the
        parser: content with "</" or "<!--" in a script or style, with "<" or "&" in the others."""
        text = self.text
        close = text.find("</", start)
        if close < 0 or not (text.startswith(tag, close + 2) or text[close + 2:close + 2 + len(tag)].lower() == tag) \
                or not text.startswith(">", close + 2 + len(tag)):
            return -1
        content = text[start:close]
        if ("<!--" in content) if tag in _RAW_TEXT else ("<" in content or "&" in content):
            return -1
        if content:
            self.position = start
            self.handle_data(content)
        self.position = close
        self.handle_endtag(tag)
        return close + 3 + len(tag)


# The tags that change the masker's state or are masked by what they hold, and comments, declarations and
# processing instructions: where a run of ordinary markup ends (a name with any ending, so never too few).
_RUN_END = re.compile(  # the names grouped by their first letter, so most tags fail on it
    r"<(?:[!?]|/?(?:" + "|".join(
        first + "(?:" + "|".join(name[1:] for name in names) + ")"
        for first, names in groupby(sorted(_SKIPPED | _RAW_TEXT | _MAYBE_RAW | {"head", "img", "meta", "title"}),
                                    key=lambda name: name[0])) + "))",
    re.IGNORECASE | re.ASCII,
)
# The shapes of `_TOKEN` in a run of ordinary markup, text aside (it stays as written); a "<" or "&" that
# starts none of them (the last two branches) is a shape the tokenizer leaves to the parser. Each branch
# starts with its character, so the regex engine skips from one "<" or "&" to the next.
_ORDINARY = re.compile(
    rf"{_START_TAG}|{_END_TAG}|{_REFERENCE}|&(?![a-zA-Z#])(?P<amp>)|<(?={_SPACE}|[0-9=])(?P<lt>)|<|&"
)
_RUN_MASKS: dict[str, str] = {}  # the masked text of each ordinary token whose masking is its own
_RUN_LINE_MASKS: dict[str, tuple[str, str]] = {}  # a heading's or list item's tag: with its marker, and without
_RUN_MASKS_SIZE = 4096  # tokens kept; URLs in links make tags nearly unique
_RUN_MASK_LENGTH = 256  # a longer token is masked each time


class _RunMasker(_TokenMasker):
    """`_TokenMasker` with the runs of ordinary markup in the visible text masked in bulk, as one mark each.

    Outside <head> and the elements whose content is not shown, an event that is not a tag named in `_RUN_END`
    (or a comment, declaration or processing instruction) changes nothing in the masker's state, and its mask
    depends on its own text only (on the rest of its line too, for a heading's or list item's "# " or "- "):
    text stays, a tag is zero-width fillers or a block, a reference is decoded. Such a run is masked by one
    regex substitution with a memo of each token's mask, the same characters the handlers' marks would give."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.run_start = 0
        self.unread = False  # a "<" or "&" in the run that starts no token

    def read(self) -> bool:
        position, size = 0, len(self.text)
        while position < size:
            position = self._step(position) if self.skipping or self.in_head else self._run(position)
            if position < 0:
                return False
        return True

    def _run(self, position: int) -> int:
        """The run of ordinary markup from `position` as one mark, or the event there if it is not ordinary."""
        found = _RUN_END.search(self.text, position)
        stop = found.start() if found else len(self.text)
        if stop == position:
            return self._step(position)
        run = self.text[position:stop]
        self.run_start = position
        masked = _ORDINARY.sub(self._masked_token, run)
        if self.unread:
            return -1
        self.marks.append((position, stop, _KEEP, None) if masked == run else (position, stop, _PUT, masked))
        return stop

    def _masked_token(self, match: re.Match[str]) -> str:
        token = match.group()
        masked = _RUN_MASKS.get(token)
        if masked is not None:
            return masked
        kind = match.lastgroup
        if kind == "closed":  # handle_starttag or handle_startendtag (`_start`)
            marker = _MARKERS.get(match.group("tag").lower())
            if marker is not None and marker.endswith(" "):  # "# " or "- " only when text follows on the line
                pair = _RUN_LINE_MASKS.get(token)
                if pair is None:
                    pair = (_blocked(token, marker), _blocked(token, "\n\n"))
                    if len(token) <= _RUN_MASK_LENGTH and len(_RUN_LINE_MASKS) < _RUN_MASKS_SIZE:
                        _RUN_LINE_MASKS[token] = pair
                return pair[_BLANK_REST.match(self.text, self.run_start + match.end()) is not None]
            masked = _filled(token, ZWSP) if marker is None else _blocked(token, marker)
        elif kind == "end":  # handle_endtag
            tag = match.group("end").lower()
            masked = _filled(token, ZWSP) if tag not in _MARKERS else _blocked(token, "\n" if tag == "br" else "\n\n")
        elif kind in ("entity", "charref"):  # `_Canvas.decode`
            masked = _decoded(token)
        elif kind in ("amp", "lt"):  # a "&" or "<" that starts nothing: text (not remembered: the same "&" or
            return token  # "<" in front of something else is a shape left to the parser)
        else:
            self.unread = True
            return token
        if len(token) <= _RUN_MASK_LENGTH:
            if len(_RUN_MASKS) >= _RUN_MASKS_SIZE:
                _RUN_MASKS.clear()
            _RUN_MASKS[token] = masked
        return masked


def _filled(token: str, filler: str) -> str:
    """A span filled (`_Canvas.fill`): every character but a line break replaced by `filler`."""
    if "\n" not in token and "\r" not in token:
        return filler * len(token)
    return "".join(c if c in "\r\n" else filler for c in token)


def _blocked(token: str, marker: str) -> str:
    """A span blocked (`_Canvas.block`): spaces with `marker` in front, on the characters that are not line
    breaks."""
    if "\n" not in token and "\r" not in token:
        return marker[:len(token)].ljust(len(token))
    chars = [c if c in "\r\n" else " " for c in token]
    free = (i for i, c in enumerate(token) if c not in "\r\n")
    for index, char in zip(free, marker):
        chars[index] = char
    return "".join(chars)


def _decoded(raw: str) -> str:
    """An entity decoded (`_Canvas.decode`): its characters first, fillers after; `raw` itself (the same
    object) when it stays as written, unknown or longer decoded."""
    decoded = html.unescape(raw)
    if decoded == raw or len(decoded) > len(raw):
        return raw
    return decoded + ZWSP * (len(raw) - len(decoded))


def _token_attributes(source: str) -> list[tuple[str, str | None]]:
    """A start tag's attributes as the stdlib parser gives them (names in lower case, values unquoted and
    with their references decoded), for the attribute shapes `_TOKEN` reads."""
    attributes: list[tuple[str, str | None]] = []
    for match in _TOKEN_ATTRIBUTE.finditer(source):
        name, value = match.group(1, 2)
        if value is not None and value[:1] in "'\"" and value[:1] == value[-1:] and len(value) > 1:
            value = value[1:-1]
        attributes.append((name.lower(), html.unescape(value) if value else value))
    return attributes
