"""Linting in CI: Markdown and HTML with exact positions, every format, config, suppressions, baseline,
.gitignore and --jobs — through the real command."""

import json
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli

SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"  # vendored: schemas/README.md


def out(result):
    return result.stdout.decode("utf-8")


def err(result):
    return result.stderr.decode("utf-8")


def lint_json(*args, cwd=None):
    result = run_cli("lint", *args, "--format", "json", cwd=cwd)
    assert result.returncode in (0, 1), err(result)
    return json.loads(out(result))


def position(text, needle):
    """1-based line and column of `needle` in `text`."""
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


MARKDOWN = textwrap.dedent("""\
    ---
    keywords: Exosomes cure hair loss
    ---
    # Our clinic

    Visit [our page](https://example.com/exosomes-cure-hair-loss) today.

    ```
    Exosomes cure hair loss.
    ```

        Exosomes cure hair loss.

    Use `exosomes cure hair loss` as a search term. <!-- Exosomes cure hair loss. -->

    <div>
    Exosomes cure hair loss.
    </div>

    Our **exosome** serum regrows hair in weeks.
    """)


def test_markdown_reports_only_visible_prose_at_exact_positions(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(MARKDOWN, encoding="utf-8")
    findings = lint_json(str(page))["findings"]
    assert [(f["line"], f["column"], f["claim_id"]) for f in findings] == [
        (*position(MARKDOWN, "Our **exosome** serum"), "hair-loss-treatment")]
    assert findings[0]["sentence"] == "Our **exosome** serum regrows hair in weeks."


HTML = textwrap.dedent("""\
    <!DOCTYPE html>
    <html><head><title>Exosome facials | Glow</title>
    <meta name="description" content="Our exosome facial is FDA approved.">
    <script>var claim = "Exosomes cure hair loss.";</script>
    <style>.x:after { content: "Exosomes cure hair loss." }</style>
    </head><body>
    <h2>Exosome hair therapy</h2>
    <p>Our exosome serum regrows hair&nbsp;in weeks.</p>
    <pre>Exosomes cure hair loss.</pre>
    <img src="a.png" alt="Exosomes reverse aging">
    </body></html>
    """)


def test_html_skips_scripts_and_code_and_keeps_title_meta_alt(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(HTML, encoding="utf-8")
    findings = lint_json(str(page))["findings"]
    got = {(f["line"], f["column"], f["claim_id"]) for f in findings}
    assert (*position(HTML, "Our exosome facial is FDA approved."), "fda-approved") in got
    assert (*position(HTML, "Our exosome serum regrows hair"), "hair-loss-treatment") in got
    assert (*position(HTML, "Exosomes reverse aging"), "regeneration-claim") in got
    lines = {f["line"] for f in findings}
    assert not lines & {4, 5, 9}  # script, style, pre


def test_stdin_filename_picks_the_reader():
    text = "```\nExosomes cure hair loss.\n```\nExosomes cure hair loss.\n"
    result = run_cli("--stdin-filename", "docs/page.md", "--format", "json", stdin=text)
    data = json.loads(out(result))
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("docs/page.md", 4)]


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "jsonl", "sarif", "github", "junit", "csv"])
def test_every_format_from_the_command_line(tmp_path, fmt):
    page = tmp_path / "a.md"
    page.write_text("# Exosomes\n\nOur exosome facial is FDA approved.\n", encoding="utf-8")
    result = run_cli("lint", str(page), "--format", fmt)
    assert result.returncode == 1, err(result)
    assert "fda-approved" in out(result)
    target = tmp_path / f"report.{fmt}"
    written = run_cli("lint", str(page), "--format", fmt, "--output", str(target))
    assert written.returncode == 1 and out(written) == ""
    assert target.read_text(encoding="utf-8") == out(result)


