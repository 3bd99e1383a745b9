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


def lint_page(folder, name, text):
    """The (line, claim id) findings and (line, code) notices of one page with this name and text."""
    page = folder / name
    page.write_text(text, encoding="utf-8")
    data = lint_json(str(page))
    return findings(data), notices(data)


def test_disable_line_silences_its_own_line_only(tmp_path):
    found, noticed = lint_page(tmp_path, "page.md",
                               "Exosomes cure hair loss. <!-- exocheck-disable-line hair-loss-treatment -- reviewed -->\n\n"
                               "Exosomes cure hair loss.\n")
    assert found == [(3, "hair-loss-treatment")]
    assert noticed == []


def test_disable_line_in_html(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Exosomes cure hair loss. <!-- exocheck-disable-line -- quoted from a complaint --></p>\n"
                    "<p>Exosomes cure hair loss.</p>\n", encoding="utf-8")
    assert findings(lint_json(str(page))) == [(2, "hair-loss-treatment")]


def test_disable_line_ends_a_plain_text_line_and_is_not_copy(tmp_path):
    found, noticed = lint_page(tmp_path, "page.txt",
                               "Exosomes cure hair loss. # exocheck-disable-line hair-loss-treatment -- reviewed\n"
                               "Exosomes cure hair loss.\n")
    assert found == [(2, "hair-loss-treatment")]
    assert noticed == []


def test_disable_line_without_a_reason_or_unused_is_reported(tmp_path):
    found, noticed = lint_page(tmp_path, "page.md",
                               "Exosomes cure hair loss. <!-- exocheck-disable-line hair-loss-treatment -->\n\n"
                               "Book a visit. <!-- exocheck-disable-line -- nothing to silence -->\n")
    assert found == [(1, "hair-loss-treatment")]
    assert noticed == [(1, "suppression-without-reason"), (3, "unused-suppression")]


def test_disable_file_covers_the_whole_file_whatever_its_place(tmp_path):
    found, noticed = lint_page(tmp_path, "page.md",
                               "Exosomes cure hair loss.\n\n<!-- exocheck-enable -->\n\n"
                               "<!-- exocheck-disable-file hair-loss-treatment -- a page quoting complaints -->\n\n"
                               "Exosomes cure hair loss.\n")
    assert found == []
    assert noticed == []


def test_disable_file_needs_a_reason_and_unused_ones_are_reported(tmp_path):
    found, noticed = lint_page(tmp_path, "page.md",
                               "<!-- exocheck-disable-file -->\n<!-- exocheck-disable-file fda-approved -- reviewed -->\n\n"
                               "Exosomes cure hair loss.\n")
    assert found == [(4, "hair-loss-treatment")]
    assert noticed == [(1, "suppression-without-reason"), (2, "unused-suppression")]


def test_disable_file_in_plain_text(tmp_path):
    found, noticed = lint_page(tmp_path, "page.txt",
                               "Exosomes cure hair loss.\nexocheck-disable-file -- transcript of a complaint\n")
    assert found == [] and noticed == []


