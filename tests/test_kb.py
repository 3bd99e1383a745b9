"""Knowledge-base integrity: citations trace to the verified evidence list, entries are self-consistent,
examples trigger their own entry, suggestions pass their own check, and broken files fail with a position."""

import re
from pathlib import Path

import pytest
import yaml

import exocheck
from exocheck.errors import KnowledgeBaseError
from exocheck.kb import MARKER

SHARED = Path(__file__).resolve().parents[2] / "shared" / "evidence"
# Copies of ../shared/evidence (a provenance header, then the file unchanged), so these tests run on a clean clone.
EVIDENCE = Path(__file__).resolve().parent / "evidence"
HEADER_LINES = 3
KB = exocheck.load_kb()
# The fields of a KB source, each a copy of the evidence list's field of the same name.
SOURCE_FIELDS = ("title", "publisher", "authors", "date", "url", "doi", "tier")


def test_ids_are_unique_and_every_claim_cites_a_known_source():
    raw = yaml.safe_load(Path(KB.path).read_text(encoding="utf-8"))
    ids = [c["id"] for c in raw["claims"]]
    assert len(ids) == len(set(ids))
    source_ids = [s["id"] for s in raw["sources"]]
    assert len(source_ids) == len(set(source_ids))
    for claim in KB.claims.values():
        assert claim.sources, claim.id
        assert all(s in KB.sources for s in claim.sources), claim.id
        assert claim.explanation.strip() and claim.fda_status.strip(), claim.id


def test_every_source_has_a_url_or_doi_and_is_cited():
    cited = {s for c in KB.claims.values() for s in c.sources}
    for source in KB.sources.values():
        assert source.url or source.doi, source.id
        assert source.id in cited, f"{source.id} is listed but never cited"


def _evidence_sources() -> dict[str, dict]:
    return {s["id"]: s for s in yaml.safe_load((EVIDENCE / "sources.yaml").read_text(encoding="utf-8"))["sources"]}


def test_every_source_copies_a_citable_entry_of_the_evidence_list_field_for_field():
    shared = _evidence_sources()
    for source in KB.sources.values():
        entry = shared.get(source.id)
        assert entry is not None, f"{source.id} is not in the evidence list"
        assert entry["status"] in ("verified", "verified-via-copy"), f"{source.id} is {entry['status']}"
        for name in SOURCE_FIELDS:
            assert getattr(source, name) == str(entry.get(name) or ""), f"{source.id}.{name} differs from the evidence list"
    # Nothing URL- or DOI-like anywhere in the KB file that is not citable (comments included).
    citable = [s for s in shared.values() if s["status"] != "do-not-cite"]
    citable_urls = {s["url"].rstrip("/") for s in citable if s.get("url")}
    citable_dois = {s["doi"].lower() for s in citable if s.get("doi")}
    text = Path(KB.path).read_text(encoding="utf-8")
    for url in re.findall(r"https?://[^\s'\"<>\]]+", text):
        assert url.rstrip("/.,)") in citable_urls, url
    text = re.sub(r"https?://[^\s'\"<>\]]+", "", text)  # some URLs embed a DOI-like path
    for doi in re.findall(r"\b10\.\d{4,9}/[^\s'\"<>\]]+", text):
        assert doi.lower().rstrip(".,)") in citable_dois, doi


# What the evidence list's reviewers write for themselves ("journal not seen", "read on a mirror"); a citation
# users see must not carry it, so an entry whose shown fields still do is not cited until the list is cleaned.
INTERNAL_NOTE = re.compile(r"not seen|\bmirrors?\b|\bcopy\b|presumed|unverified|from memory", re.IGNORECASE)


def test_citations_users_see_carry_no_internal_notes():
    for source in KB.sources.values():
        for name in ("title", "publisher", "authors", "date"):
            assert not INTERNAL_NOTE.search(getattr(source, name)), f"{source.id}.{name}: {getattr(source, name)!r}"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/evidence is not beside the repository")
@pytest.mark.parametrize("name", ["sources.yaml", "evidence.md"])
def test_evidence_copies_match_the_shared_evidence(name):
    ours = (EVIDENCE / name).read_text(encoding="utf-8").splitlines(keepends=True)
    assert all("Provenance" in line or line.startswith(("# ", "<!-- ")) for line in ours[:HEADER_LINES])
    assert "".join(ours[HEADER_LINES:]) == (SHARED / name).read_text(encoding="utf-8")


