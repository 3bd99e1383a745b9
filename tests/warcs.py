"""WARC files for tests, written with warcio's own writer (no network, no fixtures on disk)."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path


@dataclass
class Record:
    uri: str
    body: bytes | str
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    rec_type: str = "response"
    warc_headers: dict[str, str] = field(default_factory=dict)


def warc_bytes(records: list[Record], gzip: bool = True) -> bytes:
    """The bytes of a WARC file holding `records` in order (each gzipped on its own when `gzip`)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "exocheck tests"}))
    for r in records:
        body = r.body.encode("utf-8") if isinstance(r.body, str) else r.body
        if r.rec_type == "response":
            headers = [("Content-Type", r.content_type)] if r.content_type else []
            http = StatusAndHeaders(r.status, headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(r.uri, "response", payload=BytesIO(body), http_headers=http,
                                               warc_headers_dict=r.warc_headers)
        else:
            record = writer.create_warc_record(r.uri, r.rec_type, payload=BytesIO(body), length=len(body),
                                               warc_content_type=r.content_type,
                                               warc_headers_dict=r.warc_headers)
        writer.write_record(record)
    return out.getvalue()


def write_warc(path: Path, records: list[Record], gzip: bool | None = None) -> Path:
    """Write `records` to `path`, gzipped when its name ends in .gz (unless `gzip` says otherwise)."""
    path.write_bytes(warc_bytes(records, path.name.endswith(".gz") if gzip is None else gzip))
    return path
