"""Conventions users bring from ruff, eslint and markdownlint (issue 14, section 3): same-line and file-wide
suppressions, unknown claim ids refused, --config, `exocheck config FILE`, FORCE_COLOR — through the real
command."""

import json

from conftest import run_cli


def out(result):
    return result.stdout.decode("utf-8")


def err(result):
    return result.stderr.decode("utf-8")


def lint_json(*args, cwd=None, env=None):
    result = run_cli("lint", *args, "--format", "json", cwd=cwd, env=env)
    assert result.returncode in (0, 1), err(result)
    return json.loads(out(result))


def findings(data):
    return [(f["line"], f["claim_id"]) for f in data["findings"]]


def notices(data):
    return [(n["line"], n["code"]) for n in data["notices"]]


def test_disable_line_silences_its_own_line_only(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Exosomes cure hair loss. <!-- exocheck-disable-line hair-loss-treatment -- reviewed -->\n\n"
                    "Exosomes cure hair loss.\n", encoding="utf-8")
    data = lint_json(str(page))
    assert findings(data) == [(3, "hair-loss-treatment")]
    assert notices(data) == []


def test_disable_line_in_html(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Exosomes cure hair loss. <!-- exocheck-disable-line -- quoted from a complaint --></p>\n"
                    "<p>Exosomes cure hair loss.</p>\n", encoding="utf-8")
    assert findings(lint_json(str(page))) == [(2, "hair-loss-treatment")]


def test_disable_line_ends_a_plain_text_line_and_is_not_copy(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Exosomes cure hair loss. # exocheck-disable-line hair-loss-treatment -- reviewed\n"
                    "Exosomes cure hair loss.\n", encoding="utf-8")
    data = lint_json(str(page))
    assert findings(data) == [(2, "hair-loss-treatment")]
    assert notices(data) == []


def test_disable_line_without_a_reason_or_unused_is_reported(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Exosomes cure hair loss. <!-- exocheck-disable-line hair-loss-treatment -->\n\n"
                    "Book a visit. <!-- exocheck-disable-line -- nothing to silence -->\n", encoding="utf-8")
    data = lint_json(str(page))
    assert findings(data) == [(1, "hair-loss-treatment")]
    assert notices(data) == [(1, "suppression-without-reason"), (3, "unused-suppression")]


def test_disable_file_covers_the_whole_file_whatever_its_place(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Exosomes cure hair loss.\n\n<!-- exocheck-enable -->\n\n"
                    "<!-- exocheck-disable-file hair-loss-treatment -- a page quoting complaints -->\n\n"
                    "Exosomes cure hair loss.\n", encoding="utf-8")
    data = lint_json(str(page))
    assert findings(data) == []
    assert notices(data) == []


def test_disable_file_needs_a_reason_and_unused_ones_are_reported(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("<!-- exocheck-disable-file -->\n<!-- exocheck-disable-file fda-approved -- reviewed -->\n\n"
                    "Exosomes cure hair loss.\n", encoding="utf-8")
    data = lint_json(str(page))
    assert findings(data) == [(4, "hair-loss-treatment")]
    assert notices(data) == [(1, "suppression-without-reason"), (2, "unused-suppression")]


def test_disable_file_in_plain_text(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Exosomes cure hair loss.\nexocheck-disable-file -- transcript of a complaint\n", encoding="utf-8")
    data = lint_json(str(page))
    assert findings(data) == [] and notices(data) == []
