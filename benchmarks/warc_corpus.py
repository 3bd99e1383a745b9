"""Pack the benchmark corpus (../shared/bench/gen_corpus.py's pages) into a WARC file, one HTTP response
record a page, so WARC input can be timed against the same pages read as files.

    python benchmarks/warc_corpus.py CORPUS_DIR OUT.warc.gz [--html] [--split N]

Pages keep their Markdown (Content-Type text/markdown), so they are read as the files are; --html wraps
each paragraph in <p> and serves text/html instead, for the HTML reader's path; --split N writes N files
(OUT-0.warc.gz ...), pages dealt out in turn, so that N tasks can read them at once. Needs warcio.
"""

from __future__ import annotations

import argparse
import html
from io import BytesIO
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--html", action="store_true", help="serve each page as HTML")
    parser.add_argument("--split", type=int, default=1, help="write this many files")
    args = parser.parse_args()
    pages = sorted(args.corpus.glob("*.md"))
    if args.split == 1:
        write(pages, args.out, args.html)
        return
    stem = args.out.name.split(".warc")[0]
    for part in range(args.split):
        write(pages[part::args.split], args.out.with_name(f"{stem}-{part}{args.out.name[len(stem):]}"), args.html)


def write(pages: list[Path], out: Path, as_html: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=out.name.endswith(".gz"))
        for page in pages:
            number = int(page.stem.rsplit("-", 1)[-1]) if page.stem.rsplit("-", 1)[-1].isdigit() else 0
            text = page.read_text(encoding="utf-8")
            if as_html:
                body = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n\n"))
                content_type = "text/html; charset=utf-8"
                text = f"<!doctype html><html><head><title>{page.stem}</title></head><body>\n{body}</body></html>\n"
            else:
                content_type = "text/markdown; charset=utf-8"
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            uri = f"https://site{number % 50}.example/{page.stem}"
            writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(text.encode("utf-8")),
                                                          http_headers=headers))


if __name__ == "__main__":
    main()
