"""The copy pages publish outside their body: front matter titles and descriptions, social meta tags, JSON-LD
structured data, and MDX; checked through `exocheck lint` and `check_file` at exact positions."""

import json
import re
import time
from pathlib import Path

import pytest

import exocheck
from exocheck.markup import mask

from conftest import run_cli


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of `needle` in `text`."""
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def linted(page: Path) -> list[tuple[int, int, str]]:
    """(line, column, claim id) of each finding of `exocheck lint`, which `check_file` must equal."""
    result = run_cli("lint", str(page), "--format", "json", "--no-config")
    assert result.returncode in (0, 1), result.stderr
    found = [(f["line"], f["column"], f["claim_id"]) for f in json.loads(result.stdout)["findings"]]
    assert [(f.line, f.column, f.claim_id) for f in exocheck.check_file(page).findings] == found
    return found


FRONT_MATTER = """---
title: Exosome therapy cures hair loss
date: 2024-01-01
keywords: Exosomes reverse aging
description: >
  Our exosome facial is
  FDA approved.
summary: "Exosomes cure arthritis." # shown on the listing page
tags: [exosomes cure cancer]
---
We are open on Sundays.
"""


def test_front_matter_copy_fields_are_checked_at_exact_positions(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(FRONT_MATTER, encoding="utf-8")
    assert linted(page) == [
        (*position(FRONT_MATTER, "Exosome therapy cures"), "hair-loss-treatment"),
        (*position(FRONT_MATTER, "FDA approved."), "fda-approved"),  # as in a paragraph: where the claim is
        (*position(FRONT_MATTER, "Exosomes cure arthritis"), "joint-pain-treatment"),
    ]


def test_toml_front_matter_tables_are_read_too(tmp_path: Path) -> None:
    text = '+++\ntitle = "Exosomes cure arthritis"\n[params]\nexcerpt = "Exosomes cure hair loss."\n+++\nHello.\n'
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    assert linted(page) == [(2, 10, "joint-pain-treatment"), (4, 12, "hair-loss-treatment")]


NESTED_YAML = """---
title: Clinic
seo:
  title: "Exosome therapy cures hair loss"
  description: >
    Our exosome facial is
    FDA approved.
  keywords: Exosomes reverse aging
meta: {description: 'Exosomes cure arthritis.', image: x.png}
openGraph:
  - description: &og Exosomes cure cancer
    alt: Exosomes cure cancer
twitter:
  description: *og
  title: [Exosomes reverse aging]
summary: 2024
---
We are open on Sundays.
"""


def test_nested_yaml_front_matter_copy_is_checked_at_exact_positions(tmp_path: Path) -> None:
    """seo/meta/openGraph descriptions at any depth; other keys (alt, keywords), an alias (its text is read
    once, where it is written), a list and a number are not copy."""
    page = tmp_path / "page.md"
    page.write_text(NESTED_YAML, encoding="utf-8")
    assert linted(page) == [
        (*position(NESTED_YAML, "Exosome therapy cures"), "hair-loss-treatment"),
        (*position(NESTED_YAML, "FDA approved."), "fda-approved"),
        (*position(NESTED_YAML, "Exosomes cure arthritis"), "joint-pain-treatment"),
        (*position(NESTED_YAML, "Exosomes cure cancer"), "cancer-treatment"),
    ]


NESTED_TOML = """+++
title = "Clinic"
seo = { title = "Exosome therapy cures hair loss", image = "a.png" }
[params]
description = "Exosomes cure arthritis."
keywords = ["Exosomes reverse aging"]
"summary" = '''
Our exosome facial is FDA approved.'''
[[faq]]
og.excerpt = 'Exosomes cure cancer' # a dotted key
body = \"\"\"
description = "Exosomes cure hair loss"
\"\"\"
+++
We are open on Sundays.
"""


def test_nested_toml_front_matter_copy_is_checked_at_exact_positions(tmp_path: Path) -> None:
    """Hugo's [params], inline tables, dotted and quoted keys; a key inside a multi-line string is not one."""
    page = tmp_path / "page.md"
    page.write_text(NESTED_TOML, encoding="utf-8")
    assert linted(page) == [
        (*position(NESTED_TOML, "Exosome therapy cures"), "hair-loss-treatment"),
        (*position(NESTED_TOML, "Exosomes cure arthritis"), "joint-pain-treatment"),
        (*position(NESTED_TOML, "Our exosome facial"), "fda-approved"),
        (*position(NESTED_TOML, "Exosomes cure cancer"), "cancer-treatment"),
    ]


