"""The surfaces teams wire into CI (issue 14): the library and the command run one pipeline, and what a
CI run reports, fails on and annotates. Everything about the command runs the real command."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import exocheck

from conftest import HERE, run_cli

PAGES = sorted((HERE / "fixtures" / "ci").iterdir())
PACKAGE = HERE.parent / "exocheck"


# 1. One pipeline ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_check_file_equals_lint(page: Path) -> None:
    """`check_file` and `exocheck lint` give the same JSON document for every fixture: the same reader by
    kind (no claim in <script>, code or front matter), suppressions honoured, exact positions."""
    command = run_cli("lint", str(page), "--format", "json", "--no-config", "--show-accurate")
    report = exocheck.check_file(page)
    assert report.to_dict() == json.loads(command.stdout)
    assert json.loads(report.to_json()) == report.to_dict()


def test_check_file_reads_markup_and_suppressions() -> None:
    """What check_file once got wrong reading every file as text: markup checked, positions 1:1,
    suppressions ignored, claims inside <script> reported."""
    html = exocheck.check_file(HERE / "fixtures" / "ci" / "page.html")
    assert all("var s" not in f.sentence for f in html.findings)  # the <script>
    assert not [f for f in html.findings if f.claim_id == "hair-loss-treatment"]  # suppressed
    assert {(f.claim_id, f.line) for f in html.findings} >= {("no-side-effects", 3)}
    markdown = exocheck.check_file(HERE / "fixtures" / "ci" / "page.md")
    assert "fda-approved" not in {f.claim_id for f in markdown.findings}  # suppressed with a reason
    assert (6, 1) in {(f.line, f.column) for f in markdown.findings}
    assert not [f for f in markdown.findings if "cancer" in f.sentence]  # a code span
    assert [f.claim_id for f in exocheck.check_file(HERE / "fixtures" / "ci" / "page.md",
                                                    disable=["hair-loss-treatment"]).findings] == ["no-fda-approved-products"]


def test_check_file_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(exocheck.InputError):
        exocheck.check_file(tmp_path / "missing.md")


def test_internal_modules_do_not_import_the_public_face() -> None:
    """Modules inside the package import what they need from the module that defines it, never from
    `exocheck/__init__.py` (which imports them): only submodules may be named in `from . import`."""
    offenders = []
    for module in PACKAGE.rglob("*.py"):
        if module.name == "__init__.py":
            continue
        package = module.parent
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level and node.module is None:
                base = package
                for _ in range(node.level - 1):
                    base = base.parent
                offenders += [f"{module.name}: {alias.name}" for alias in node.names
                              if not ((base / f"{alias.name}.py").exists() or (base / alias.name).is_dir())]
    assert offenders == []


# 2. Accurate findings are not CI events ---------------------------------------------------------------

ACCURATE = HERE / "fixtures" / "ci" / "accurate.md"
CLAIM = "no-fda-approved-products"


@pytest.mark.parametrize("fmt", ["github", "sarif", "junit"])
def test_ci_formats_leave_accurate_findings_out(fmt: str) -> None:
    """A correct statement is no annotation, SARIF result or JUnit case, and --fail-on info passes on it;
    --show-accurate brings it back, still without failing the run."""
    hidden = run_cli("lint", str(ACCURATE), "--format", fmt, "--fail-on", "info", "--no-config")
    assert hidden.returncode == 0, hidden.stderr
    assert CLAIM.encode() not in hidden.stdout
    shown = run_cli("lint", str(ACCURATE), "--format", fmt, "--fail-on", "info", "--no-config", "--show-accurate")
    assert shown.returncode == 0, shown.stderr
    assert CLAIM.encode() in shown.stdout
    if fmt == "junit":
        assert b"<failure" not in shown.stdout  # a passing case


@pytest.mark.parametrize("fmt", ["text", "concise", "html", "json", "jsonl", "csv"])
def test_people_and_data_formats_show_accurate_findings(fmt: str) -> None:
    result = run_cli("lint", str(ACCURATE), "--format", fmt, "--fail-on", "info", "--no-config")
    assert result.returncode == 0, result.stderr
    assert CLAIM.encode() in result.stdout
    hidden = run_cli("lint", str(ACCURATE), "--format", fmt, "--no-config", "--hide-accurate")
    assert CLAIM.encode() not in hidden.stdout


def test_show_accurate_in_the_configuration(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(ACCURATE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".exocheck.toml").write_text('format = "github"\nshow-accurate = true\n', encoding="utf-8")
    assert CLAIM.encode() in run_cli("lint", str(page)).stdout
    assert b"show-accurate = true" in run_cli("config", str(tmp_path)).stdout
    (tmp_path / ".exocheck.toml").write_text('show-accurate = "yes"\n', encoding="utf-8")
    bad = run_cli("lint", str(page))
    assert bad.returncode == 2 and b"expected true or false" in bad.stderr


def test_an_info_claim_that_is_not_accurate_still_fails_on_info() -> None:
    hedged = "Exosome facials may work better than Botox."  # unsupported, hedged to info
    assert run_cli(hedged, "--fail-on", "info", "--format", "github").returncode == 1
    assert run_cli(hedged, "--fail-on", "warning").returncode == 0


# 3. One registry of formats; levels defined once --------------------------------------------------------

def test_one_registry_of_formats() -> None:
    from exocheck import cli, config
    from exocheck.formats import registry
    from exocheck.model import FAIL_ON, SEVERITIES

    assert [f.value for f in cli.OutputFormat] == list(registry.NAMES) == list(config.FORMATS)
    assert [f.value for f in cli.FailOn] == list(FAIL_ON) == [*SEVERITIES, "never"]
    assert config.FAIL_ON is FAIL_ON
    for fmt in registry.FORMATS.values():
        assert hasattr(fmt.writer_module(), "Writer"), fmt.name
        assert fmt.extension.startswith(".")
    helped = run_cli("lint", "--help").stdout.decode()
    assert all(name in helped for name in registry.NAMES)


def test_configuration_rejects_an_unknown_format(tmp_path: Path) -> None:
    (tmp_path / ".exocheck.toml").write_text('format = "xml"\n', encoding="utf-8")
    result = run_cli("config", str(tmp_path))
    assert result.returncode == 2
    assert b"jsonl, jsonl-compact, sarif, github, junit, csv" in result.stderr


# 4. --format github: log lines and the step summary ---------------------------------------------------------

def test_github_prints_a_log_line_per_finding_and_a_step_summary(tmp_path: Path) -> None:
    """GitHub shows ten annotations of a type per step: every finding also gets a plain log line, and the
    job summary (appended to $GITHUB_STEP_SUMMARY, never replaced) lists them all."""
    pages = [HERE / "fixtures" / "ci" / name for name in ("page.md", "page.html")]
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = run_cli("lint", *map(str, pages), "--format", "github", "--no-config",
                     env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1, result.stderr
    lines = result.stdout.decode().splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    log_lines = [line for line in lines if not line.startswith("::")]
    assert len(annotations) == len(log_lines) == 4
    assert f"{pages[1]}:3:4: error [no-side-effects] misleading: " in "\n".join(log_lines)
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## exocheck: 4 findings in 2 files\n")
    assert "| misleading | error | 1 |" in written and "| unsupported | error | 3 |" in written
    assert f"| {pages[0]}:6:1 | error | hair-loss-treatment | unsupported: " in written
    without = run_cli("lint", *map(str, pages), "--format", "github", "--no-config")
    assert without.stdout == result.stdout  # the same log either way


def test_github_step_summary_cells_cannot_break_the_table() -> None:
    from exocheck.formats import github

    report = exocheck.check("Exosomes cure hair loss.", path="a|b_<script>`x`.md")
    writer = github.Writer(exocheck.load_kb())
    writer.render(report)
    row = writer.step_summary(report).rstrip("\n").splitlines()[-1]
    assert row == "| a\\|b\\_&lt;script&gt;\\`x\\`.md:1:1 | error | hair-loss-treatment | unsupported: " \
        "An exosome product treats hair loss or regrows hair. |"


def test_github_log_line_is_never_a_workflow_command(tmp_path: Path) -> None:
    page = tmp_path / "::warning::x.md"
    page.write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    result = run_cli("lint", page.name, "--format", "github", "--no-config", cwd=tmp_path)
    assert result.stdout.decode().splitlines()[1].startswith("./::warning::x.md:1:1: error")


# 5. JUnit and baselines ---------------------------------------------------------------------------------

def _junit(*args: str) -> tuple[int, ET.Element]:
    result = run_cli("lint", *args, "--format", "junit", "--no-config")
    return result.returncode, ET.fromstring(result.stdout)


def test_junit_fails_only_at_fail_on_and_lists_every_checked_file(tmp_path: Path) -> None:
    clean = tmp_path / "clean.md"
    clean.write_text("Nothing to see here.\n", encoding="utf-8")
    hedged = tmp_path / "hedged.md"
    hedged.write_text("Exosomes may help regrow hair.\n", encoding="utf-8")  # unsupported, warning
    code, root = _junit(str(clean), str(hedged), str(ACCURATE))
    assert code == 0
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {str(clean), str(hedged), str(ACCURATE)}
    assert [case.get("name") for case in suites[str(clean)]] == ["no findings"]
    assert root.get("failures") == "0"  # a warning passes at the default --fail-on error
    assert suites[str(hedged)].find("testcase/system-out") is not None
    code, root = _junit(str(clean), str(hedged), "--fail-on", "warning")
    assert code == 1 and root.get("failures") == "1"
    assert root.find("testsuite/testcase/failure").get("type") == "unsupported"


def test_junit_lists_every_file_also_when_the_report_is_collected_whole(tmp_path: Path) -> None:
    clean = tmp_path / "clean.md"
    clean.write_text("Nothing to see here.\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run_cli("lint", str(clean), "--write-baseline", str(baseline), "--no-config")
    code, root = _junit(str(clean), "--baseline", str(baseline))
    assert (code, [s.get("name") for s in root.iter("testsuite")]) == (0, [str(clean)])


def test_write_baseline_is_green_and_baselines_notices(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- exocheck-disable-next-line -->\nExosomes cure hair loss.\n\nOur exosome facial is FDA "
                    "approved.\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    written = run_cli("lint", str(page), "--write-baseline", str(baseline), "--fail-on", "warning", "--no-config")
    assert written.returncode == 0, written.stderr
    assert f"wrote 2 finding(s) and 1 notice(s) to the baseline {baseline}".encode() in written.stderr
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert [n["code"] for n in recorded["notices"]] == ["suppression-without-reason"]
    adopted = run_cli("lint", str(page), "--baseline", str(baseline), "--fail-on", "warning", "--no-config",
                      "--format", "json")
    assert adopted.returncode == 0, adopted.stdout
    assert json.loads(adopted.stdout)["notices"] == []
    assert b"3 finding(s) or notice(s) recorded" in adopted.stderr


# 6. Conventions: typos, --version, no files ------------------------------------------------------------------

@pytest.mark.parametrize("typo, command", [("survy", "survey"), ("lnit", "lint"), ("expain", "explain")])
def test_a_mistyped_command_is_a_usage_error(typo: str, command: str) -> None:
    result = run_cli(typo)
    assert result.returncode == 2 and result.stdout == b""
    assert f"did you mean '{command}'?".encode() in result.stderr
    assert run_cli("check", typo).returncode == 0  # the word itself can still be checked


@pytest.mark.parametrize("text", ["hello", "Exosomes cure hair loss.", "exosomes"])
def test_other_text_is_still_checked(text: str) -> None:
    assert b"did you mean" not in run_cli(text).stderr


def test_version_is_in_help_and_has_a_short_form() -> None:
    helped = run_cli("--help").stdout.decode()
    assert "-V, --version" in helped
    assert run_cli("-V").stdout == run_cli("--version").stdout
    assert run_cli("-V").stdout.startswith(f"exocheck {exocheck.__version__} (knowledge base ".encode())


def test_no_files_matched_is_a_warning_and_an_error_under_strict(tmp_path: Path) -> None:
    (tmp_path / "notes.rst").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    warned = run_cli("lint", str(tmp_path), "--no-config")
    assert warned.returncode == 0 and b"warning: no files to check in" in warned.stderr
    strict = run_cli("lint", str(tmp_path), "--no-config", "--strict")
    assert strict.returncode == 2 and b"error: no files to check in" in strict.stderr
    page = tmp_path / "page.md"
    page.write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    excluded = run_cli("lint", str(page), "--exclude", "*.md", "--no-config", "--strict")
    assert excluded.returncode == 2 and b"exclude: *.md" in excluded.stderr
    assert b"no files" not in run_cli("lint", str(page), "--no-config").stderr


# 7. The GitHub Action and the pre-commit hook ---------------------------------------------------------------

def _action_lint_step() -> dict:
    import yaml

    action = yaml.safe_load((HERE.parent / "action.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in action["runs"]["steps"] if s.get("name") == "Lint"]
    return step


def _run_action(tmp_path: Path, site: Path, **inputs: str) -> subprocess.CompletedProcess:
    """The action's Lint step as the runner runs it: its script under bash, its inputs in its environment,
    and `exocheck` on PATH (the source tree under test)."""
    step = _action_lint_step()
    defaults = {"paths": ".", "fail-on": "error", "format": "github", "output": "", "args": ""}
    values = {**defaults, **inputs}
    env = {name: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], template)
           for name, template in step["env"].items()}
    shim = tmp_path / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "exocheck").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m exocheck "$@"\n', encoding="utf-8")
    (shim / "exocheck").chmod(0o755)
    full_env = {**os.environ, **env, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1",
                "PYTHONPATH": str(HERE.parent)}
    return subprocess.run(["bash", "-c", step["run"]], check=False, cwd=site, env=full_env, capture_output=True,
                          timeout=120)


@pytest.fixture
def action_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "our pages").mkdir(parents=True)
    (site / "our pages" / "hair loss.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    (site / "vendor" / "deep").mkdir(parents=True)
    (site / "vendor" / "theirs.md").write_text("Exosomes cure knee pain.\n", encoding="utf-8")
    (site / "vendor" / "deep" / "theirs.md").write_text("Exosomes cure knee pain.\n", encoding="utf-8")
    (site / "*.md").write_text("Our exosome facial has no side effects.\n", encoding="utf-8")
    return site


def test_action_passes_paths_and_args_without_splitting_or_globbing(tmp_path: Path, action_site: Path) -> None:
    result = _run_action(tmp_path, action_site, paths="our pages/hair loss.md\n\n  vendor  \n",
                         args="--exclude\nvendor/**\n--no-config", format="json")
    assert result.returncode == 1, result.stderr
    paths = [f["path"] for f in json.loads(result.stdout)["findings"]]
    assert paths == ["our pages/hair loss.md"]  # a name with spaces, and nothing from vendor/ at any depth
    literal = _run_action(tmp_path, action_site, paths="*.md", args="--no-config", format="json")
    assert [f["path"] for f in json.loads(literal.stdout)["findings"]] == ["*.md"]  # the file named '*.md'


def test_action_writes_a_sarif_report_for_upload(tmp_path: Path, action_site: Path) -> None:
    result = _run_action(tmp_path, action_site, paths="our pages", format="sarif", output="exocheck.sarif",
                         args="--no-config")
    assert result.returncode == 1 and result.stdout == b""
    sarif = json.loads((action_site / "exocheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 1


def test_action_defaults_lint_the_checkout_as_annotations(tmp_path: Path, action_site: Path) -> None:
    result = _run_action(tmp_path, action_site, args="--no-config\n--fail-on=never")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(b"::error file=") == 4


def test_pre_commit_hook_leaves_accurate_statements_out(tmp_path: Path) -> None:
    import shlex

    import yaml

    (hook,) = yaml.safe_load((HERE.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    command = shlex.split(hook["entry"])
    assert command[0] == "exocheck"
    result = run_cli(*command[1:], str(ACCURATE), "--fail-on", "info", "--no-config")
    assert result.returncode == 0 and CLAIM.encode() not in result.stdout
    shown = run_cli(*command[1:], "--show-accurate", str(ACCURATE), "--no-config")  # a user's args come after
    assert CLAIM.encode() in shown.stdout