def test_every_statement_names_its_sources():
    """What `kb validate` enforces, said plainly for the built-in KB: each sentence of an explanation or FDA
    status carries a marker, every marker names a listed source, every listed source backs a sentence."""
    from exocheck.kb import cited_sentences

    for claim in KB.claims.values():
        cited = set()
        for text in (claim.explanation, claim.fda_status):
            for sentence, ids in cited_sentences(text):
                assert ids and set(ids) <= set(claim.sources), f"{claim.id}: {sentence!r}"
                assert re.search(r"\][.!?]$", sentence), f"{claim.id}: a marker closes the sentence: {sentence!r}"
                cited.update(ids)
        assert cited == set(claim.sources), claim.id


# The FDA notices that say, in these words or nearly, that no exosome product is FDA-approved.
NO_APPROVAL_NOTICES = {"FDA-2019-PSN", "FDA-2019-SAFETY-ALERT", "FDA-2020-CONSUMER-ALERT"}


def test_no_approval_statements_cite_the_fda_notice_that_says_so():
    from exocheck.kb import cited_sentences

    for claim in KB.claims.values():
        for text in (claim.explanation, claim.fda_status):
            for sentence, ids in cited_sentences(text):
                lowered = sentence.lower()
                if "no exosome product" in lowered and "approved" in lowered or "approved no exosome" in lowered:
                    assert NO_APPROVAL_NOTICES & set(ids), f"{claim.id}: {sentence!r}"


def test_unverified_figures_are_not_repeated():
    text = Path(KB.path).read_text(encoding="utf-8").lower()
    assert "99 businesses" not in text and "99 us businesses" not in text
    assert "16 us businesses" not in text and "16 u.s. businesses" not in text


def test_explanations_are_written_in_our_own_words():
    path = EVIDENCE / "evidence.md"

    def grams(text, n=8):
        words = re.findall(r"[a-z0-9]+", MARKER.sub("", text).lower())  # a marker's source id is not prose
        return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    evidence = grams(path.read_text(encoding="utf-8"))
    for claim in KB.claims.values():
        for field in (claim.explanation, claim.fda_status, claim.suggestion or ""):
            copied = grams(field) & evidence
            assert not copied, f"{claim.id} repeats the evidence notes word for word: {' '.join(min(copied))}"


@pytest.mark.parametrize("claim", [c for c in KB.claims.values() if c.examples], ids=lambda c: c.id)
def test_each_example_phrasing_yields_its_own_claim(claim):
    for example in claim.examples:
        found = {f.claim_id for f in exocheck.check(example).findings}
        assert claim.id in found, f"{example!r} gave {sorted(found)}"


@pytest.mark.parametrize("claim", [c for c in KB.claims.values() if c.families], ids=lambda c: c.id)
def test_each_cue_family_matches_its_examples(claim):
    from exocheck.lexicon import CUE
    from exocheck.modality import analyse
    from exocheck.normalize import fold

    lexicon = exocheck.checker_for().lexicon
    for family in claim.families:
        for example in family.examples:
            hits = lexicon.find(analyse(fold(example)))
            assert any(h.category == CUE and h.key == claim.id for h in hits), f"{example!r} ({claim.id})"


@pytest.mark.parametrize(("text", "claim_id"), [
    ("Our exosome facial is safe and effective.", "completely-safe"),
    ("Exosome therapy uses your own cells' signals and has zero immunological risk.", "no-rejection"),
    ("Data on the safety of injected exosomes are still lacking.", "evidence-is-early"),
    ("Studies have shown that our exosomes switch on repair.", "studies-show"),
    ("Exosome products are classified as drugs in Canada.", "regulated-as-biologics"),
    ("Exosome injections ease pain without resorting to surgery.", "treatment-avoidance"),
])
def test_cue_families_make_claims_in_context(text, claim_id):
    assert claim_id in {f.claim_id for f in exocheck.check(text).findings}


@pytest.mark.parametrize("text", [
    "Our exosomes cause no immune reaction and no infections.",  # a negator inside the span denies the fact
    "Results in as little as eight weeks with our exosome serum.",  # "as little as" is not scant evidence
])
def test_cue_families_are_not_fooled(text):
    assert "adverse-events-reported" not in {f.claim_id for f in exocheck.check(text).findings}
    assert "evidence-is-early" not in {f.claim_id for f in exocheck.check(text).findings}


