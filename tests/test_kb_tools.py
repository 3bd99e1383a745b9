"""Knowledge-base tools: explain, kb list/stats/sources/validate/schema, overlays, and stable ids."""

import json
from pathlib import Path

import pytest
import yaml

import exocheck
from exocheck.errors import KnowledgeBaseError

from conftest import MINI_KB, run_cli

HERE = Path(__file__).resolve().parent
KB = exocheck.load_kb()


def out(result):
    return result.stdout.decode("utf-8")


def test_explain_a_claim_shows_everything_a_reviewer_needs():
    result = run_cli("explain", "hair-loss-treatment")
    assert result.returncode == 0
    text = out(result)
    claim = KB.claims["hair-loss-treatment"]
    for expected in (claim.claim, claim.verdict, claim.evidence_level, claim.suggestion,
                     claim.examples[0], "[1] ", KB.sources[claim.sources[0]].url):
        assert expected in text
    # the markers are numbered as the sources are listed below them
    assert "  FDA status: No exosome product is FDA-approved for hair loss or any other use [1].\n" in text
    assert "trials [2, 3]. At least ten serious" in text and "[FDA-2019-PSN]" not in text


def test_explain_a_topic_lists_its_terms_and_claims():
    data = json.loads(out(run_cli("explain", "hair-loss", "--format", "json")))
    assert data["topic"]["id"] == "hair-loss" and "alopecia" in data["topic"]["terms"]
    assert [c["id"] for c in data["claims"]] == ["hair-loss-treatment"]
    assert data["claims"][0]["citations"][0]["url"].startswith("https://")


def test_explain_unknown_id_suggests_close_ones():
    result = run_cli("explain", "hair-los")
    assert result.returncode == 2 and "hair-loss-treatment" in result.stderr.decode()


def test_kb_list_filters_and_json():
    listed = json.loads(out(run_cli("kb", "list", "--kind", "safety", "--format", "json")))
    assert listed and {c["kind"] for c in listed} == {"safety"}
    assert {c["id"] for c in listed} == {c.id for c in KB.claims.values() if c.kind == "safety"}
    text = out(run_cli("kb", "list", "--topic", "autism"))
    assert text.split() == ["autism-treatment", "unsupported", "error", "disease", "autism"]


def test_kb_stats_counts_add_up():
    data = json.loads(out(run_cli("kb", "stats", "--format", "json")))
    assert data["claims"] == len(KB.claims) == sum(data["by_kind"].values()) == sum(data["by_verdict"].values())
    assert sum(data["sources_by_tier"].values()) == data["sources"] == len(KB.sources)
    assert data["kb"]["sha256"] == KB.sha256


def test_kb_sources_lists_who_cites_what():
    data = json.loads(out(run_cli("kb", "sources", "--format", "json")))
    psn = next(s for s in data if s["id"] == "FDA-2019-PSN")
    assert "fda-approved" in psn["cited_by"] and psn["url"].startswith("https://www.fda.gov/")


def test_kb_schema_describes_the_builtin_kb_and_overlays():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(out(run_cli("kb", "schema")))
    jsonschema.validate(yaml.safe_load(Path(KB.path).read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "1", "claims": [{"id": "x", "verdict": "maybe"}]}, schema)
    overlay_schema = json.loads(out(run_cli("kb", "schema", "--overlay")))
    jsonschema.validate(yaml.safe_load((HERE / "fixtures" / "overlay.yaml").read_text(encoding="utf-8")),
                        overlay_schema)


def test_kb_validate_reports_every_problem_with_its_position(tmp_path):
    assert run_cli("kb", "validate").returncode == 0
    broken = tmp_path / "broken.yaml"
    text = MINI_KB.read_text(encoding="utf-8")
    text = text.replace("sources: [SRC-A]\n  suggestion: Say it is not", "sources: [GHOST]\n  suggestion: Say it is not")
    text = text.replace("  verdict: unverified\n", "  verdict: perhaps\n")
    broken.write_text(text, encoding="utf-8")
    result = run_cli("kb", "validate", str(broken))
    assert result.returncode == 2
    lines = out(result).splitlines()
    assert len(lines) == 5
    assert all(line.startswith(f"{broken}:") for line in lines)
    assert any("unknown source 'GHOST'" in line for line in lines)
    assert any("'verdict' is 'perhaps'" in line for line in lines)
    # the claim's sentences still cite SRC-A, which it no longer lists, and nothing cites GHOST
    assert sum("'fda-approved': 'fda_status' cites [SRC-A], which is not in its 'sources'" in line
               or "'fda-approved': 'explanation' cites [SRC-A]" in line for line in lines) == 2
    assert any("lists source 'GHOST', but no sentence" in line for line in lines)
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("claims:\n  - id: [\n", encoding="utf-8")
    result = run_cli("kb", "validate", str(syntax))
    assert result.returncode == 2 and out(result).startswith(f"{syntax}:") and "YAML syntax error" in out(result)


