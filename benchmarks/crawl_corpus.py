"""Turn the benchmark corpus (../shared/bench/gen_corpus.py's Markdown pages) into a crawl-like one: HTML pages
with a head, navigation and a script, of which only every tenth names an exosome product (the others have
the product words removed), as in a crawl where most pages say nothing exocheck checks.

    python benchmarks/crawl_corpus.py CORPUS_DIR OUT_DIR [--every N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

# Removed from the pages that must not name an exosome product (as benchmarks/run.py does for its row).
PRODUCT_WORDS = ("xosom", "XOSOM", "Xosom", "vesicle", "ExoGlow", "ExoRegen", "MSC", "stem", "secretom", "small",
                 "extracellular", "xoGlo")


def crawl_pages(corpus: Path, out: Path, every: int = 10) -> int:
    """Write the crawl-like pages of `corpus` to `out`; returns their total size in bytes."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for number, page in enumerate(sorted(corpus.glob("*.md"))):
        text = page.read_text(encoding="utf-8")
        named = number % every == 0
        if not named:
            for word in PRODUCT_WORDS:
                text = text.replace(word, "")
        description = "Exosome therapy" if named else "Skin care and wellness"
        document = (f'<!DOCTYPE html>\n<html><head><title>{page.stem}</title>'
                    f'<meta name="description" content="{description}"></head>\n<body>\n'
                    '<nav><a href="/">Home</a> <a href="/book">Book now</a></nav>\n<main>\n'
                    f"{renderer.render(text)}</main>\n<script>var claim = 'exosomes cure everything';</script>\n"
                    "</body></html>\n")
        target = out / (page.stem + ".html")
        target.write_text(document, encoding="utf-8")
        total += target.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--every", type=int, default=10, help="one page in this many names a product")
    args = parser.parse_args()
    size = crawl_pages(args.corpus, args.out, args.every)
    print(f"wrote {args.out} ({size} bytes)")


if __name__ == "__main__":
    main()
