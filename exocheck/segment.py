"""Split text into blocks (headings, list items, paragraphs) and sentences, keeping character offsets.

Marketing copy is not prose: headings without full stops, bullet lists, ALL-CAPS banners, "hair.Book
now" with the space missing. Every sentence keeps its exact [start, end) span in the original text so
findings point at the right line and column.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

from .patterns import LazyPattern
from .record import FrozenRecord

HEADING, ITEM, TEXT = "heading", "item", "text"


class Sentence(FrozenRecord):
    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "start", "end", "text", "block", "role",
    )

    start: int
    end: int
    text: str
    block: int
    role: str  # heading | item | text

    def __init__(self, start: int, end: int, text: str, block: int, role: str) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "block", block)
        object.__setattr__(self, "role", role)


_NEWLINE = re.compile(r"\r\n|\r|\n")
_BULLET = re.compile(r"[ \t]*(?:[-*+•·‣▪●◦○■□➤►✓✔✅👉]|\d{1,3}[.)])[ \t]+(?=\S)")
_ATX_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]+(?=\S)")
_TERMINAL = ".!?:;,…"
_CLOSERS = "\"'”’)]»"  # closing quotation marks and brackets, which may follow a sentence's end mark
# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    "dr mr mrs ms prof sr jr st vs etc e.g i.e eg ie approx appt no nos inc ltd co corp fig figs al "
    "dept est min max mo yr yrs hr hrs wk wks mg ml mcg cc oz lb lbs ft in sq vol ref refs jan feb mar "
    "apr jun jul aug sep sept oct nov dec mt ph md do rn np pa phd msc bsc".split()
)
# A match starts only at the first mark of a run ("(?<!...)"): tried inside "......", it would rescan the
# rest of the run from every mark, which is quadratic in the length of the run. The pattern starts with
# the mark and looks behind only then: a look-behind tried first is tried at every character, and a mark
# in front of both branches lets the regex engine skip to the next mark instead of trying each character.
_BOUNDARY = re.compile(
    r"""(?P<mark>[.!?…])(?:"""
    r"""(?<![.!?…].)(?P<rest>[.!?…]*["'”’)\]]*)(?P<space>\s+)(?=\S)"""  # punctuation then whitespace
    r"""|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]))"""  # "hair.Book now": a missing space
)
_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."  # of a word before a full stop
# Longer "sentences" are keyword lists or blobs, not prose (the labelled corpus has none over 301
# characters); they are cut at whitespace, because analysing one sentence costs up to the square of its
# length and a 50 MB line without a full stop would otherwise take hours and gigabytes.
MAX_SENTENCE = 1000


class LineIndex:
    """Maps character offsets to 1-based (line, column) in O(log lines); columns count characters."""

    def __init__(self, text: str) -> None:
        if "\r" in text:
            self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        else:  # the same, from str.split: a regex tried at every character is slower
            self._starts = [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, without its line break ("\r\n", "\r" or "\n")."""
    spans, start = [], 0
    if "\r" not in text:  # the same, from str.split: a regex tried at every character is slower
        for line in text.split("\n"):
            spans.append((start, start + len(line)))
            start += len(line) + 1
        return spans
    for match in _NEWLINE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the word before the full stop at `dot` is an abbreviation: the longest run of letters and full
    stops in front of it, from its first letter, within a bounded look-back (which keeps this O(1))."""
    # the word may end before a final "\n", as a regex's "$" matches there
    window = text[max(0, dot - 24):dot].removesuffix("\n")
    word = window[len(window.rstrip(_WORD_CHARS)):].lstrip(".")  # what `[A-Za-z][A-Za-z.]*$` matches
    if not word:
        return False
    word = word.lower().rstrip(".")
    return word in _ABBREVIATIONS or len(word) == 1 or ("." in word and len(word) <= 5)


_LEADING_BLANKS = re.compile(r"[\s\u200b]*")  # a run of what _blank accepts (str.isspace is re's \s)
_CONTENT = re.compile(r"[^\s\u200b]")  # what _blank does not accept
_LINE_BREAK = re.compile(r"[\r\n]")


def _blank(ch: str) -> bool:
    """Whitespace, or the invisible filler that stands for removed markup in Markdown and HTML."""
    return ch.isspace() or ch == "\u200b"


def _split_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], trimmed of surrounding whitespace."""
    out = []
    for span in _cuts(text, start, end):
        for s, e in _cap(text, *span) if span[1] - span[0] > MAX_SENTENCE else (span,):
            leading = _LEADING_BLANKS.match(text, s, e)
            assert leading is not None  # the pattern matches the empty string
            s = leading.end()
            while e > s and _blank(text[e - 1]):
                e -= 1
            if s < e:
                out.append((s, e))
    return out


def _count_span(text: str, start: int, end: int) -> int:
    """len(_split_span(text, start, end)): the pieces with a character that is not blank."""
    found = 0
    for span in _cuts(text, start, end):
        for s, e in _cap(text, *span) if span[1] - span[0] > MAX_SENTENCE else (span,):
            found += _CONTENT.search(text, s, e) is not None
    return found


def _cuts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut at its sentence boundaries, untrimmed."""
    spans, cursor = [], start
    for match in _BOUNDARY.finditer(text, start, end):
        cut = _cut(text, match)
        if cut is not None:
            spans.append((cursor, cut))
            cursor = cut
    spans.append((cursor, end))
    return spans


def _cut(text: str, match: re.Match[str]) -> int | None:
    """Where a `_BOUNDARY` match cuts the text, or None where its full stop ends an abbreviation."""
    mark = match.start()
    if match.start("space") < 0:  # a missing space
        return None if _is_abbreviation(text, mark) else mark + 1
    cut = match.end("rest")
    return None if text[mark] == "." and cut == mark + 1 and _is_abbreviation(text, mark) else cut


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] in pieces of at most MAX_SENTENCE characters, cut at the last blank of a piece's
    second half, or anywhere in a blob with no blank."""
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = next((i for i in range(limit, start + MAX_SENTENCE // 2, -1) if _blank(text[i])), limit)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


_spec_line = LazyPattern(r"[ \t]*[A-Z][\w '’-]{0,30}:[ \t]+\S")


def _breaks_line(content: str, next_content: str) -> bool:
    """An unpunctuated line followed by a capitalised line is a line of its own (a title, a list line, a
    spec row), not prose wrapped in the middle of a sentence: it is short, or clearly shorter than the
    line after it (wrapped prose keeps its lines about as long as each other)."""
    stripped = content.rstrip()
    following = next_content.strip()
    if _spec_line().match(next_content) and (_spec_line().match(content) or stripped[-1:] not in _TERMINAL):
        return True  # "Best for: early thinning" / "Results: 2 to 6 months": rows of a spec list, or a title
    return (
        stripped[-1:] not in _TERMINAL and following.lstrip("\"'“‘([*_")[:1].isupper()
        and (len(stripped) < 50 or (len(stripped) <= 100 and len(stripped.lstrip()) < 0.75 * len(following))
             or len(stripped) <= 200 and _title_case(stripped))
    )


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _title_case(line: str) -> bool:
    """Whether a line is written in Title Case ("Exosome Therapy in Diabetic Wound Repair"), as titles are
    and wrapped prose never is: most of its words of four letters or more start with a capital."""
    words = _LONG_WORD.findall(line)
    capitals = sum(word[0].isupper() for word in words)
    return capitals >= 3 and capitals >= 0.75 * len(words)


def split(text: str) -> list[Sentence]:
    """Split `text` into sentences with their roles and block numbers, in document order."""
    blocks: list[tuple[str, list[tuple[int, int]]]] = []  # role, line content spans
    role, current = TEXT, list[tuple[int, int]]()

    def close() -> None:
        nonlocal current
        if current:
            blocks.append((role, current))
        current = []

    lines = line_spans(text)
    for index, (s, e) in enumerate(lines):
        line = text[s:e]
        if not line.replace("\u200b", "").strip():
            close()
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            close()
            blocks.append((HEADING, [(s + heading.end(), e)]))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            close()
            role, current = ITEM, [(s + bullet.end(), e)]
            continue
        if role == ITEM and current and not line[:1].isspace():
            close()  # an unindented line after a list item starts a paragraph
        if not current:
            role = TEXT
        current.append((s, e))
        if index + 1 < len(lines):
            ns, ne = lines[index + 1]
            if text[ns:ne].strip() and _breaks_line(line, text[ns:ne]):
                close()
    close()

    sentences: list[Sentence] = []
    for block_no, (role, spans) in enumerate(blocks):
        start, end = spans[0][0], spans[-1][1]
        # a line with no end mark is a title; a quotation's closing mark after one does not hide it
        if role == TEXT and len(spans) == 1 and text[start:end].rstrip().rstrip(_CLOSERS)[-1:] not in _TERMINAL \
                and len(text[start:end].strip()) <= 120:
            role = HEADING
        for s, e in _split_span(text, start, end):
            sentences.append(Sentence(s, e, text[s:e], block_no, role))
    return sentences


def count(text: str) -> int:
    """len(split(text)), without making the sentences: only the lines that are not blank are read (most lines
    of masked HTML are blank), and a block's sentences are counted, not cut out. For the summary of a text
    that cannot make a claim (see `Checker.sentences_in`)."""
    total = 0
    role, start, end = TEXT, -1, -1  # the open block: its role and span (start < 0: none)
    lines = _content_lines(text)
    block_count = _Boundaries(text).count
    previous = -1  # where the last line with content ends
    for index, (s, e) in enumerate(lines):
        if start >= 0 and s != previous + (2 if text.startswith("\r\n", previous) else 1):
            total += block_count(start, end)  # a blank line between: the block ends
            start = -1
        previous = e
        line = text[s:e]
        heading = _ATX_HEADING.match(line)
        if heading:
            if start >= 0:
                total += block_count(start, end)
                start = -1
            total += block_count(s + heading.end(), e)
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if start >= 0:
                total += block_count(start, end)
            role, start, end = ITEM, s + bullet.end(), e
            continue
        if role == ITEM and start >= 0 and not line[:1].isspace():
            total += block_count(start, end)  # an unindented line after a list item starts a paragraph
            start = -1
        if start < 0:
            role, start = TEXT, s
        end = e
        if index + 1 < len(lines):
            ns, ne = lines[index + 1]
            if ns == e + (2 if text.startswith("\r\n", e) else 1) and _breaks_line(line, text[ns:ne]):
                total += block_count(start, end)
                start = -1
    if start >= 0:
        total += block_count(start, end)
    return total


def _content_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each whole line (to its break: "\r\n", "\r" or "\n") that is not blank: what `split`
    reads. Found from its first visible character, as most lines of masked HTML are blank and a regex for a
    whole line, tried at every character, is slow."""
    lines = []
    position = 0  # the end of the last line found: a line break, or 0
    size = len(text)
    if "\r" in text:
        while (visible := _CONTENT.search(text, position)) is not None:
            first = visible.start()
            start = max(text.rfind("\n", position, first), text.rfind("\r", position, first)) + 1
            end = _LINE_BREAK.search(text, first)
            position = end.start() if end is not None else size
            lines.append((start, position))
        return lines
    while (visible := _CONTENT.search(text, position)) is not None:  # the same, for "\n" alone
        first = visible.start()
        start = text.rfind("\n", position, first) + 1
        position = text.find("\n", first)
        if position < 0:
            position = size
        lines.append((start, position))
    return lines


class _Boundaries:
    """The sentence boundaries of a whole text, found in one pass, to count a block's sentences without a
    pass of its own.

    A block's boundaries (`_cuts` of text[start:end]) are exactly the boundaries of the whole text that lie
    in the block and end before its end: a match reads only punctuation and whitespace after its mark and
    stops in front of the next visible character, so one that runs past a block's end hides no mark of the
    block, and one that starts before the block stops in front of its first visible character (look-behinds
    see the whole text either way). Only the block's last boundary can run past its end: each boundary is
    followed by a visible character before the next mark. Every sentence but the last contains its mark, so
    only the last needs a test for content."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.marks: list[int] = []  # each boundary's mark, in order
        self.needs: list[int] = []  # the least block end that holds the whole boundary
        self.cuts: list[int] = []  # where it cuts
        for match in _BOUNDARY.finditer(text):
            cut = _cut(text, match)
            if cut is None:
                continue
            mark = match.start()
            self.marks.append(mark)
            # a missing space's look-ahead reads two letters after the mark; otherwise the whitespace, then a
            # visible character
            self.needs.append(mark + 3 if match.start("space") < 0 else match.end() + 1)
            self.cuts.append(cut)

    def count(self, start: int, end: int) -> int:
        """`_count_span(self.text, start, end)`."""
        if end - start > MAX_SENTENCE:  # a piece may need cutting (`_cap`)
            return _count_span(self.text, start, end)
        marks = self.marks
        first = bisect.bisect_left(marks, start)
        last = bisect.bisect_left(marks, end, first)
        if last > first and self.needs[last - 1] > end:
            last -= 1
        cursor = self.cuts[last - 1] if last > first else start
        return last - first + (_CONTENT.search(self.text, cursor, end) is not None)
