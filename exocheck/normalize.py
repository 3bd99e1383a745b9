"""Text normalisation, tokenising and stemming shared by the knowledge base and the checker.

Both sides go through the same functions, so a KB term and the copy it should match meet in one form:
Unicode look-alikes folded, case folded, hyphens and spaces equivalent, word endings stripped.
"""

from __future__ import annotations

import re
import unicodedata

from .language import LANGUAGE

# Characters that show nothing but would split a word for the matcher ("exo\u202esomes" displays as
# "exosomes"): bidirectional marks, embeddings, overrides and isolates, variation selectors and tag
# characters. Folding deletes them like zero-width spaces; findings still point into the original text,
# because only the matcher reads folded text.
_INVISIBLE = [
    0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xFE00, 0xFE10),
    *range(0xE0000, 0xE0080), *range(0xE0100, 0xE01F0),
]

# Letters from other scripts that look Latin ("FDA-аpprоvеd" with Cyrillic а, о, е) and typographic
# punctuation that copy pasted from word processors carries.
_FOLD = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h",
        "ӏ": "l", "ԛ": "q", "ԝ": "w",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
        "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
        # Greek
        "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
        "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
        "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ζ": "Z",
        # quotes, dashes, invisible characters
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "⁃": "-",
        "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    }
    | dict.fromkeys(_INVISIBLE)
)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|%")


def fold(text: str) -> str:
    """Return `text` in the one form matching works on: NFKC, look-alikes folded, lower case."""
    return fold_keep_case(text).casefold()


def fold_keep_case(text: str) -> str:
    """`fold` without lower-casing, for the few acronyms that are only terms in capitals ("MS", "ED")."""
    if not text.isascii() and "\u200b" in text:  # masked markup leaves zero-width spaces, which fold away
        bare = text.replace("\u200b", "")
        if bare.isascii():
            text = bare
    if text.isascii():  # NFKC leaves ASCII alone, and the backtick is the table's only ASCII entry
        return text.replace("`", "'") if "`" in text else text
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def tokens(folded: str) -> list[str]:
    """Split already-folded text into word tokens; hyphens, slashes and punctuation separate words, and "%"
    is the word "percent" (as `modality.analyse` reads it)."""
    return [token if token != "%" else "percent" for token in _TOKEN.findall(folded)]


_PLURAL_KEEP = ("ss", "us", "is", "ys")
# Derivational endings, tried in order; a stem keeps at least three letters.
_SUFFIXES = (
    ("ization", "iz"), ("isation", "iz"), ("ational", "at"), ("ation", "at"), ("ion", ""),
    ("ive", ""), ("ment", ""), ("ness", ""), ("ity", ""), ("ing", ""), ("ied", "y"), ("ed", ""),
    ("ly", ""), ("al", ""), ("ory", ""),
)
# Past forms no suffix rule reaches: "regrew" must meet "regrow".
_IRREGULAR = {"regrew": "regrow", "regrown": "regrow", "grew": "grow", "grown": "grow", "rebuilt": "rebuild",
              "fought": "fight", "took": "take", "gave": "give", "made": "make"}
_stem_memo: dict[str, str] = {}


def stem(word: str) -> str:
    """Reduce a folded token to a stem shared by its inflections (regrows/regrowing -> regrow).

    Deliberately light: it only has to make KB terms and copy meet, and both use it. Memoised because
    marketing copy reuses a small vocabulary.
    """
    cached = _stem_memo.get(word)
    if cached is not None:
        return cached
    w = word
    w = w.removesuffix("'s")
    w = w.replace("'", "")
    w = _IRREGULAR.get(w, w)  # then stemmed like the base form
    if len(w) >= 3 and w.endswith("s") and not w.endswith(_PLURAL_KEEP):
        w = w[:-3] + "y" if w.endswith("ies") and len(w) > 4 else w[:-1]
    if len(w) > 3 and not w.isdigit():
        for _ in range(2):
            for suffix, replacement in _SUFFIXES:
                if w.endswith(suffix) and len(w) - len(suffix) + len(replacement) >= 3:
                    w = w[: len(w) - len(suffix)] + replacement
                    break
            else:
                break
        if w.endswith("e") and len(w) > 3:
            w = w[:-1]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
    if len(_stem_memo) < 200_000:
        _stem_memo[word] = w
    return w


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """Stems of a KB phrase as the matcher indexes them: articles dropped, `#` a number, `*` a short gap."""
    out = []
    for part in fold(phrase).replace("#", " 0 ").split():
        if part == "*":
            out.append("*")
            continue
        for token in tokens(part):
            if token in ARTICLES:
                continue
            out.append("#" if token.isdigit() else stem(token))
    return tuple(out)


ARTICLES = LANGUAGE.articles  # ignored inside phrases: "approved by the FDA" meets "approved by FDA"
