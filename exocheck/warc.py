"""Pages from WARC files, the format crawlers and Common Crawl store the web in.

Every HTML or text record is a page named by its target URI: `response` records (with HTTP headers),
and `resource` and `conversion` records (Common Crawl's WET text files). Its reader comes from its content
type and its characters from its charset (the HTTP header's, else a BOM or the HTML's own <meta>, else
UTF-8 with undecodable bytes replaced and a warning, as for any file). Everything after decoding is the
pipeline every other file goes through (`lint.lint_text`), so a page gets the findings it would get as a
file. A bad record is a notice, not a crash: a record that cannot be decoded is skipped, and a file whose
framing breaks is read up to the break.

warcio is an optional extra (`exocheck[warc]`), imported only when a WARC is read.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from .document import HTML, MARKDOWN, MAX_INPUT_BYTES, TEXT, _plain_os_errors, decode
from .errors import InputError
from .model import Notice

MISSING = "reading WARC files needs warcio: pip install 'exocheck[warc]'"

# Content types that are copy, and the reader each needs; everything else (images, scripts, CSS, JSON) is
# not a page.
_READERS = {
    "text/html": HTML, "application/xhtml+xml": HTML,
    "text/markdown": MARKDOWN, "text/x-markdown": MARKDOWN,
    "text/plain": TEXT,
}
_PAGE_RECORDS = ("response", "resource", "conversion")
# Labels browsers read as another encoding (WHATWG Encoding): a page declaring Latin-1 is decoded as
# windows-1252, and a <meta> claiming UTF-16 in a page that is read as bytes is UTF-8.
_LABELS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
           "us-ascii": "cp1252", "ascii": "cp1252", "x-user-defined": "cp1252"}
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.+-]+)", re.IGNORECASE)
_META_WINDOW = 4096  # bytes in which a <meta charset> counts (browsers look at the first 1024; pages vary)
_UNICODE_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class Page:
    """One page of a WARC: its URI, the reader it needs, its decoded text, and what was odd about it."""

    uri: str
    kind: str
    text: str
    warnings: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def require_warcio(name: str) -> None:
    """Raise the one-line InputError that says how to install warcio, if it is missing."""
    try:
        import warcio  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        raise InputError(f"{name}: {MISSING}") from None


def read(path: str) -> Iterator[Page | Notice]:
    """The pages of the WARC file `path`, and a notice for each record that could not be read."""
    require_warcio(path)
    with _plain_os_errors(path), open(path, "rb") as stream:
        yield from pages(stream, path)


def pages(stream: BinaryIO, name: str) -> Iterator[Page | Notice]:
    """The pages of a WARC read from `stream` (a file, or the bytes a Spark task was given), in record order.

    A broken frame (bad gzip member, garbage between records, a file cut short) ends the reading with a
    notice, since no later record can be found reliably; at the first record it means the file is not a
    WARC, an InputError.
    """
    require_warcio(name)
    from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

    records = ArchiveIterator(stream)
    read_any = False
    while True:
        try:
            record = next(records)
            if record.format != "warc":  # warcio reads any text as an ARC header line
                raise ValueError("no WARC record header")
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - warcio raises ArchiveLoadFailed, zlib.error, EOFError, ValueError ...
            if not read_any:
                raise InputError(f"{name}: not a readable WARC file ({_reason(exc)})") from None
            yield Notice(name, 1, 1, "warc-unreadable",
                         f"{name}: the rest of the file could not be read after byte {records.offset} "
                         f"({_reason(exc)}); the records before it were checked")
            return
        read_any = True
        if record.rec_type in _PAGE_RECORDS:
            page = _page(record, name, records.offset)  # the offset of this record until the next is read
            if page is not None:
                yield page


def _page(record: Any, name: str, offset: int) -> Page | Notice | None:
    """A record as a page; None for a record that is not copy (an image, a redirect); a notice for one
    that is copy but cannot be read."""
    headers = record.rec_headers
    uri = headers.get_header("WARC-Target-URI") or f"{name}#{offset}"
    http = record.http_headers
    if record.rec_type == "response":
        if http is None or not str(http.get_statuscode() or "").startswith("2"):
            return None  # redirects, errors and non-HTTP responses are not the site's copy
        content_type = http.get_header("Content-Type") or headers.get_header("WARC-Identified-Payload-Type")
    else:
        content_type = headers.get_header("Content-Type")
    mime, charset = _content_type(content_type or "")
    kind = _READERS.get(mime)
    if kind is None:
        return None
    where = f"{name}: record at byte {offset} ({uri})"
    try:
        raw = record.content_stream().read(MAX_INPUT_BYTES + 1)
    except Exception as exc:  # noqa: BLE001 - bad chunked or gzip transfer encoding, a record cut short
        return Notice(uri, 1, 1, "warc-record", f"{where}: content could not be read ({_reason(exc)}); not checked")
    if len(raw) > MAX_INPUT_BYTES:
        return Notice(uri, 1, 1, "warc-record",
                      f"{where}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; not checked")
    try:
        text, warnings = _decoded(raw, uri, charset, kind)
    except InputError as exc:
        return Notice(uri, 1, 1, "warc-record", f"{where}: {exc}")
    page = Page(uri, kind, text, warnings)
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:  # the file ends inside this record (a download cut short)
        page.notices.append(Notice(uri, 1, 1, "warc-truncated", f"{where}: the file ends {missing} bytes before "
                                   "the end of this record; the part there is was checked"))
    truncated = headers.get_header("WARC-Truncated")
    if truncated:  # Common Crawl keeps the first MiB of a page
        page.notices.append(Notice(uri, 1, 1, "warc-truncated", f"{where}: the crawler truncated this record "
                                   f"({truncated}); the part there is was checked", "info"))
    return page


def _content_type(value: str) -> tuple[str, str | None]:
    """("text/html", "utf-8") from "text/html; charset=UTF-8"; the charset is None when not given."""
    mime, _, parameters = value.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        key, _, found = parameter.partition("=")
        if key.strip().lower() == "charset" and found.strip().strip("\"'"):
            charset = found.strip().strip("\"'")
    return mime.strip().lower(), charset


def _decoded(raw: bytes, uri: str, charset: str | None, kind: str) -> tuple[str, list[str]]:
    """A page's text, by the first of: a Unicode BOM, the HTTP charset, an HTML <meta> charset, UTF-8."""
    warnings: list[str] = []
    if raw.startswith(_UNICODE_BOMS):
        charset = None  # a BOM wins over any declaration, as in browsers
    elif charset is None and kind == HTML:
        meta = _META_CHARSET.search(raw, 0, _META_WINDOW)
        if meta is not None:
            charset = meta.group(1).decode("ascii")
            if charset.lower().startswith("utf-16"):
                charset = "utf-8"
    encoding = _encoding(charset, uri, warnings) if charset else None
    if encoding is None or encoding == "utf-8":
        decoded = decode(raw, uri)  # BOMs, binary refused, invalid UTF-8 replaced with a warning
        return decoded.text, warnings + decoded.warnings
    if b"\x00" in raw[:8192] and not encoding.startswith(("utf-16", "utf-32")):
        raise InputError(f"{uri}: binary content (contains NUL bytes); not checked")
    try:
        return raw.decode(encoding), warnings
    except UnicodeDecodeError as exc:
        warnings.append(f"{uri}: not valid {charset} (first bad byte at offset {exc.start}); "
                        "undecodable bytes were replaced with U+FFFD")
        return raw.decode(encoding, errors="replace"), warnings


def _encoding(charset: str, uri: str, warnings: list[str]) -> str | None:
    """Python's codec for a declared charset, or None (read as UTF-8) with a warning for an unknown one."""
    label = charset.strip().lower()
    try:
        return codecs.lookup(_LABELS.get(label, label)).name
    except LookupError:
        warnings.append(f"{uri}: unknown charset {charset!r}; read as UTF-8")
        return None


def _reason(exc: BaseException) -> str:
    """An exception in a few printable words: warcio quotes the bad bytes it met, which may be binary."""
    text = str(exc).strip()
    if not text:
        return type(exc).__name__
    text = ascii(text[:60])[1:-1] + ("..." if len(text) > 60 else "")
    return f"{type(exc).__name__}: {text}"
