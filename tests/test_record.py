"""exocheck/record.py's classes behave as the dataclasses they replaced: repr, ==, hashing, immutability,
pickling and copying."""

import copy
import dataclasses
import pickle

import pytest

from exocheck.langid import Guess
from exocheck.segment import Sentence
from exocheck.subject import Context


@dataclasses.dataclass(frozen=True)
class SentenceAsDataclass:
    start: int
    end: int
    text: str
    block: int
    role: str


@dataclasses.dataclass
class ContextAsDataclass:
    subject: str | None = None
    topics: tuple[str, ...] = ()
    heading_topics: tuple[str, ...] = ()
    lead_in: object = None
    research: bool = False
    critical: bool = True
    aliases: tuple[tuple[str, ...], ...] = ()
    label: object = None


def test_a_frozen_record_is_a_frozen_dataclass() -> None:
    record, data = Sentence(1, 5, "text", 0, "item"), SentenceAsDataclass(1, 5, "text", 0, "item")
    assert repr(record) == repr(data).replace("SentenceAsDataclass", "Sentence")
    assert hash(record) == hash(data)
    assert record == Sentence(1, 5, "text", 0, "item") and record != Sentence(1, 5, "text", 1, "item")
    assert record != data  # another class, as between dataclasses
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.start = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del record.start  # type: ignore[misc]
    with pytest.raises(AttributeError):
        object.__setattr__(record, "other", 1)  # slots: no other attributes
    for again in (pickle.loads(pickle.dumps(record)), copy.copy(record), copy.deepcopy(record)):
        assert again == record and again is not record and again.text == "text"
    assert Guess("es", "Spanish", 1.0, 0) == pickle.loads(pickle.dumps(Guess("es", "Spanish", 1.0, 0)))


def test_a_mutable_record_is_a_dataclass() -> None:
    record, data = Context(), ContextAsDataclass()
    assert repr(record) == repr(data).replace("ContextAsDataclass", "Context")
    assert record == Context() and record != Context(subject="other")
    with pytest.raises(TypeError):
        hash(record)
    record.subject = "exosome"
    assert record == Context(subject="exosome")
    assert pickle.loads(pickle.dumps(record)) == record
    assert Context(critical=False).critical is False


def test_the_language_lists_are_a_frozen_record_made_by_keyword() -> None:
    from exocheck import language

    lists = {key: getattr(language.LANGUAGE, key) for key in language.KEYS}
    made = language.Language(**lists)
    assert made.sha256 == "" and made == language.Language(**lists, sha256="")
    assert made != language.LANGUAGE  # the shipped lists carry their file's digest
    assert hash(language.Language(**lists, sha256=language.LANGUAGE.sha256)) == hash(language.LANGUAGE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.hedges = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError, match="hedges"):
        language.Language(**{key: value for key, value in lists.items() if key != "hedges"})
    with pytest.raises(TypeError, match="extra"):
        language.Language(**lists, extra=())
    assert pickle.loads(pickle.dumps(made)) == made


def test_as_dict_and_replace_are_dataclasses_for_the_knowledge_base() -> None:
    from exocheck import record
    from exocheck.kb import load_kb

    kb = load_kb()
    claim = next(c for c in kb.claims.values() if c.families)
    data = record.as_dict(kb)
    assert list(data) == list(kb.__slots__) and data["claims"][claim.id]["families"][0]["window"] == claim.families[0].window
    assert isinstance(data["claims"][claim.id]["families"], tuple) and isinstance(data["sources"], dict)
    changed = record.replace(kb, overlays=("x.yaml",))
    assert changed.overlays == ("x.yaml",) and changed.claims is kb.claims and kb.overlays == ()
    assert record.replace(claim, deprecated=True) != claim
