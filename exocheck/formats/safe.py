"""Text from the checked copy and from file names, made safe for where a report shows it.

Copy and file names are written by others, and exocheck runs in CI on them: a sentence or a name must
never move a terminal's cursor, retitle its window, make a link, reverse the order of what is printed
after it, start a formula in a spreadsheet, or stop a report from being written. One convention, used by
every writer and by the command's stderr (see docs/robustness.md, "Names and copy in reports"):

- `\\xNN` with NN below 80 is an ASCII control character (`\\t`, `\\n`, `\\r` for those three);
- `\\xNN` with NN from 80 is a byte of a file name or argument that is not UTF-8 (Python reads it as the
  lone surrogate U+DCNN, "surrogateescape"), so `\\xff` is the byte FF;
- `\\uNNNN` is a C1 control, a bidirectional mark, override or isolate, a line or paragraph separator,
  or any other lone surrogate.

Backslashes are not doubled: the escapes keep a name readable, they are not a way back to its bytes (the
JSON formats are, see `json_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..patterns import LazyPattern

# JSON texts may hold these raw, but some readers (str.splitlines, older JavaScript) break lines at them.
_json_escaped = LazyPattern("[\x85\u2028\u2029\ud800-\udfff]")


# C0 and DEL, C1, the bidirectional formatting characters (Unicode's Bidi_Control: the Arabic letter
# mark, LRM and RLM, the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069), the line
# and paragraph separators (a line break to some viewers and to str.splitlines), and lone surrogates.
_SHOWN_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


_surrogates = LazyPattern("[\ud800-\udfff]")


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# OWASP's list for CSV injection: a spreadsheet reads a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escaped(char: str) -> str:
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if code < 0x80:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def escape(text: str, keep: str = "") -> str:
    """`text` with every character that could drive a terminal or reorder a line shown as an escape (see the
    module's convention); characters in `keep` are layout where the caller writes them, and stay.
    Escaping twice gives what escaping once does."""
    return _SHOWN_ESCAPED.sub(lambda m: m[0] if m[0] in keep else _escaped(m[0]), text)


def escape_surrogates(text: str) -> str:
    """Only the lone surrogates escaped, as `escape` writes them: what a format that keeps text as it is
    (a CSV cell) needs to be written as UTF-8 at all."""
    return _surrogates().sub(lambda m: _escaped(m[0]), text)


def json_text(dumped: str) -> str:
    """JSON written with `ensure_ascii=False`, with its lone surrogates as `\\uDCNN` escapes, as
    `ensure_ascii=True` writes them: valid UTF-8, and read back (by Python's json, say) as the very string,
    whose `os.fsencode` gives a file name's bytes. NEL and the line and paragraph separators are escaped
    too, so a JSON Lines reader that splits at them still gets one object a line. The data read back is
    unchanged. Outside strings JSON is ASCII, so every character replaced is inside a string.

    It runs on every finding of a large lint, so the common cases are decided without a regex scan: ASCII
    text, and text that encodes as UTF-8 (no surrogate) without the three separators."""
    if dumped.isascii():
        return dumped
    try:
        dumped.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        if "\x85" not in dumped and "\u2028" not in dumped and "\u2029" not in dumped:
            return dumped
    return _json_escaped().sub(lambda m: f"\\u{ord(m[0]):04x}", dumped)


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet takes as text: one that starts like a formula gets a leading `'`, as OWASP
    recommends for CSV injection, and is otherwise kept; lone surrogates are escaped so it can be written."""
    value = escape_surrogates(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """CSV lines ending in "\\n", every text cell through `csv_cell`. Before Python 3.13, csv quotes only
    the line terminator's characters, so a cell with a carriage return (a sentence over lone-CR line
    breaks, a file name) would end the row early: such a row is written with every cell quoted."""
    import csv
    import io

    out = io.StringIO()
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = [csv_cell(value) if isinstance(value, str) else value for value in row]
        (quoted if any(isinstance(cell, str) and "\r" in cell for cell in cells) else minimal).writerow(cells)
    return out.getvalue()
