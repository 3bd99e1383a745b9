"""The English word lists: data/language.yaml loads, is validated with clear errors, and drives the checker."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import exocheck
from exocheck import cache, checker, language, modality, subject
from exocheck.checker import Checker
from exocheck.errors import KnowledgeBaseError
from exocheck.language import KEYS, LANGUAGE, load_language, parse_language

from conftest import HERE, run_cli

SHIPPED = language.default_language_path()


def test_the_shipped_file_loads_every_list():
    loaded = load_language()
    assert loaded == LANGUAGE  # also what the modules got at import, from the disk cache or not
    assert loaded.sha256 == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert tuple(yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))) == KEYS  # every list, in the documented order
    assert all(getattr(loaded, key) for key in KEYS)
    assert ("not", "been", "shown") in loaded.wide_negations and "may" in loaded.hedges
    assert isinstance(loaded.disease_suffixes, tuple) and "itis" in loaded.disease_suffixes


def test_the_shipped_file_matches_its_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((HERE.parent / "exocheck" / "language.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["required"]) == KEYS
    jsonschema.validate(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**yaml.safe_load(SHIPPED.read_text(encoding="utf-8")), "hedges": ["May"]}, schema)


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "language.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_language(path)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(("old", "new", "key", "message"), [
    ("hedges: [", "hedgez: [", "hedgez", r"unknown list 'hedgez' \(did you mean 'hedges'\?\)"),
    ("hedges: [", "hedges_extra: [x]\nhedges: [", "hedges_extra", r"unknown list 'hedges_extra'"),
    ("hedges: [may,", "hedges: [May,", "hedges", r"'hedges': 'May' must be one lowercase word"),
    ("hedges: [may,", "hedges: [may, don't,", "hedges", r"'hedges': \"don't\" must be one lowercase word"),
    ("hedges: [may, might,", "hedges: [may might,", "hedges", r"'hedges': 'may might' must be one lowercase word"),
    ('local_negators: [not, "no",', "local_negators: [not, no,", "local_negators",
     r"'local_negators': false \(YAML reads a bare yes, no, on or off as a boolean: quote it\)"),
    ("wide_negations: [no evidence,", "wide_negations: [no  evidence,", "wide_negations",
     r"'wide_negations': 'no  evidence' must be lowercase words of letters and digits separated by single"),
    ("disease_suffixes: [itis,", "disease_suffixes: [itis, 7,", "disease_suffixes", r"'disease_suffixes': 7 must be"),
    ("hedges: [", "hedges: may might\nunused: [", "hedges", r"'hedges' must be a non-empty list, not text"),
    ("hedges: [", "hedges: []\nunused: [", "hedges", r"'hedges' must be a non-empty list, not an empty list"),
])
def test_a_bad_list_is_refused_with_its_place_and_key(tmp_path, old, new, key, message):
    path = _edited(tmp_path, old, new)
    problems = _problems(path)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith(f"{key}:"))
    assert any(p.startswith(f"{path}:{line}:") and re.search(message, p) for p in problems), problems


def test_a_missing_list_is_named(tmp_path):
    path = _edited(tmp_path, "\nhedges: [", "\n_hedges: [")
    problems = _problems(path)
    assert f"{path}: missing list 'hedges'" in problems and any("unknown list '_hedges'" in p for p in problems)


@pytest.mark.parametrize(("raw", "message"), [
    (b"- hedges\n", "a language file must be a YAML mapping"),
    (b"hedges: [may\n", "YAML syntax error"),
])
def test_a_file_that_is_not_a_mapping_of_lists_is_refused(raw, message):
    with pytest.raises(KnowledgeBaseError, match=message) as caught:
        parse_language(raw, "edited.yaml")
    assert str(caught.value).startswith("edited.yaml:")


def _without(tmp_path: Path, key: str, word: str) -> language.Language:
    """The shipped lists less one word of one list, loaded from a file as the shipped one is."""
    lists = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    lists[key].remove(word)
    path = tmp_path / "language.yaml"
    path.write_text(yaml.safe_dump(lists), encoding="utf-8")
    return load_language(path)


def _findings(text: str) -> list[tuple[str, str]]:
    fresh = Checker(exocheck.load_kb())  # memos are per checker: a fresh one sees the patched lists
    return [(f.claim_id, f.severity) for f in fresh.check(text).findings]


def test_a_hedge_from_the_file_lowers_severity(tmp_path, monkeypatch):
    assert _findings("Exosomes cure hair loss.") == [("hair-loss-treatment", "error")]
    assert _findings("Exosomes may cure hair loss.") == [("hair-loss-treatment", "warning")]
    monkeypatch.setattr(modality, "_HEDGES", _without(tmp_path, "hedges", "may").hedges)
    assert _findings("Exosomes may cure hair loss.") == [("hair-loss-treatment", "error")]


def test_an_affirmative_from_the_file_answers_a_question(tmp_path, monkeypatch):
    asked = "Do exosomes regrow hair? Yes, in 8 weeks."
    assert _findings(asked) == [("hair-loss-treatment", "error")]
    monkeypatch.setattr(checker, "_AFFIRMATIVE", _without(tmp_path, "affirmatives", "yes").affirmatives)
    assert _findings(asked) == []


def test_another_product_from_the_file_takes_the_subject(tmp_path, monkeypatch):
    copy = "Our exosome serum is new. Our new shampoo regrows hair."
    assert _findings(copy) == []
    monkeypatch.setattr(subject, "_OTHER_PRODUCTS", _without(tmp_path, "other_products", "shampoo").other_products)
    assert _findings(copy) == [("hair-loss-treatment", "error")]


def test_cached_checkers_are_keyed_on_the_language_file(monkeypatch):
    before = cache._key("kb")
    lists = {key: getattr(LANGUAGE, key) for key in language.KEYS}
    monkeypatch.setattr(language, "LANGUAGE", language.Language(**lists, sha256="0" * 64))
    assert cache._key("kb") != before


def test_the_command_caches_the_lists_and_the_library_writes_nothing(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    library = "import exocheck; assert exocheck.check('Exosomes cure hair loss.').findings"
    subprocess.run([sys.executable, "-c", library], check=True, cwd=tmp_path,
                   env={**os.environ, "PYTHONPATH": str(HERE.parent), **env})
    assert not (tmp_path / "cache").exists()
    assert run_cli("Exosomes cure hair loss.", env=env).returncode == 1
    entries = sorted((tmp_path / "cache" / "exocheck").iterdir())
    assert [p.name.split("-")[0] for p in entries] == ["checker", "language"]
    assert run_cli("Exosomes cure hair loss.", env=env).returncode == 1  # from the cache
    assert sorted((tmp_path / "cache" / "exocheck").iterdir()) == entries