def test_front_matter_copy_repeated_in_nested_fields_is_one_finding(tmp_path: Path) -> None:
    text = ("---\ndescription: Our exosome facial is FDA approved.\nseo:\n  description: \"Our exosome facial is"
            " FDA approved.\"\nog:\n  description: our  exosome facial is fda approved.\n  title: Exosomes cure"
            " arthritis\n---\nHello.\n")
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    assert linted(page) == [(2, 14, "fda-approved"), (*position(text, "Exosomes cure"), "joint-pain-treatment")]


def _laughs() -> str:
    """The "billion laughs": nine aliases of nine aliases ... of a list, a few hundred bytes."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]" for previous, name in zip("abcdefgh", "bcdefghi")]
    return "\n".join(lines) + "\n"


HOSTILE_FRONT_MATTER = {
    "aliases": "---\n" + _laughs() + "seo: {description: *i}\n",
    "deep flow": "---\nx: " + "[" * 100_000 + "\n",
    "deep blocks": "---\nx:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(3000)),
    "deep copy": "---\n" + "".join(" " * i + "seo:\n" for i in range(40)) + " " * 40 + "title: Exosomes cure cancer\n",
    "large": "---\n" + "k: v\n" * 100_000,
    "not yaml": "---\nx: {\n\tseo: [: \x07\n",
    "deep toml": "+++\nx = " + "[" * 100_000 + "\n",
    "open toml string": '+++\nx = """\n' + '\\"""' * 20_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FRONT_MATTER))
def test_hostile_front_matter_is_read_at_the_top_level_without_error(tmp_path: Path, name: str) -> None:
    """Front matter too deep, too large, full of aliases or not parsing is read as before, top-level fields
    only (an alias is never expanded): no traceback, no hang, the body still checked."""
    head = HOSTILE_FRONT_MATTER[name]
    fence = head[:3]
    field = 'description = "Exosomes cure arthritis."\n' if fence == "+++" else "description: Exosomes cure arthritis.\n"
    text = head[:4] + field + head[4:] + fence + "\nExosomes cure hair loss.\n"
    started = time.monotonic()
    masked = mask(text, "markdown")
    assert time.monotonic() - started < 10
    assert len(masked) == len(text) and "Exosomes cure arthritis." in masked and "cancer" not in masked
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    assert [claim for _, _, claim in linted(page)] == ["joint-pain-treatment", "hair-loss-treatment"]


@pytest.mark.parametrize("front", [
    "---\nexcerpt: plain value,\n  continued on a line\nslug: x\n---\n",
    "---\ndescription: 'it''s quoted'\n---\n",
    "---\ntitle: \"over\n  two lines\"\n---\n",
    "---\ndescription: [not, a, string]\n---\n",
    "---\ndescription: \"never closed\n---\n",
    "+++\nsummary = '''\nmulti\nline'''\n+++\n",
    "---\nseo:\n  description: >-\n    folded\n\n    lines\n  slug: x\n---\n",
    "---\nog: {title: \"a\", slug: x, description: b}\n---\n",
    "+++\n[params]\nslug = 'x'\nseo = {description = \"\"\"\nb\"\"\"}\n+++\n",
])
def test_front_matter_masking_keeps_length_and_line_breaks(front: str) -> None:
    text = front + "Body.\n"
    masked = mask(text, "markdown")
    assert len(masked) == len(text)
    assert all(masked[i] == "\n" for i, c in enumerate(text) if c == "\n")
    assert "slug" not in masked and "---" not in masked and "+++" not in masked


HTML = """<!DOCTYPE html>
<html><head><title>Clinic</title>
<meta property="og:title" content="Exosome therapy cures hair loss">
<meta property="og:description" content="Our exosome facial is FDA approved.">
<meta name="twitter:title" content="Exosomes cure arthritis">
<meta name="twitter:description" content="Exosomes reverse aging">
<meta property="og:image:alt" content="Exosomes cure cancer">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": [
  {"@type": "Question", "name": "Do exosomes cure arthritis?",
   "acceptedAnswer": {"@type": "Answer", "text": "Yes, exosomes cure hair loss \\u2014 \\"guaranteed\\"."}}]}
