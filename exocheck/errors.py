"""Errors the library raises for problems a user can fix; the CLI prints them as one line and exits 2."""

from __future__ import annotations

import re

from .patterns import LazyPattern


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


_quoted = LazyPattern(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\"""")

# "','", "'\\t'", "'<scalar>'": not the file's text
_kept_quote = LazyPattern(r"[^\w\s]|\\[a-z]|\\x[0-9a-f]{2}|<[a-z ]+>")

_empty_parentheses = LazyPattern(r" ?\([ ,]*\)")


def unquoted(message: str) -> str:
    """A YAML or TOML parser's message on one line, without what it quotes from the file ("found undefined
    alias 'hunter2'", "Cannot declare ('API_KEY',) twice"): `--kb` or a config may point at a secrets file
    by mistake, and the place and kind of the error are all that fixing it needs. What a parser quotes of
    its own grammar stays: expected punctuation ("expected ',' or ']'"), escapes ("'\\t'"), token names."""
    def shown(quote: re.Match[str]) -> str:
        return quote.group() if _kept_quote().fullmatch(quote.group()[1:-1]) else ""

    text = _empty_parentheses().sub("", _quoted().sub(shown, " ".join(message.split())))
    return " ".join(text.split())