def test_an_unknown_disable_flag_is_an_error_with_a_suggestion(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    for command in (["lint", str(page)], ["check", "Exosomes cure hair loss."], ["survey", str(page)]):
        result = run_cli(*command, "--disable", "hair-loss-treatmnt", cwd=tmp_path)
        assert result.returncode == 2, command
        assert err(result) == ("exocheck: error: --disable: unknown claim id 'hair-loss-treatmnt'; did you mean "
                               "'hair-loss-treatment'? (`exocheck kb list` shows the ids)\n")
    result = run_cli("lint", str(page), "--disable", "qqqqzzzz", cwd=tmp_path)
    assert result.returncode == 2 and "did you mean" not in err(result) and "'qqqqzzzz'" in err(result)


def test_an_unknown_id_in_the_config_is_an_error_naming_its_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\n\n[tool.exocheck]\n'
                                             'disable = ["fda-aproved"]\n', encoding="utf-8")
    (tmp_path / "page.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    for command in (["lint", "page.md"], ["Exosomes cure hair loss."]):  # the second runs the fast path
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode == 2, command
        assert err(result).startswith(f"exocheck: error: {tmp_path / 'pyproject.toml'}:5: [tool.exocheck] disable: "
                                      "unknown claim id 'fda-aproved'; did you mean 'fda-approved'?")


def test_an_unknown_id_in_an_override_is_an_error(tmp_path):
    (tmp_path / ".exocheck.toml").write_text('[[overrides]]\npaths = ["blog/**"]\ndisable = ["studies-shows"]\n',
                                             encoding="utf-8")
    (tmp_path / "page.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    result = run_cli("lint", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "overrides[1].disable: unknown claim id 'studies-shows'; did you mean 'studies-show'?" in err(result)


def test_ids_of_an_overlay_are_known(tmp_path):
    from conftest import MINI_KB

    (tmp_path / "page.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    result = run_cli("lint", "page.md", "--base-kb", str(MINI_KB), "--disable", "joint-pain-treatment",
                     "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, err(result)
    result = run_cli("lint", "page.md", "--base-kb", str(MINI_KB), "--disable", "studies-show", cwd=tmp_path)
    assert result.returncode == 2 and "unknown claim id 'studies-show'" in err(result)


def test_config_option_reads_the_named_file(tmp_path):
    (tmp_path / ".exocheck.toml").write_text('disable = ["hair-loss-treatment"]\n', encoding="utf-8")
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "strict.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    (tmp_path / "page.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    assert findings(lint_json("page.md", cwd=tmp_path)) == []  # the file found here
    assert findings(lint_json("page.md", "--config", "ci/strict.toml", cwd=tmp_path)) == [(1, "hair-loss-treatment")]
    shown = out(run_cli("config", "page.md", "--config", "ci/strict.toml", cwd=tmp_path))
    assert "# config file: ci/strict.toml" in shown and 'fail-on = "warning"  # ci/strict.toml' in shown
    result = run_cli("check", "Exosomes cure hair loss.", "--config", "ci/strict.toml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and json.loads(out(result))["findings"]


def test_config_option_errors(tmp_path):
    (tmp_path / "page.md").write_text("Book a visit.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\n', encoding="utf-8")
    cases = {("--config", "missing.toml"): "exocheck: error: missing.toml: cannot read (No such file or directory)\n",
             ("--config", "pyproject.toml"): "exocheck: error: pyproject.toml: no [tool.exocheck] table\n",
             ("--config", "pyproject.toml", "--no-config"):
                 "exocheck: error: --config and --no-config exclude each other\n"}
    for args, message in cases.items():
        result = run_cli("lint", "page.md", *args, cwd=tmp_path)
        assert (result.returncode, err(result)) == (2, message), args


def test_exocheck_toml_wins_over_pyproject_in_the_same_directory(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.exocheck]\nfail-on = "never"\n', encoding="utf-8")
    (tmp_path / ".exocheck.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert "# config file: " + str(tmp_path / ".exocheck.toml") in out(run_cli("config", cwd=tmp_path))


def test_config_for_a_file_applies_its_overrides(tmp_path):
    (tmp_path / ".exocheck.toml").write_text(
        'fail-on = "warning"\nexclude = ["drafts/"]\ndisable = ["studies-show"]\n'
        '[[overrides]]\npaths = ["blog/**"]\ndisable = ["fda-approved"]\nfail-on = "error"\n'
        '[[overrides]]\npaths = ["*.txt"]\nfail-on = "never"\n', encoding="utf-8")
    for folder in ("blog", "drafts"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.md").write_text("Book a visit.\n", encoding="utf-8")
    shown = out(run_cli("config", "blog/a.md", cwd=tmp_path)).splitlines()
    assert "# settings for blog/a.md" in shown
    assert 'fail-on = "error"  # overrides[1]' in shown
    assert f'disable = ["studies-show", "fda-approved"]  # {tmp_path / ".exocheck.toml"} + overrides[1]' in shown
    assert shown[-2].endswith(", applies") and shown[-1].endswith(", does not apply")
    shown = out(run_cli("config", "drafts/a.md", cwd=tmp_path)).splitlines()
    assert "# settings for drafts/a.md (excluded: not checked)" in shown
    assert f'fail-on = "warning"  # {tmp_path / ".exocheck.toml"}' in shown


def test_force_color_colours_piped_output_and_the_flag_still_wins(tmp_path):
    (tmp_path / "page.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    for args in (["lint", "page.md"], ["Exosomes cure hair loss."]):  # also the fast path
        assert b"\x1b[" in run_cli(*args, cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout  # NO_COLOR=1 is set too
        assert b"\x1b[" not in run_cli(*args, cwd=tmp_path, env={"FORCE_COLOR": "0"}).stdout
    assert b"\x1b[" not in run_cli("lint", "page.md", "--no-color", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout


# MDX (issue 14, section 4): an HTML comment is a syntax error there, so each suppression is a JSX comment.
MDX_SUPPRESSIONS = """import { Hero } from "../components/Hero"

{/* exocheck-disable-next-line hair-loss-treatment -- quoting a patient, reviewed */}
Exosomes cure hair loss.

Exosomes cure hair loss. {/* exocheck-disable-line -- quoted from a complaint */}

{/* exocheck-disable fda-approved -- legal reviewed the comparison */}
Our exosome facial is FDA approved.
{/* exocheck-enable */}

Our exosome facial is FDA approved.

  {/* exocheck-disable-next-line */}
Exosomes cure hair loss.

{/*
  exocheck-disable-next-line cancer-treatment -- nothing here to silence
*/}
Book a visit.

- Exosomes cure arthritis {/* exocheck-disable-line joint-pain-treatmnet -- a typo */}
"""


def test_mdx_suppressions_are_jsx_comments_with_exact_positions(tmp_path):
    import exocheck

    page = tmp_path / "page.mdx"
    page.write_text(MDX_SUPPRESSIONS, encoding="utf-8")
    data = lint_json(str(page))
    assert findings(data) == [(12, "fda-approved"), (15, "hair-loss-treatment"), (22, "joint-pain-treatment")]
    assert [(n["line"], n["column"], n["code"]) for n in data["notices"]] == [
        (14, 3, "suppression-without-reason"), (17, 1, "unused-suppression"), (22, 27, "unknown-claim-id")]
    report = exocheck.check_file(page)  # the library reads MDX suppressions as the command does
    assert [(f.line, f.claim_id) for f in report.findings] == findings(data)
    assert [(n.line, n.column, n.code) for n in report.notices] == [
        (n["line"], n["column"], n["code"]) for n in data["notices"]]


def test_mdx_disable_file_and_html_comments_still_work(tmp_path):
    found, noticed = lint_page(tmp_path, "page.mdx",
                               "Exosomes cure hair loss.\n\n"
                               "{ /* exocheck-disable-file hair-loss-treatment -- a page quoting complaints */ }\n\n"
                               "Our exosome facial is FDA approved. <!-- exocheck-disable-line -- reviewed -->\n")
    assert found == [] and noticed == []


def test_mdx_comments_are_never_copy_and_fenced_code_opens_none(tmp_path):
    from exocheck.markup import mask

    text = ("Book a visit {/* exosomes cure cancer */} today.\n\n```mdx\n{/* an example left open in code\n"
            "```\n\nExosomes cure hair loss. {/* note */}\n")
    masked = mask(text, "mdx")
    assert len(masked) == len(text) and "cancer" not in masked and "note" not in masked
    found, noticed = lint_page(tmp_path, "page.mdx", text)
    assert found == [(7, "hair-loss-treatment")] and noticed == []


def test_an_mdx_comment_inside_a_jsx_element_does_not_end_it(tmp_path):
    found, noticed = lint_page(tmp_path, "page.mdx",
                               '<Hero\n  {/* the headline */}\n  title="Exosomes reverse aging"\n/>\n\n'
                               "{/* exocheck-disable-next-line -- quoting a patient */}\nExosomes cure hair loss.\n"
                               "{/* exocheck-disable-next-line -- quoting another */}\nExosomes cure arthritis.\n")
    assert found == [] and noticed == []


def test_copy_after_an_mdx_comment_on_its_line_is_still_copy(tmp_path):
    found, _ = lint_page(tmp_path, "page.mdx", "Hello.\n\n{/* a note */} Exosomes cure hair loss.\n")
    assert found == [(3, "hair-loss-treatment")]
