"""Small classes that behave like the dataclasses they replace, without the dataclass decorator's cost.

`@dataclass` writes and compiles the source of `__init__`, `__repr__`, `__eq__` (and, frozen, `__setattr__`,
`__delattr__` and `__hash__`) for each class when its module is imported: about 0.3-1 ms a class, paid by
every run, a third of which is a single check's start-up (docs/benchmarks.md). Classes that need no other
dataclass feature than `asdict` and `replace` (for which `as_dict` and `replace` below stand in) derive from
these instead and write their `__init__` by hand; their fields are their `__slots__`, in order, and equality,
hashing, `repr`, immutability and pickling are those of a dataclass with the same fields (`eq=True`, and
`frozen=True` for `FrozenRecord`). The report's classes (model.py) stay dataclasses: code and tests use
`dataclasses.fields`, `asdict` and `replace` on them.
"""

from __future__ import annotations

from typing import Any


class Record:
    """A mutable dataclass: equal to an instance of the same class with equal fields, and unhashable."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Record)
            return self._values() == other._values()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a dataclass with eq=True that is not frozen


class FrozenRecord(Record):
    """A frozen dataclass: assigning or deleting a field raises `dataclasses.FrozenInstanceError`, and an
    instance hashes by its fields. `__init__` sets the fields with `_fill`."""

    __slots__: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]  # Record's is None
        return hash(self._values())

    def __getstate__(self) -> tuple[Any, ...]:  # pickling and copying: __setattr__ cannot restore the fields
        return self._values()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self._fill(*state)

    def _fill(self, *values: object) -> None:
        """Set the fields, in `__slots__` order, past the frozen `__setattr__`: the body of an `__init__`.
        (The classes made once per sentence, `segment.Sentence` and `modality.Words`, set theirs one by one:
        a call each is cheaper there than this loop.)"""
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)


def as_dict(record: Record) -> dict[str, Any]:
    """`dataclasses.asdict` for a record: its fields by name, in order, records in them (and in their lists,
    tuples and dicts) turned into dicts too. The other values in records are strings, numbers, booleans and
    None, shared rather than deep-copied as asdict would: they are immutable."""
    return {name: _plain(getattr(record, name)) for name in record.__slots__}


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return as_dict(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return type(value)((_plain(key), _plain(item)) for key, item in value.items())
    return value


def replace(record: Any, **changes: Any) -> Any:
    """`dataclasses.replace` for a record made with its fields by keyword: a copy with `changes`."""
    return type(record)(**{**{name: getattr(record, name) for name in record.__slots__}, **changes})
