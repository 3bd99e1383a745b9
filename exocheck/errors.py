"""Errors the library raises for problems a user can fix; the CLI prints them as one line and exits 2."""

from __future__ import annotations


class ExocheckError(Exception):
    """Base class: something about the input, the knowledge base or the configuration is wrong."""


class KnowledgeBaseError(ExocheckError):
    """A knowledge-base file is unreadable or invalid; carries the place as file:line:column."""

    def __init__(
        self, message: str, *, path: str = "", line: int = 0, column: int = 0,
        problems: list[KnowledgeBaseError] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.problems = problems or [self]

    def at(self, path: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(self.message, path=path, line=self.line, column=self.column)

    def __str__(self) -> str:
        place = ":".join(str(part) for part in (self.path, self.line or "", self.column or "") if part != "")
        return f"{place}: {self.message}" if place else self.message


class InputError(ExocheckError):
    """An input path or stream cannot be read as text."""