</script>
<script type="application/ld+json">[{"@type": "Product", "name": "ExoGlow", "sku": "Exosomes cure cancer",
 "description": "Our exosome serum regrows hair in weeks."}]</script>
<script type="application/ld+json">{"@type": "Article", "headline": "Exosomes reverse aging", broken</script>
<script>var claim = {"@type": "Product", "name": "Exosomes cure cancer"};</script>
</head><body><p>We are open on Sundays.</p></body></html>
"""


def test_html_social_meta_and_json_ld_are_checked_at_exact_positions(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(HTML, encoding="utf-8")
    found = linted(page)
    assert found == sorted(found)
    assert {(line, column) for line, column, _ in found} == {
        position(HTML, "Exosome therapy cures"), position(HTML, "Our exosome facial"),
        position(HTML, "Exosomes cure arthritis\""), position(HTML, "Exosomes reverse aging\">"),
        position(HTML, "Do exosomes cure"), position(HTML, "Yes, exosomes"),
        position(HTML, "Our exosome serum"),
    }
    assert not {line for line, _, _ in found} & {7, 15, 16}  # og:image:alt, broken JSON-LD, a plain script


REPEATED_META = """<!DOCTYPE html>
<html><head><title>Clinic</title>
<meta name="description" content="Our exosome facial is FDA approved.">
<meta property="og:description" content="Our exosome facial is FDA approved.">
<meta name="twitter:description" content="Our  exosome facial is FDA&#32;approved.">
<meta name="twitter:title" content="OUR EXOSOME FACIAL IS FDA APPROVED.">
<meta property="og:title" content="Exosomes cure hair loss">
</head><body><p>We are open on Sundays.</p></body></html>
"""


def test_a_description_repeated_in_social_meta_is_one_finding(tmp_path: Path) -> None:
    """Sites copy the meta description into og:description and twitter:description (and the same text into
    the titles): it is one piece of copy, so one finding, at its first place; other meta copy is still read."""
    page = tmp_path / "index.html"
    page.write_text(REPEATED_META, encoding="utf-8")
    found = linted(page)
    assert [(line, column) for line, column, claim in found if claim == "fda-approved"] == \
        [position(REPEATED_META, "Our exosome facial")]
    assert position(REPEATED_META, "Exosomes cure hair loss") in {(line, column) for line, column, _ in found}
    masked = mask(REPEATED_META, "html")
    assert len(masked) == len(REPEATED_META) and masked.count("FDA approved") == 1


REPEATED_TITLE = """<!DOCTYPE html>
<html><head><title>Exosomes cure  hair&#32;loss</title>
<meta property="og:title" content="Exosomes cure hair loss">
<meta name="twitter:title" content="EXOSOMES CURE HAIR LOSS">
<meta property="og:description" content="Exosomes cure arthritis.">
</head><body><p>We are open on Sundays.</p></body></html>
"""


def test_a_title_repeated_in_og_and_twitter_titles_is_one_finding(tmp_path: Path) -> None:
    """The page title copied into og:title and twitter:title is one piece of copy: one finding, at the title."""
    page = tmp_path / "index.html"
    page.write_text(REPEATED_TITLE, encoding="utf-8")
    assert linted(page) == [(*position(REPEATED_TITLE, "Exosomes cure  hair"), "hair-loss-treatment"),
                            (*position(REPEATED_TITLE, "Exosomes cure arthritis"), "joint-pain-treatment")]


def test_a_title_after_the_social_title_it_repeats_is_not_checked_again(tmp_path: Path) -> None:
    text = ('<html><head><meta property="og:title" content="Exosomes cure hair loss">\n'
            "<title>Exosomes cure hair loss</title></head><body><p>Exosomes cure hair loss.</p></body></html>\n")
    page = tmp_path / "index.html"
    page.write_text(text, encoding="utf-8")
    assert linted(page) == [(*position(text, "Exosomes"), "hair-loss-treatment"),  # og:title, then the body
                            (*position(text, "Exosomes cure hair loss."), "hair-loss-treatment")]
    masked = mask(text, "html")
    assert len(masked) == len(text) and "#" not in masked  # no heading marker left without its title


def test_json_ld_escapes_are_decoded_in_place() -> None:
    text = '<script type="application/ld+json">{"@type": "Product", "description": "Caf\\u00e9 \\"x\\""}</script>'
    masked = mask(text, "html")
    assert len(masked) == len(text)
    assert 'Café "x"' in re.sub("\u200b| +", lambda m: " " if m.group().startswith(" ") else "", masked)
    assert "@type" not in masked


@pytest.mark.parametrize("script", ["{", "[[[[" * 5000, '{"@type": "Product", "name": 1}', "null", '"just text"',
                                    '{"@type": ["schema:Product"], "name": "x"} trailing'])
def test_odd_json_ld_is_skipped_without_error(script: str) -> None:
    text = f'<script type="application/ld+json">{script}</script><p>Hi.</p>'
    masked = mask(text, "html")
    assert len(masked) == len(text) and "Hi." in masked and "@type" not in masked


MDX = """---
title: Exosomes cure arthritis
---
import { Hero } from "../components/Hero"
export const meta = { claim: "Exosomes cure cancer" }

<Hero
  title="Exosomes reverse aging"
/>

Our exosome serum regrows hair in weeks.

{/* Exosomes cure cancer */}

```jsx
<Hero />

```
"""


def test_mdx_is_read_as_markdown_without_esm_and_jsx(tmp_path: Path) -> None:
    page = tmp_path / "page.mdx"
    page.write_text(MDX, encoding="utf-8")
    assert linted(page) == [(2, 8, "joint-pain-treatment"),
                            (*position(MDX, "Our exosome serum"), "hair-loss-treatment")]


def test_mdx_is_found_by_default(tmp_path: Path) -> None:
    (tmp_path / "page.mdx").write_text("Our exosome serum regrows hair in weeks.\n", encoding="utf-8")
    result = run_cli("lint", str(tmp_path), "--format", "json", "--no-config")
    assert [f["path"].endswith("page.mdx") for f in json.loads(result.stdout)["findings"]] == [True]


def test_a_spec_table_and_a_definition_list_lend_their_labels_to_their_values(tmp_path: Path) -> None:
    # an HTML table's label cell and a <dt> are lines of their own; the value after each takes the label's
    # verb, as "Ideal for: early thinning" does in text; a row with another label claims nothing
    page = tmp_path / "spec.html"
    page.write_text(
        "<html><body><h1>Exosome Scalp Therapy</h1><p>Our exosome therapy uses donor vesicles.</p>\n"
        "<table>\n<tr>\n<th>Sessions</th>\n<td>Three, four weeks apart</td>\n</tr>\n"
        "<tr>\n<th>Ideal for</th>\n<td>Early thinning</td>\n</tr>\n</table>\n"
        "<dl><dt>Best for</dt><dd>postpartum shedding</dd></dl></body></html>\n", encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    assert linted(page) == [(*position(text, "Early thinning"), "hair-loss-treatment"),
                            (*position(text, "postpartum shedding"), "hair-loss-treatment")]