def test_sarif_from_the_command_line_is_valid(tmp_path):
    import jsonschema  # the test extra brings it

    page = tmp_path / "a.md"
    page.write_text("<!-- exocheck-disable-next-line -->\nExosomes cure hair loss. No side effects!\n", encoding="utf-8")
    document = json.loads(out(run_cli("lint", str(page), "--format", "sarif")))
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    rule_ids = {r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert {"hair-loss-treatment", "no-side-effects", "suppression-without-reason"} <= rule_ids


def test_exit_codes(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    assert run_cli("lint", str(page)).returncode == 1
    assert run_cli("lint", str(page), "--exit-zero").returncode == 0
    assert run_cli("lint", str(page), str(tmp_path / "missing.md"), "--exit-zero").returncode == 2
    many = tmp_path / "many.txt"
    many.write_text("Exosomes cure hair loss.\n\n" * 300, encoding="utf-8")  # 300 findings: no wrap-around
    assert run_cli("lint", str(many)).returncode == 1


def test_config_in_pyproject_is_found_by_walking_up_and_flags_win(tmp_path):
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "site"

        [tool.exocheck]
        fail-on = "warning"
        format = "concise"
        disable = ["no-side-effects"]
        exclude = ["drafts/"]

        [[tool.exocheck.overrides]]
        paths = ["site/blog/**"]          # relative to the directory of this file
        disable = ["hair-loss-treatment"]
        """), encoding="utf-8")
    site = tmp_path / "site"
    (site / "drafts").mkdir(parents=True)
    (site / "blog").mkdir()
    (site / "index.md").write_text("Exosomes may help regrow hair. They have no side effects.\n", encoding="utf-8")
    (site / "drafts" / "d.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    (site / "blog" / "b.md").write_text("Exosomes cure hair loss. They are FDA approved.\n", encoding="utf-8")
    result = run_cli("lint", str(site))
    assert result.returncode == 1  # a warning-level finding fails with fail-on = "warning"
    lines = out(result).splitlines()
    assert all(": " in line and "[" in line for line in lines)  # concise, from the config
    assert not any("drafts" in line for line in lines)
    assert not any("no-side-effects" in line for line in lines)
    assert not any("b.md" in line and "hair-loss-treatment" in line for line in lines)
    assert any("b.md" in line and "fda-approved" in line for line in lines)
    flags = run_cli("lint", str(site), "--format", "json", "--fail-on", "error")
    assert json.loads(out(flags))["findings"] and flags.returncode == 1  # fda-approved is an error
    shown = out(run_cli("config", str(site)))
    assert 'fail-on = "warning"' in shown and f"{tmp_path / 'pyproject.toml'} [tool.exocheck]" in shown
    assert 'format = "concise"' in shown


def test_exocheck_toml_and_bad_config_values(tmp_path):
    (tmp_path / ".exocheck.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    page = tmp_path / "a.md"
    page.write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    result = run_cli("lint", str(page))
    assert result.returncode == 2 and ".exocheck.toml" in err(result) and "fail-on" in err(result)
    assert run_cli("lint", str(page), "--no-config").returncode == 1


SUPPRESSED = textwrap.dedent("""\
    # Exosome facial

    <!-- exocheck-disable-next-line fda-approved -- reviewed by legal, ticket 12 -->
    Our exosome facial is FDA approved.

    <!-- exocheck-disable-next-line fda-approved -->
    Our exosome serum is FDA approved.

    <!-- exocheck-disable hair-loss-treatment -- quoted from a study title -->
    Exosomes cure hair loss.
    Exosomes regrow hair.
    <!-- exocheck-enable -->
    Exosomes cure hair loss.

    <!-- exocheck-disable-next-line better-than -- nothing here to suppress -->
    Book a consultation today.
    """)


def test_suppressions_need_reasons_and_unused_ones_are_reported(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(SUPPRESSED, encoding="utf-8")
    data = lint_json(str(page))
    found = [(f["line"], f["claim_id"]) for f in data["findings"]]
    assert (4, "fda-approved") not in found  # suppressed with a reason
    assert (7, "fda-approved") in found  # no reason: not suppressed
    assert not any(line in (10, 11) for line, _ in found)  # inside the disable ... enable region
    assert (13, "hair-loss-treatment") in found  # after exocheck-enable
    notices = {(n["line"], n["code"]) for n in data["notices"]}
    assert notices == {(6, "suppression-without-reason"), (15, "unused-suppression")}


def test_plain_text_suppression_on_its_own_line(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("exocheck-disable-next-line -- approved wording\nExosomes cure hair loss.\nExosomes cure hair loss.\n",
                    encoding="utf-8")
    assert [f["line"] for f in lint_json(str(page))["findings"]] == [3]


def test_a_plain_text_directive_is_never_checked_as_copy(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("exocheck-disable-next-line hair-loss-treatment\nExosomes cure hair loss.\n", encoding="utf-8")
    data = lint_json(str(page))
    assert [(f["line"], f["claim_id"]) for f in data["findings"]] == [(2, "hair-loss-treatment")]
    assert [(n["line"], n["code"]) for n in data["notices"]] == [(1, "suppression-without-reason")]


def test_a_suppression_naming_an_unknown_id_is_reported_as_such(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("<!-- exocheck-disable-next-line hair-loss-treatmnet -- typo -->\nExosomes cure hair loss.\n",
                    encoding="utf-8")
    data = lint_json(str(page))
    assert [f["claim_id"] for f in data["findings"]] == ["hair-loss-treatment"]
    [notice] = data["notices"]
    assert notice["code"] == "unknown-claim-id" and "hair-loss-treatmnet" in notice["message"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "junit"])
def test_every_format_carries_suppression_notices(tmp_path, fmt):
    page = tmp_path / "page.md"
    page.write_text("<!-- exocheck-disable-next-line cancer-treatment -- reviewed -->\nBook today.\n", encoding="utf-8")
    result = run_cli("lint", str(page), "--format", fmt, "--fail-on", "warning")
    assert result.returncode == 1
    assert "unused-suppression" in out(result)


def test_baseline_survives_line_shifts_and_reports_only_new_findings(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Exosomes cure hair loss.\n\nOur exosome facial is FDA approved.\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert run_cli("lint", str(page), "--write-baseline", str(baseline)).returncode == 0  # adopting is green
    page.write_text("# New heading\n\nIntro.\n\nExosomes cure hair loss.\n\nOur exosome facial is FDA approved.\n",
                    encoding="utf-8")
    clean = run_cli("lint", str(page), "--baseline", str(baseline), "--format", "json")
    assert clean.returncode == 0 and json.loads(out(clean))["findings"] == []
    with page.open("a", encoding="utf-8") as f:
        f.write("\nExosomes have no side effects.\n")
    new = run_cli("lint", str(page), "--baseline", str(baseline), "--format", "json")
    assert new.returncode == 1
    assert [f["claim_id"] for f in json.loads(out(new))["findings"]] == ["no-side-effects"]
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = run_cli("lint", str(page), "--baseline", str(broken))
    assert result.returncode == 2 and "broken.json" in err(result)


def test_gitignore_exclude_and_default_extensions(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n*.tmp.md\n!keep.tmp.md\n", encoding="utf-8")
    for name in ("build/a.md", "x.tmp.md", "keep.tmp.md", "ok.md", "ok.html", "ok.txt", "script.py", "vendor/v.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    paths = {Path(f["path"]).relative_to(tmp_path).as_posix()
             for f in lint_json(str(tmp_path), "--exclude", "vendor/")["findings"]}
    assert paths == {"keep.tmp.md", "ok.md", "ok.html", "ok.txt"}


def test_jobs_do_not_change_the_output(tmp_path):
    for i in range(24):
        (tmp_path / f"p{i:02}.md").write_text(
            f"# Page {i}\n\nExosomes cure hair loss.\n\nOur exosome facial is FDA approved {i} times.\n", encoding="utf-8")
    one = run_cli("lint", str(tmp_path), "--format", "json", "--jobs", "1")
    two = run_cli("lint", str(tmp_path), "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert out(one) == out(two)
    assert json.loads(out(one))["summary"]["files"] == 24


def test_html_report_from_the_command_line(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("# Exosomes\n\nOur exosome facial is FDA approved. <b>x</b>\n", encoding="utf-8")
    report = tmp_path / "report.html"
    result = run_cli("lint", str(page), "--format", "html", "--output", str(report))
    assert result.returncode == 1 and out(result) == ""
    html = report.read_text(encoding="utf-8")
    assert "fda-approved" in html and "MISLEADING" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    single = run_cli("Exosomes cure hair loss.", "--format", "html")
    assert "hair-loss-treatment" in out(single) and "<script src" not in out(single)


def test_survey_csv_loads_into_rows_per_file_topic_and_verdict(tmp_path):
    import csv
    import io

    (tmp_path / "a.md").write_text("Exosomes cure hair loss. Exosomes do not cure autism.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Exosomes cure hair loss.\nExosomes regrow hair.\n", encoding="utf-8")
    (tmp_path / "c.html").write_text("<p>Book a consultation.</p>", encoding="utf-8")
    result = run_cli("survey", str(tmp_path), "--format", "csv")
    assert result.returncode == 0, err(result)
    rows = list(csv.DictReader(io.StringIO(out(result))))
    assert list(rows[0]) == ["path", "topic", "verdict", "count"]
    table = {(Path(r["path"]).name, r["topic"], r["verdict"]): int(r["count"]) for r in rows}
    assert table == {("a.md", "autism", "accurate"): 1, ("a.md", "hair-loss", "unsupported"): 1,
                     ("b.txt", "hair-loss", "unsupported"): 2, ("c.html", "", ""): 0}
    data = json.loads(out(run_cli("survey", str(tmp_path), "--format", "json")))
    assert data["summary"]["findings"] == 4 and data["summary"]["files"] == 3