def test_overlay_adds_a_topic_and_flips_a_verdict():
    overlay = HERE / "fixtures" / "overlay.yaml"
    kb = exocheck.load_kb(overlays=[overlay])
    assert kb.overlays == (str(overlay),)
    assert kb.sha256 != KB.sha256
    # a new topic with its own claim and source
    [finding] = exocheck.check("Our exosome drip cures tinnitus.", kb=kb).findings
    assert (finding.claim_id, finding.topic, finding.verdict) == ("tinnitus-treatment", "tinnitus", "unsupported")
    assert finding.citations[0].id == "FDA-2019-PSN"
    # the organisation's reviewed wording is allowed
    [allowed] = exocheck.check("Our exosome serum is backed by research.", kb=kb).findings
    assert (allowed.claim_id, allowed.verdict, allowed.severity) == ("studies-show", "accurate", "info")
    # a disabled entry no longer fires; the built-in KB is unchanged
    assert exocheck.check("Exosomes are 100% safe.", kb=kb).findings == []
    assert exocheck.check("Exosomes are 100% safe.").findings[0].claim_id == "completely-safe"
    # a phrase appended to an existing topic
    assert [f.topic for f in exocheck.check("Exosomes reverse hair fall.", kb=kb).findings] == ["hair-loss"]


def test_overlay_on_the_command_line(tmp_path):
    overlay = HERE / "fixtures" / "overlay.yaml"
    result = run_cli("Our exosome drip cures tinnitus.", "--kb", str(overlay), "--format", "json")
    assert result.returncode == 1
    assert json.loads(out(result))["findings"][0]["claim_id"] == "tinnitus-treatment"
    assert "tinnitus-treatment" in out(run_cli("kb", "list", "--kb", str(overlay)))
    assert run_cli("kb", "validate", "--overlay", str(overlay)).returncode == 0


@pytest.mark.parametrize("overlay,message", [
    ("claims:\n- id: hair-loss-treatment\n  kind: safety\n", "cannot change 'kind' of existing claim 'hair-loss-treatment'"),
    ("sources:\n- id: FDA-2019-PSN\n  title: t\n  publisher: p\n  url: https://x.org\n  tier: news\n",
     "source 'FDA-2019-PSN' is already defined"),
    ("disable: [no-such-claim]\n", "cannot disable unknown claim 'no-such-claim'"),
    ("disable: [no-proven-benefit]\n", "must define claim 'no-proven-benefit'"),
    # every claim the checker itself needs is required, so a KB that validates never crashes the checker
    ("disable: [no-fda-approved-products]\n", "must define claim 'no-fda-approved-products'"),
    ("claims:\n- id: new-claim\n  kind: disease\n  topic: hair-loss\n", "missing 'claim'"),
    ("claims:\n- id: hair-loss-treatment\n  sources: [NOWHERE]\n", "cites unknown source 'NOWHERE'"),
    ("flavour: vanilla\n", "unknown overlay key 'flavour'"),
])
def test_overlay_conflicts_are_clear_errors_in_the_overlay_file(tmp_path, overlay, message):
    path = tmp_path / "org.yaml"
    path.write_text(overlay, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        exocheck.load_kb(overlays=[path])
    problem = next((p for p in info.value.problems if message in str(p)), None)
    assert problem is not None, [str(p) for p in info.value.problems]
    if "must define" not in message:
        assert str(problem).startswith(f"{path}:") and problem.line > 0


def test_a_kb_without_a_regeneration_topic_still_checks_topicless_healing_claims(tmp_path):
    """The checker needs only the required claims; a healing verb with no condition named falls back to
    the vague claim when the KB has no regeneration topic."""
    from exocheck.checker import Checker

    kb = exocheck.load_kb(HERE / "fixtures" / "mini_kb.yaml")
    assert "regeneration" not in kb.topics
    found = Checker(kb).check("Our exosome serum heals you from the inside.").findings
    assert [f.claim_id for f in found] == ["unclear-health-claim"]


def test_released_ids_are_never_removed_or_repurposed():
    released = [line.split() for line in (HERE / "released_ids.txt").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    for claim_id, kind, topic in released:
        claim = KB.claims.get(claim_id)
        assert claim is not None, f"released id {claim_id} was removed; deprecate it instead"
        assert (claim.kind, claim.topic) == (kind, topic), f"released id {claim_id} changed meaning"
    unreleased = set(KB.claims) - {r[0] for r in released}
    assert not unreleased, f"add new ids to tests/released_ids.txt: {sorted(unreleased)}"


def test_kb_version_has_a_changelog_entry():
    changelog = (HERE.parent / "data" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {KB.version} " in changelog


def test_deprecated_claim_is_kept_but_never_matched(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("claims:\n- id: completely-safe\n  deprecated: true\n", encoding="utf-8")
    kb = exocheck.load_kb(overlays=[path])
    assert kb.claims["completely-safe"].deprecated
    assert "completely-safe" not in {f.claim_id for f in exocheck.check("Exosomes are 100% safe.", kb=kb).findings}


def test_overlay_statements_need_citation_markers_too(tmp_path):
    """An overlay is validated as the built-in KB is: its sentences name the sources they rest on."""
    path = tmp_path / "org.yaml"
    path.write_text("claims:\n- id: hair-loss-treatment\n  explanation: Our review says so.\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        exocheck.load_kb(overlays=[path])
    problems = [str(p) for p in info.value.problems]
    assert any(p.startswith(f"{path}:3:3: claim 'hair-loss-treatment': sentence 1 of 'explanation' has no citation "
                            "marker") for p in problems), problems
    # the built-in sources it lists are no longer all cited: GUPTA-2023-JCD backed the replaced explanation
    assert any("lists source 'GUPTA-2023-JCD', but no sentence" in p for p in problems), problems
