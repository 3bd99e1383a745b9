"""Reading inputs as text: byte-order marks, UTF-16, invalid UTF-8 and binary files handled explicitly.

Offsets in findings index the decoded text, so decoding is the one place that decides what a
"character" is. Nothing here modifies a file.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import BinaryIO

from .errors import InputError
from .record import Record

# The reader a document needs (see markup.py); decided here so plain text never imports the readers. MDX is
# Markdown with JavaScript imports/exports and JSX blocks, which its reader skips.
MARKDOWN, HTML, TEXT, MDX = "markdown", "html", "text", "mdx"
MARKDOWN_KINDS = frozenset({MARKDOWN, MDX})
_KINDS = {
    ".md": MARKDOWN, ".markdown": MARKDOWN, ".mdown": MARKDOWN, ".mkd": MARKDOWN, ".mdx": MDX,
    ".html": HTML, ".htm": HTML, ".xhtml": HTML,
}

# Far beyond any web page; a 100 MiB Markdown file takes about 3 minutes (in pieces, in about 120 MB), and an
# HTML page is checked whole, in many times its size, so this bounds a run to minutes and gigabytes instead
# of letting a stray dump or disk image occupy the machine.
MAX_INPUT_BYTES = 128 * 1024 * 1024
_SNIFF = 8192
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one. UTF-16/32 decoders read the mark themselves.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def kind_for_path(path: str) -> str:
    """The reader a file needs, from its extension: "markdown", "mdx", "html" or "text"."""
    return _KINDS.get(PurePath(path).suffix.lower(), TEXT)


WARC_SUFFIXES = (".warc", ".warc.gz")


def is_warc(path: str) -> bool:
    """Whether a path names a WARC file, a container of pages (warc.py), by its name as other files are read
    by their extension; decided here so that a run without WARC files never imports their reader."""
    return path.lower().endswith(WARC_SUFFIXES)


class Decoded(Record):
    __slots__ = ("text", "warnings")  # the fields in order, as repr and == take them

    text: str
    warnings: list[str]

    def __init__(self, text: str, warnings: list[str] | None = None) -> None:
        self.text = text
        self.warnings = [] if warnings is None else warnings


def decode(raw: bytes, name: str) -> Decoded:
    """Decode bytes from a file or stdin: UTF-8 (with or without BOM) or UTF-16/32 with a BOM.

    Invalid UTF-8 is decoded with U+FFFD replacement characters and a warning rather than refused,
    because one stray byte in a scraped page should not hide the rest of it. NUL bytes without a
    UTF-16/32 BOM mean a binary file, which is refused.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(encoding))
            except UnicodeDecodeError as exc:
                return Decoded(raw.decode(encoding, errors="replace"),
                               [f"{name}: invalid {encoding} at byte {exc.start}; replaced undecodable bytes"])
    if b"\x00" in raw[:_SNIFF]:
        raise InputError(f"{name}: binary file (contains NUL bytes); not checked")
    try:
        return Decoded(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return Decoded(raw.decode("utf-8", errors="replace"),
                       [f"{name}: not valid UTF-8 (first bad byte at offset {exc.start}); "
                        "undecodable bytes were replaced with U+FFFD"])


def _checked_size(path: Path) -> int:
    """The size of a regular file within the limit, or the InputError that says why it is not read."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        os.scandir(path).close()  # a directory the walk could not list: this raises the reason
        raise InputError(f"{path}: is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file (a pipe, socket or device); not checked")
    if info.st_size > MAX_INPUT_BYTES:
        raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; not checked")
    return info.st_size


@contextmanager
def _plain_os_errors(path: str | Path) -> Iterator[None]:
    """Every OS error while reading `path` as an InputError with a plain message."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def file_size(path: str | Path) -> int:
    """The size of a file that `read_file` would read; an InputError for one it would refuse."""
    with _plain_os_errors(path):
        return _checked_size(Path(path))


def read_file(path: str | Path) -> Decoded:
    """Read one file as text, turning every OS error into an InputError with a plain message.

    Only regular files are read: a named pipe would block forever and a device such as /dev/zero never
    ends. At most MAX_INPUT_BYTES are read, whatever the size the file claims, so memory stays bounded.
    """
    p = Path(path)
    with _plain_os_errors(path):
        _checked_size(p)
        with p.open("rb") as stream:
            raw = stream.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; not checked")
    return decode(raw, str(path))


PIECE_BYTES = 1024 * 1024


class StreamedFile:
    """A large file read and decoded a piece at a time, so it is never in memory whole.

    Decoding follows `decode` exactly (byte-order marks, NUL bytes refused, invalid bytes replaced with a
    warning naming the first one); iterating again reads the file again.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.warnings: list[str] = []

    def __iter__(self) -> Iterator[str]:
        self.warnings = []
        with _plain_os_errors(self.path):
            _checked_size(self.path)
            with self.path.open("rb") as stream:
                yield from self._decoded(stream)

    def _decoded(self, stream: BinaryIO) -> Iterator[str]:
        name = str(self.path)
        first = stream.read(PIECE_BYTES)
        encoding = "utf-8"
        for bom, bom_encoding in _BOMS:
            if first.startswith(bom):
                encoding = bom_encoding
                break
        else:
            if b"\x00" in first[:_SNIFF]:
                raise InputError(f"{name}: binary file (contains NUL bytes); not checked")
        decoder = codecs.getincrementaldecoder(encoding)()
        piece, consumed, total = first, 0, len(first)
        while True:
            final = not piece or total >= MAX_INPUT_BYTES + 1
            try:
                state = decoder.getstate()
                text = decoder.decode(piece, final)
            except UnicodeDecodeError as exc:
                where = consumed - len(state[0]) + exc.start
                self.warnings.append(
                    f"{name}: not valid UTF-8 (first bad byte at offset {where}); undecodable bytes were replaced "
                    "with U+FFFD" if encoding == "utf-8" else
                    f"{name}: invalid {encoding} at byte {where}; replaced undecodable bytes")
                decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
                text = decoder.decode(state[0] + piece, final)
            if text:
                yield text
            if final:
                if total > MAX_INPUT_BYTES:
                    raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; not checked")
                return
            consumed += len(piece)
            piece = stream.read(PIECE_BYTES)
            total += len(piece)
