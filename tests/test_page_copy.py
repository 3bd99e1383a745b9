"""The copy pages publish outside their body: front matter titles and descriptions, social meta tags, JSON-LD
structured data, and MDX; checked through `exocheck lint` and `check_file` at exact positions."""

import json
import re
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


def test_toml_front_matter_before_its_first_table(tmp_path: Path) -> None:
    text = '+++\ntitle = "Exosomes cure arthritis"\n[params]\nexcerpt = "Exosomes cure hair loss."\n+++\nHello.\n'
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    assert linted(page) == [(2, 10, "joint-pain-treatment")]


@pytest.mark.parametrize("front", [
    "---\nexcerpt: plain value,\n  continued on a line\nslug: x\n---\n",
    "---\ndescription: 'it''s quoted'\n---\n",
    "---\ntitle: \"over\n  two lines\"\n---\n",
    "---\ndescription: [not, a, string]\n---\n",
    "---\ndescription: \"never closed\n---\n",
    "+++\nsummary = '''\nmulti\nline'''\n+++\n",
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