def test_every_topic_has_a_claim_and_every_error_has_a_suggestion():
    claimed = {c.topic for c in KB.claims.values()}
    assert set(KB.topics) <= claimed
    for claim in KB.claims.values():
        if claim.severity == "error":
            assert claim.suggestion, claim.id


@pytest.mark.parametrize("claim", [c for c in KB.claims.values() if c.suggestion and c.verdict != "accurate"],
                         ids=lambda c: c.id)
def test_suggested_rewording_passes_its_own_check(claim):
    errors = [f for f in exocheck.check(claim.suggestion).findings if f.severity == "error"]
    assert not errors, [(f.claim_id, f.sentence) for f in errors]


BROKEN = {
    "unknown source": ("claims:\n- id: x\n  sources: [NOPE]\n", "cites unknown source 'NOPE'"),
    "bad verdict": ("claims:\n- id: x\n  verdict: true-ish\n", "'verdict' is 'true-ish'"),
}


def _mini_kb_text():
    return (Path(__file__).parent / "fixtures" / "mini_kb.yaml").read_text(encoding="utf-8")


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text("version: '1'\nsources:\n  - id: a\n    title: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        exocheck.load_kb(path)
    assert str(info.value).startswith(f"{path}:")
    assert info.value.line >= 4


@pytest.mark.parametrize("old,new,message", [
    ("  sources: [SRC-A]\n  suggestion: Say it is not FDA-approved.", "  sources: [NOPE]\n  suggestion: Say it is not FDA-approved.",
     "cites unknown source 'NOPE'"),
    ("  verdict: misleading\n  severity: error\n  fda_status: Not approved [SRC-A].\n  evidence_level: none\n  explanation: No exosome",
     "  verdict: true-ish\n  severity: error\n  fda_status: Not approved [SRC-A].\n  evidence_level: none\n  explanation: No exosome",
     "'verdict' is 'true-ish'"),
    ("- id: joint-pain-treatment", "- id: hair-loss-treatment", "duplicate claim id 'hair-loss-treatment'"),
    ("  topic: joint-pain\n  claim: Treats joint pain.", "  topic: knees\n  claim: Treats joint pain.", "unknown topic 'knees'"),
    ("  explanation: Adverse events were reported [SRC-A].\n", "", "missing 'explanation'"),
    ("  url: https://example.org/a\n", "", "neither a url nor a doi"),
    ("  negated: no-fda-approved-products", "  negated: nothing-here", "unknown claim 'nothing-here'"),
    ("version: \"test-1\"", "version: \"test-1\"\nversion: \"again\"", "duplicate key 'version'"),
    ("  terms: [hair loss, alopecia]", "  terms: [hair loss, alopecia, knee pains]",
     "term 'knee pain' of topic 'joint-pain' is already a term of topic 'hair-loss'"),
    # every sentence of an explanation or FDA status names the sources it rests on, and only listed ones
    ("  explanation: Small studies only [SRC-A].", "  explanation: Small studies only.",
     "'hair-loss-treatment': sentence 1 of 'explanation' has no citation marker"),
    ("  explanation: Small studies only [SRC-A].", "  explanation: Small studies only [SRC-A]. Nothing is approved.",
     "'hair-loss-treatment': sentence 2 of 'explanation' has no citation marker"),
    ("  explanation: Animal studies only [SRC-A].", "  explanation: Animal studies only [SRC-A, SRC-Z].",
     "'joint-pain-treatment': 'explanation' cites [SRC-Z], which is not in its 'sources'"),
    ("  explanation: Animal studies only [SRC-A].\n  sources: [SRC-A]",
     "  explanation: Animal studies only [SRC-A].\n  sources: [SRC-A, SRC-B]",
     "'joint-pain-treatment' lists source 'SRC-B', but no sentence of its explanation or FDA status cites it"),
])
def test_semantic_errors_name_the_line(tmp_path, old, new, message):
    text = _mini_kb_text()
    assert old in text
    broken = text.replace(old, new, 1)
    path = tmp_path / "kb.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        exocheck.load_kb(path)
    problems = [str(p) for p in info.value.problems]
    assert any(message in p for p in problems), problems
    hit = next(p for p in info.value.problems if message in p.message)
    assert hit.line > 0 and str(hit).startswith(f"{path}:{hit.line}:")
