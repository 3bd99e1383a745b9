"""Reading inputs as text: byte-order marks, UTF-16, invalid UTF-8 and binary files handled explicitly.

Offsets in findings index the decoded text, so decoding is the one place that decides what a
"character" is. Nothing here modifies a file.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from .errors import InputError

# The reader a document needs (see markup.py); decided here so plain text never imports the readers.
MARKDOWN, HTML, TEXT = "markdown", "html", "text"
_KINDS = {
    ".md": MARKDOWN, ".markdown": MARKDOWN, ".mdown": MARKDOWN, ".mkd": MARKDOWN,
    ".html": HTML, ".htm": HTML, ".xhtml": HTML,
}

# Far beyond any web page; a 50 MB page takes about 30 s and 1 GB, so this bounds a run to minutes and a
# few gigabytes instead of letting a stray dump or disk image exhaust the machine.
MAX_INPUT_BYTES = 128 * 1024 * 1024
_SNIFF = 8192


def kind_for_path(path: str) -> str:
    """The reader a file needs, from its extension: "markdown", "html" or "text"."""
    return _KINDS.get(PurePath(path).suffix.lower(), TEXT)


@dataclass
class Decoded:
    text: str
    warnings: list[str] = field(default_factory=list)


def decode(raw: bytes, name: str) -> Decoded:
    """Decode bytes from a file or stdin: UTF-8 (with or without BOM) or UTF-16/32 with a BOM.

    Invalid UTF-8 is decoded with U+FFFD replacement characters and a warning rather than refused,
    because one stray byte in a scraped page should not hide the rest of it. NUL bytes without a
    UTF-16/32 BOM mean a binary file, which is refused.
    """
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
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


def read_file(path: str | Path) -> Decoded:
    """Read one file as text, turning every OS error into an InputError with a plain message.

    Only regular files are read: a named pipe would block forever and a device such as /dev/zero never
    ends. At most MAX_INPUT_BYTES are read, whatever the size the file claims, so memory stays bounded.
    """
    p = Path(path)
    try:
        info = p.stat()
        if stat.S_ISDIR(info.st_mode):
            os.scandir(p).close()  # a directory the walk could not list: this raises the reason
            raise InputError(f"{path}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file (a pipe, socket or device); not checked")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; not checked")
        with p.open("rb") as stream:
            raw = stream.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; not checked")
    return decode(raw, str(path))
