"""The `exocheck` command end to end, as users run it (a real subprocess, real exit codes)."""

import json
from pathlib import Path

from conftest import MINI_KB, run_cli


def out(result):
    return result.stdout.decode("utf-8")


def err(result):
    return result.stderr.decode("utf-8")


def test_single_claim_is_unsupported_with_two_citations():
    result = run_cli("exosomes cure hair loss")
    assert result.returncode == 1, err(result)
    text = out(result)
    assert "unsupported" in text
    assert "[1] " in text and "[2] " in text
    assert "https://" in text
    assert "Instead, say:" in text


def test_accurate_statement_exits_zero():
    result = run_cli("There are no FDA-approved exosome products.")
    assert result.returncode == 0, err(result)
    assert "accurate" in out(result)


def test_stdin_with_two_misleading_claims():
    result = run_cli(stdin="Our exosome facial is FDA approved and has no side effects.\n")
    assert result.returncode == 1, err(result)
    assert out(result).count(": misleading (error)") == 2


def test_dash_reads_stdin_and_json_contract():
    result = run_cli("-", "--format", "json", stdin="Exosomes regrow hair.")
    assert result.returncode == 1
    data = json.loads(out(result))
    assert set(data) == {"exocheck", "findings", "notices", "summary"}
    assert set(data["exocheck"]["kb"]) == {"version", "sha256"}
    finding = data["findings"][0]
    assert set(finding) == {
        "path", "start", "end", "line", "column", "end_line", "end_column", "sentence", "verdict", "severity",
        "kind", "topic", "claim_id", "score", "cues", "explanation", "fda_status", "evidence_level",
        "citations", "suggestion"}
    assert finding["path"] == "<stdin>"
    assert set(finding["citations"][0]) == {"id", "title", "publisher", "date", "url", "doi"}
    assert data["summary"] == {"files": 1, "sentences": 1, "findings": 1, "by_verdict": {"unsupported": 1}}


def test_negated_claim_reports_no_violation():
    result = run_cli("Exosomes do not cure hair loss.", "--format", "json")
    assert result.returncode == 0
    verdicts = {f["verdict"] for f in json.loads(out(result))["findings"]}
    assert verdicts <= {"accurate"}


def test_json_output_is_byte_identical_between_runs():
    text = "Exosome therapy for knee pain. It is FDA approved! Studies show 95% of patients improve."
    assert out(run_cli(text, "--format", "json")) == out(run_cli(text, "--format", "json"))


def test_fail_on_thresholds():
    hedged = "Exosomes may help regrow hair."  # an unsupported claim at warning severity
    assert run_cli(hedged).returncode == 0
    assert run_cli(hedged, "--fail-on", "warning").returncode == 1
    assert run_cli("exosomes cure hair loss", "--fail-on", "never").returncode == 0
    # An accurate statement never fails a run (issue 14); an info-level claim that is not accurate does.
    assert run_cli("There are no FDA-approved exosome products.", "--fail-on", "info").returncode == 0
    assert run_cli("Exosome facials may work better than Botox.", "--fail-on", "info").returncode == 1


def test_lint_directory_of_text_files(tmp_path):
    (tmp_path / "a.txt").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text("Intro.\nOur exosome serum is FDA approved.\n", encoding="utf-8")
    (sub / "ignored.bin").write_bytes(b"\x00\x01")
    result = run_cli("lint", str(tmp_path), "--format", "json")
    assert result.returncode == 1, err(result)
    data = json.loads(out(result))
    assert data["summary"]["files"] == 2
    assert [(f["path"].replace(str(tmp_path), "D"), f["line"], f["verdict"]) for f in data["findings"]] == [
        ("D/a.txt", 1, "unsupported"), ("D/sub/b.txt", 2, "misleading")]


