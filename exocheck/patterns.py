"""Regular expressions compiled on first use.

Compiling a pattern at import costs every run, and a single check imports modules whose patterns only some
inputs need (an address, a fenced block, a malformed config). `LazyPattern("...")` stands where
`re.compile("...")` would, and calling it gives the compiled pattern, compiled once.
"""

from __future__ import annotations

import re


class LazyPattern:
    """`re.compile(source, flags)`, done on the first call and kept."""

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __call__(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.source, self.flags)
        return compiled

    @property
    def compiled(self) -> bool:
        """Whether the pattern has been compiled (a test checks that a plain check compiles none it need not)."""
        return self._compiled is not None