def test_lint_missing_path_reports_others_then_exits_2(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Exosomes cure hair loss.", encoding="utf-8")
    result = run_cli("lint", str(tmp_path / "missing.txt"), str(good), "--format", "json")
    assert result.returncode == 2
    assert "missing.txt: no such file or directory" in err(result)
    assert json.loads(out(result))["summary"]["findings"] == 1
    assert "Traceback" not in err(result)


def test_lint_binary_file_is_a_clear_error(tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x00")
    result = run_cli("lint", str(binary))
    assert result.returncode == 2
    assert "binary file" in err(result) and "Traceback" not in err(result)


def test_text_that_names_a_file_gets_a_hint(tmp_path):
    (tmp_path / "page.txt").write_text("Exosomes cure hair loss.", encoding="utf-8")
    result = run_cli("page.txt", cwd=tmp_path)
    assert "exocheck lint page.txt" in err(result)


def test_broken_knowledge_base_is_one_line_with_position(tmp_path):
    broken = tmp_path / "kb.yaml"
    broken.write_text("version: '1'\nsources: [\n  - id: x\n", encoding="utf-8")
    result = run_cli("exosomes cure hair loss", "--kb", str(broken))
    assert result.returncode == 2
    message = err(result).strip()
    assert message.count("\n") == 0 and f"{broken}:" in message and "YAML syntax error" in message
    assert out(result) == ""


def test_custom_knowledge_base_is_used():
    result = run_cli("Our XoTest serum regrows hair.", "--base-kb", str(MINI_KB), "--format", "json")
    data = json.loads(out(result))
    assert data["exocheck"]["kb"]["version"] == "test-1"
    assert [f["claim_id"] for f in data["findings"]] == ["hair-loss-treatment"]


def test_usage_errors_exit_2():
    assert run_cli("x", "--format", "yaml").returncode == 2
    assert run_cli("lint").returncode == 2


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and out(result).startswith("exocheck ")


def test_plain_output_without_terminal_has_no_escape_codes():
    assert "\x1b[" not in out(run_cli("exosomes cure hair loss"))
    assert "\x1b[" in out(run_cli("exosomes cure hair loss", "--color"))


def test_non_utf8_stdout_degrades_instead_of_crashing():
    text = "Exosomes “regrow” hair – fast"
    plain = run_cli(text, env={"PYTHONIOENCODING": "ascii"})
    assert plain.returncode == 1 and b"Traceback" not in plain.stderr
    as_json = run_cli(text, "--format", "json", env={"PYTHONIOENCODING": "ascii"})
    assert json.loads(out(as_json))["findings"][0]["sentence"] == text


def test_closed_pipe_is_not_a_traceback(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Exosomes cure hair loss.\n" * 5000, encoding="utf-8")
    import subprocess
    import sys
    env = {"NO_COLOR": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-m", "exocheck", "lint", str(page)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as with `| head -1`
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_usage_error_is_one_line_naming_the_command():
    result = run_cli("--fail-on", "bogus", "x")
    assert result.returncode == 2 and out(result) == ""
    [line] = err(result).splitlines()
    assert line.startswith("exocheck: error: ") and "--fail-on" in line and "exocheck check --help" in line


def test_kb_list_refuses_an_unknown_topic_or_kind():
    for args in (("--topic", "no-such-topic"), ("--kind", "no-such-kind")):
        result = run_cli("kb", "list", *args)
        assert result.returncode == 2 and out(result) == "" and "unknown" in err(result)


def test_lint_reads_stdin_with_a_file_name_beside_files(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Exosomes regrow hair.\n", encoding="utf-8")
    result = run_cli("lint", "-", str(page), "--stdin-filename", "draft.md", "--format", "json",
                     stdin="# Offer\n\n`Exosomes cure everything`\n\nOur exosome serum regrows hair.\n")
    assert result.returncode == 1, err(result)
    findings = json.loads(out(result))["findings"]
    assert sorted((f["path"], f["line"]) for f in findings) == sorted([("draft.md", 5), (str(page), 1)])
