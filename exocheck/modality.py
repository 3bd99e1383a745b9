"""How a sentence says what it says: negation and its scope, hedges, questions, attribution, disclaimers.

These are properties of English, not of exosomes, so they live here rather than in the knowledge base; the
word lists themselves are data, in data/language.yaml (see language.py for how it is loaded and checked).
Marketing copy inverts clinical conventions: "no side effects" is a claim (the KB lists it as a cue with
its negator), and a hedge ("may help") lowers severity but never turns a claim into an accurate one.
"""

from __future__ import annotations

import re

from .language import LANGUAGE
from .normalize import ARTICLES, stem
from .patterns import LazyPattern
from .record import FrozenRecord

# A word, or punctuation that breaks a clause (no groups: a grouped alternation scans twice as slowly).
# A word starts with a letter or digit, a break never does.
# "%" is a word ("percent"), so "50% of patients" and "50 percent of patients" read alike and a cue written
# with "%" ("by up to # %") does not match a number without one ("by up to ten years")
_WORD_OR_BREAK = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|%|[,;:()\[\]]|\s-\s|\s-$")
# The word lists, by the names the scans below use (see data/language.yaml for what each is for).
_HARD_BREAK_WORDS = LANGUAGE.hard_break_words
_SOFT_BREAK_WORDS = LANGUAGE.soft_break_words
LOCAL_NEGATORS = _LOCAL_NEGATORS = LANGUAGE.local_negators
_LIST_CONTINUERS = LANGUAGE.list_continuers
_NUMBER_WORDS = LANGUAGE.number_words
# the words after which a break word breaks nothing, by break word: "so" -> {"far", "much", ...}
_UNBROKEN: dict[str, frozenset[str]] = {
    first: frozenset(p[1] for p in LANGUAGE.unbroken_phrases if p[0] == first and len(p) > 1)
    for first in {p[0] for p in LANGUAGE.unbroken_phrases}}
_WIDE_NEGATIONS = LANGUAGE.wide_negations
_APPROVAL_NEGATIONS = LANGUAGE.approval_negations
_APPROVAL_WINDOW = 10  # words an approval negation reaches (a local negator: `window`, six)
_EVIDENCE_WORDS = LANGUAGE.evidence_words
_EVIDENCE_REACH = 5  # a local negator this close before an evidence word denies evidence
_PSEUDO_NEGATIONS = LANGUAGE.pseudo_negations
_NOBODY = LANGUAGE.superlative_negators
_COMPARED = LANGUAGE.superlative_comparisons
_HEDGES = LANGUAGE.hedges
_REPORTING_VERBS = LANGUAGE.reporting_verbs
_CLAIMANTS = LANGUAGE.claimants
_ATTRIBUTION_MARKERS = LANGUAGE.attribution_markers
_SELLING_MARKERS = LANGUAGE.selling_markers
_SELLING_VERBS = LANGUAGE.selling_verbs
_PRONOUNS = LANGUAGE.pronoun_claimants
_CONTRAST = LANGUAGE.contrast_words
_FIRST_PERSON = LANGUAGE.first_person
_SELLER = LANGUAGE.seller_words
_RESEARCH_WORDS = LANGUAGE.research_words
_QUESTION_STARTERS = LANGUAGE.question_starters
_WH = LANGUAGE.wh_words
_QUESTION_INTENSIFIERS = LANGUAGE.question_intensifiers
_DISCLAIMER = re.compile(
    r"not\s+(?:been\s+)?(?:intended|meant|designed)\s+(?:to|for)\s+(?:use\s+(?:to|in)\s+)?"
    r"(?:diagnos|treat|cure|prevent|mitigat)"
    r"|(?:ha(?:ve|s)|were)\s+not\s+been\s+evaluated\s+by\s+(?:the\s+)?(?:fda|food\s+and\s+drug)"
    r"|not\s+(?:been\s+)?evaluated\s+by\s+(?:the\s+)?(?:us\s+)?(?:fda|food\s+and\s+drug)"
)


# The rest of a disclaimer after its verb: the list of verbs and "any disease(s)/condition(s)".
_disclaimer_tail = LazyPattern(r"[^.;!?]*?\b(?:diseases?|conditions?|illness(?:es)?|disorders?)\b|[^.;!?(]*")


_CASED_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?|%")
_WORD_OR_BREAK_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|%")


_quoted = LazyPattern(r'"[^"]+"|(?<![a-z0-9])\'(?=[a-z0-9]).*?(?<=[a-z0-9.!?])\'(?![a-z0-9])')


class Words(FrozenRecord):
    """A folded sentence as a list of words (apostrophes removed) with clause numbers and positions."""

    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "words", "stems", "hard", "soft", "quoted", "upper", "vocab",
    )

    words: list[str]
    stems: list[str]
    hard: list[int]  # clause number per word; increments at punctuation and "but", "however", ...
    soft: list[int]  # increments also at "and"
    quoted: list[bool]  # the word sits inside quotation marks
    upper: list[bool]  # written in capitals in the original ("MS", "ED"), for case-sensitive acronyms
    vocab: frozenset[str]  # the words as a set: "does the sentence have any of ..." is one set test

    def __init__(self, words: list[str], stems: list[str], hard: list[int], soft: list[int], quoted: list[bool],
                 upper: list[bool], vocab: frozenset[str]) -> None:
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "stems", stems)
        object.__setattr__(self, "hard", hard)
        object.__setattr__(self, "soft", soft)
        object.__setattr__(self, "quoted", quoted)
        object.__setattr__(self, "upper", upper)
        object.__setattr__(self, "vocab", vocab)


_SOFT, _HARD = 1, 2
# What a token is, memoised: copy reuses a small vocabulary, and this is the hottest loop of a lint.
_tokens: dict[str, tuple[str, str, int]] = {"%": ("percent", "percent", 0)}


def _token(raw: str) -> tuple[str, str, int]:
    """A word token as (word without apostrophes, stem or "#" for a number, the clause break it makes)."""
    word = raw.replace("'", "") if "'" in raw else raw
    breaks = _HARD if word in _HARD_BREAK_WORDS else _SOFT if word in _SOFT_BREAK_WORDS else 0
    token = (word, "#" if word.isdigit() or word in _NUMBER_WORDS else stem(raw), breaks)
    if len(_tokens) < 100_000:
        _tokens[raw] = token
    return token


def analyse(folded: str, cased: str | None = None) -> Words:
    """Words of a folded sentence; `cased` is the same text folded but not lower-cased."""
    words: list[str] = []
    stems: list[str] = []
    hard: list[int] = []
    soft: list[int] = []
    h = s = 0
    known = _tokens.get
    comma = False  # the last token was a comma: "treats many conditions, including hair loss" is one clause
    raws = _WORD_OR_BREAK.findall(folded)
    for index, raw in enumerate(raws):
        token = known(raw)
        if token is None:
            if not raw[0].isalnum():  # punctuation: a clause break
                h, s = h + 1, s + 1
                comma = raw == ","
                continue
            token = _token(raw)
        word, word_stem, breaks = token
        if comma and word in _LIST_CONTINUERS:
            h, s = h - 1, s - 1
        comma = False
        if breaks and not (word in _UNBROKEN and index + 1 < len(raws) and raws[index + 1] in _UNBROKEN[word]):
            s += 1
            if breaks == _HARD:
                h += 1
        words.append(word)
        stems.append(word_stem)
        hard.append(h)
        soft.append(s)
    quoted = [False] * len(words)
    if '"' in folded or "'" in folded:
        starts = [m.start() for m in _WORD_OR_BREAK.finditer(folded) if m.group()[0].isalnum() or m.group() == "%"]
        for a, b in (m.span() for m in _quoted().finditer(folded)):
            for index, at in enumerate(starts):
                if a < at < b:
                    quoted[index] = True
    upper = [False] * len(words)
    if cased is not None:
        written = cased_words(cased)
        if len(written) == len(words):
            upper = [x.isupper() for x in written]
            if "us" in words:
                for i, word in enumerate(words):
                    if word == "us" and upper[i]:  # "approved in the US" names the country, not the seller
                        words[i] = stems[i] = "usa"
    return Words(words, stems, hard, soft, quoted, upper, frozenset(words))


def cased_words(cased: str) -> list[str]:
    """The words of a sentence folded but not lower-cased, as `analyse` counts them (with apostrophes)."""
    return _CASED_WORD.findall(cased)


def starts_at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(phrase)]) == phrase


def by_first_word(*phrase_lists: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases keyed by their first word, so a scan costs one lookup per word, not one per phrase."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrases in phrase_lists:
        for phrase in phrases:
            index.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(phrases) for first, phrases in index.items()}


def phrase_at(index: dict[str, tuple[tuple[str, ...], ...]], words: list[str], i: int, limit: int) -> str | None:
    """The phrase of `index` that starts at word `i` and ends by `limit`, as text, or None."""
    for phrase in index.get(words[i], ()):
        if i + len(phrase) <= limit and starts_at(words, i, phrase):
            return " ".join(phrase)
    return None


_WIDE_INDEX = by_first_word(_WIDE_NEGATIONS)
_APPROVAL_INDEX = by_first_word(_APPROVAL_NEGATIONS)
_DENIAL_INDEX = by_first_word(_WIDE_NEGATIONS, _APPROVAL_NEGATIONS)
_PSEUDO_INDEX = by_first_word(_PSEUDO_NEGATIONS)
_ATTRIBUTION_INDEX = by_first_word(_ATTRIBUTION_MARKERS)
_ATTRIBUTION_OR_SELLING_INDEX = by_first_word(_ATTRIBUTION_MARKERS, _SELLING_MARKERS)
# Words without which a scan below cannot find anything: most sentences have none of them, and one set
# test of the sentence is cheaper than a lookup per word.
_NEGATION_WORDS = frozenset(_WIDE_INDEX) | frozenset(_APPROVAL_INDEX) | _LOCAL_NEGATORS
_REFUTATION_WORDS = frozenset(_DENIAL_INDEX) | _LOCAL_NEGATORS
_ATTRIBUTION_WORDS = frozenset(_ATTRIBUTION_OR_SELLING_INDEX) | _REPORTING_VERBS | _SELLING_VERBS | {"according"}


def negation_at(w: Words, position: int, window: int = 6) -> str | None:
    """The negator that governs the word at `position`, or None.

    A local negator ("not", "no", "never", "doesn't") reaches `window` words forward within its clause
    and stops at "and"; a wide one ("no evidence that", "not been proven") reaches to the end of the
    clause. Pseudo-negations ("not just", "no more", "without surgery") are skipped.
    """
    words = w.words
    if _NEGATION_WORDS.isdisjoint(w.vocab):
        return None
    for i in range(position - 1, -1, -1):
        if w.hard[i] != w.hard[position]:
            break
        if words[i] not in _NEGATION_WORDS:
            continue
        wide = phrase_at(_WIDE_INDEX, words, i, position)
        if wide:
            return wide
        if w.soft[i] == w.soft[position] and position - i <= _APPROVAL_WINDOW:
            approval = phrase_at(_APPROVAL_INDEX, words, i, position)
            if approval:
                return approval
        if words[i] in _LOCAL_NEGATORS and not phrase_at(_PSEUDO_INDEX, words, i, len(words)) \
                and not (words[i] in _NOBODY and _COMPARED.intersection(words[i + 1 :])):
            if position - i <= window and w.soft[i] == w.soft[position]:
                return words[i]
            evidence = _evidence_word_after(w, i, position)
            if evidence:
                return f"{words[i]} ... {evidence}"
    return None


_STATUS_NOUNS = LANGUAGE.status_nouns
_DEFERRALS = by_first_word(LANGUAGE.deferrals)
_VERBAL_NEGATORS = LANGUAGE.verbal_negators


_spec_row = LazyPattern(r"\s*([A-Za-z][^:\n]{0,38}?)\s*:\s*\S")


_SPEC_USE = frozenset(" ".join(p) for p in LANGUAGE.spec_use_labels)
_SPEC_RESULT = frozenset(" ".join(p) for p in LANGUAGE.spec_result_labels)


def spec_row(text: str) -> str | None:
    """What a spec line says of the product it lists: "use" for "Best for: thinning hair", "result" for
    "Results: visible in 8 weeks", or None for any other line."""
    match = _spec_row().match(text) if ":" in text else None
    if match is None:
        return None
    label = _label(match.group(1))
    return "use" if label in _SPEC_USE else "result" if label in _SPEC_RESULT else None


def spec_label(text: str) -> str | None:
    """What a spec row's label alone says ("use" for "Ideal for", "result" for "Results timeline"), as a
    table's first cell or a definition list's term may be; None for any other text."""
    label = _label(text)
    return "use" if label in _SPEC_USE else "result" if label in _SPEC_RESULT else None


def _label(text: str) -> str:
    """A label's words as the label lists hold them: lower case, apostrophes dropped, single spaces."""
    return " ".join(_WORD_OR_BREAK_WORDS.findall(text.lower().replace("'", "")))


def list_label(text: str) -> str | None:
    """What a line ending in ":" with no verb of its own says of the list under it: "use" for "Conditions
    treated:" or "Benefits:" (its items are claims), or None."""
    return "use" if _label(text) in _SPEC_USE else None


_NEGATED_SUBJECT = LANGUAGE.negated_subjects
_NEGATED_QUANTITIES = LANGUAGE.negated_quantities
_UNASSERTED_INDEX = by_first_word(LANGUAGE.unasserting_phrases)
_UNASSERTED_FIRST = frozenset(_UNASSERTED_INDEX)
_REQUIREMENT_INDEX = by_first_word(LANGUAGE.requirement_phrases)
_REQUIREMENT_FIRST = frozenset(_REQUIREMENT_INDEX)


def negated_subject(w: Words) -> str | None:
    """A sentence whose subject is negated denies its verb however far away: "No product containing
    exosomes, whether human, animal or plant derived, is approved for sale.", "As of 2026, not one
    exosome product ... has FDA approval." The subject opens the sentence or its first clause after a
    short opening phrase; "not" negates it when a quantity follows ("not one", "not a single")."""
    words, hard = w.words, w.hard
    for i in range(min(len(words), SUBJECT_OPENS)):
        if i and hard[i] == hard[i - 1]:
            continue  # not the first word of a clause
        word = words[i]
        if word == "not" and words[i + 1 : i + 2] and words[i + 1] in _NEGATED_QUANTITIES:
            return "not " + words[i + 1]
        if word in _NEGATED_SUBJECT and not phrase_at(_PSEUDO_INDEX, words, i, len(words)):
            return word
    return None


SUBJECT_OPENS = 6  # an opening phrase before a negated subject is this short: "As of 2026, not one ..."


def unasserted(w: Words, position: int, reach: int = 4) -> str | None:
    """A condition, a hope or a request shortly before the word at `position`, in its clause: "if it
    proves effective", "once exosomes are approved", "seeks approval for a trial". Nothing is asserted."""
    return _phrase_before(w, position, reach, _UNASSERTED_INDEX, _UNASSERTED_FIRST)


def asks_about(w: Words, position: int) -> str | None:
    """A question word right before the cue at `position` (an article may stand between): "what research has
    found so far", "how studies show ..." name a question inside the sentence; they assert no answer."""
    i = position - 1
    if i > 0 and w.words[i] in ARTICLES:
        i -= 1
    return w.words[i] if i >= 0 and w.words[i] in _WH and w.hard[i] == w.hard[position] else None


def required(w: Words, position: int, reach: int = 8) -> str | None:
    """A requirement shortly before the word at `position`, in its clause: "they must receive FDA approval
    before they can be sold" states the rule, not that they have it."""
    return _phrase_before(w, position, reach, _REQUIREMENT_INDEX, _REQUIREMENT_FIRST)


def _phrase_before(w: Words, position: int, reach: int, index: dict[str, tuple[tuple[str, ...], ...]],
                   first_words: frozenset[str]) -> str | None:
    """One of `index`'s phrases (`first_words`: their first words) starting at most `reach` words before
    `position`, in its clause."""
    if w.vocab.isdisjoint(first_words):
        return None
    for i in range(position - 1, max(-1, position - 1 - reach), -1):
        if w.hard[i] != w.hard[position]:
            break
        found = phrase_at(index, w.words, i, position + 1) if w.words[i] in index else None
        if found:
            return found
    return None


def denies_saying(w: Words, position: int) -> bool:
    """Whether the word at `position` is what someone says they do not claim: "We do not claim that
    exosomes cure hair loss" neither makes the claim nor denies it."""
    if _REPORTING_VERBS.isdisjoint(w.vocab):
        return False
    clause = w.hard[position]
    for j in range(position - 1, -1, -1):
        if w.hard[j] != clause:
            return False
        if w.words[j] in _REPORTING_VERBS:
            return any(w.words[i] in _LOCAL_NEGATORS for i in range(max(0, j - 3), j))
    return False


def denied_after(w: Words, end: int, window: int = 5, deferral_window: int = 8, start: int | None = None) -> str | None:
    """A status noun denied or put off by what follows it: "FDA approval of exosomes has not happened", "FDA
    approval is still years away".

    Only after a noun such as "approval", and only a verbal negator in the same clause up to "and", so
    "FDA-approved with no downtime" stays an approval claim.
    """
    # the status noun ends the cue, or stands in it ("FDA approval for ..." matches "approved for")
    if end == 0 or _STATUS_NOUNS.isdisjoint(w.words[end - 1 if start is None else start : end]):
        return None
    for j in range(end, min(len(w.words), end + max(window, deferral_window))):
        if w.soft[j] != w.soft[end - 1]:
            break
        if w.words[j] in _VERBAL_NEGATORS and j < end + window:
            return w.words[j]
        deferral = phrase_at(_DEFERRALS, w.words, j, len(w.words)) if w.words[j] in _DEFERRALS else None
        if deferral:  # "FDA approval ... is still years away"
            return deferral
    return None


def denied_before_list(w: Words, start: int, reach: int) -> str | None:
    """An approval denied at most `reach` words before `start`, across the commas of a list: "has not been
    approved, cleared or licensed by the FDA" denies all three."""
    words = w.words
    for i in range(start - 1, max(-1, start - reach - 4), -1):
        if words[i] in _CONTRAST:
            return None
        if words[i] in _APPROVAL_INDEX:
            phrase = phrase_at(_APPROVAL_INDEX, words, i, start)
            if phrase and start - (i + phrase.count(" ") + 1) <= reach:
                return phrase
    return None


def denied_object(w: Words, end: int) -> str | None:
    """A negated object right after an approval cue: "the FDA has approved no exosome products", "cleared
    zero therapies", "approved not one"; the approval is denied, not claimed."""
    words = w.words
    if end < len(words) and words[end] in _NEGATED_SUBJECT:
        return words[end]
    if end + 1 < len(words) and words[end] == "not" and words[end + 1] in _NEGATED_QUANTITIES:
        return f"not {words[end + 1]}"
    return None


def found_nothing(w: Words, end: int) -> str | None:
    """A negator right after an evidence cue (or after its "that"): "a trial found no difference", "studies
    showed no benefit", "research found that it did not help" report a null result, not proof."""
    j = end + 1 if end < len(w.words) and w.words[end] == "that" else end
    for k in range(j, min(len(w.words), j + 3)):  # "no", "it did not", "exosomes had no"
        if w.hard[k] != w.hard[end - 1]:
            break
        if w.words[k] in LOCAL_NEGATORS:
            return w.words[k]
    return None


def _evidence_word_after(w: Words, negator: int, limit: int) -> str | None:
    """The evidence word ("shown", "trial") a negator governs, if it comes soon after it and before `limit`."""
    for j in range(negator + 1, min(limit, negator + 1 + _EVIDENCE_REACH)):
        if w.hard[j] != w.hard[negator]:
            break
        if w.words[j] in _EVIDENCE_WORDS:
            return w.words[j]
    return None


def refutation(w: Words) -> str | None:
    """A phrase that denies a claim somewhere in the sentence ("no evidence", "unproven"), or None."""
    words = w.words
    if _REFUTATION_WORDS.isdisjoint(w.vocab):
        return None
    for i, word in [(i, word) for i, word in enumerate(words) if word in _REFUTATION_WORDS]:
        if word in _DENIAL_INDEX:
            denial = phrase_at(_DENIAL_INDEX, words, i, len(words))
            if denial:
                return denial
        if word in _LOCAL_NEGATORS:
            evidence = _evidence_word_after(w, i, len(words))
            if evidence:
                return f"{word} ... {evidence}"
    return None


def hedge_at(w: Words, position: int, window: int = 5) -> str | None:
    """A hedge ("may", "could", "potentially") shortly before the word at `position`, same clause."""
    for i in range(position - 1, max(-1, position - 1 - window), -1):
        if w.soft[i] != w.soft[position]:
            break
        if w.words[i] in _HEDGES:
            return w.words[i]
    return None


def attribution_at(w: Words, position: int, critical: bool = True) -> str | None:
    """Why the word at `position` is someone else's claim being reported, or None.

    Covers "clinics claim ...", "the company says ...", "according to the clinic ...", "marketed as",
    "so-called", and a claim in quotation marks next to a reporting verb, except in a promotional feature
    (not `critical`) that quotes a doctor, who speaks for the page. First-person reporting ("we promise",
    "our patients say") stays the author's own claim.
    """
    words = w.words
    if _ATTRIBUTION_WORDS.isdisjoint(w.vocab):
        return None
    # the author's voice: a seller word, unless a critical article quotes it ("'Our exosomes regrow hair,'
    # the clinic's owner said"); in a press release the quoted CEO's "our" is the author's
    seller = not _SELLER.isdisjoint(w.vocab) and (
        not critical or any(word in _SELLER and not w.quoted[i] for i, word in enumerate(words)))
    markers = _ATTRIBUTION_INDEX if seller else _ATTRIBUTION_OR_SELLING_INDEX
    for i in range(position - 1, -1, -1):
        if words[i] in _CONTRAST:
            break  # "Clinics claim X, but our serum regrows hair": after "but" the author speaks again
        marker = phrase_at(markers, words, i, position)
        if marker:
            return marker
        # a selling verb reports only its own clause: "a clinic is offering exosome injections, a new
        # treatment that repairs joints" describes the product in the writer's voice after the comma
        if words[i] in _REPORTING_VERBS or (words[i] in _SELLING_VERBS and not seller and w.hard[i] == w.hard[position]):
            reach = 6  # "clinics in Mexico and Panama market ...", "a clinic in Boca Raton is advertising"
            before = [x for x in words[max(0, i - reach) : i] if x not in ARTICLES]
            # the claimant nearest the verb speaks; "our clinic says", "we say" are the author's own voice,
            # while "my cousin's clinic says" reports someone else
            speaker = next((j for j in range(len(before) - 1, -1, -1) if before[j] in _CLAIMANTS), None)
            if speaker is not None and (words[i] in _REPORTING_VERBS or before[speaker] not in _PRONOUNS) \
                    and _FIRST_PERSON.isdisjoint(before[max(0, speaker - 1):]):
                return f"{before[-1]} {words[i]}"
        if words[i] == "according" and i + 1 < len(words) and words[i + 1] == "to":
            after = words[i + 2 : i + 6]
            if _CLAIMANTS.intersection(after) and not _FIRST_PERSON.intersection(after):
                return "according to"
    if w.quoted[position] and not _REPORTING_VERBS.isdisjoint(w.vocab) and not seller \
            and (critical or _EXPERTS.isdisjoint(w.vocab) and not _INTERVIEW_VERBS.issuperset(
                _REPORTING_VERBS.intersection(w.vocab))):
        # a promotional feature's quoted expert speaks for it, named ("says Dr Agarwal") or, in an
        # interview, by pronoun ("..., she says"); a post someone "wrote" or "claimed" is still reported
        return "quoted"
    return None


_OUTLINE_OPENERS = by_first_word(LANGUAGE.outline_openers)
_DOCUMENT_WORDS = LANGUAGE.document_words
_OUTLINE_VERBS = LANGUAGE.outline_verbs
_AIM_LABELS = LANGUAGE.aim_labels
OUTLINE_REACH = 3  # words between the document's name and its verb: "This review of the literature discusses"


def outlines_document(w: Words) -> bool:
    """Whether the sentence says what its own document does ("This review discusses ...", "Objective: To
    review ..."): an outline, which claims nothing and states no fact."""
    words = w.words
    if len(words) > 1 and words[0] in _AIM_LABELS and words[1] == "to":
        return True
    opener = phrase_at(_OUTLINE_OPENERS, words, 0, len(words)) if words and words[0] in _OUTLINE_OPENERS else None
    if opener is None:
        return False
    i = opener.count(" ") + 1
    return i < len(words) and words[i] in _DOCUMENT_WORDS \
        and not _OUTLINE_VERBS.isdisjoint(words[i + 1 : i + 2 + OUTLINE_REACH])


def describes_research(w: Words) -> str | None:
    """A word showing the sentence reports research ("in a rabbit model", "a phase II trial"), or None.

    The seller's own voice ("our trial", "we tested") is marketing, not a research report.
    """
    if not _SELLER.isdisjoint(w.vocab) or _RESEARCH_WORDS.isdisjoint(w.vocab):
        return None
    words = w.words
    for i, word in enumerate(words):
        if word in _RESEARCH_WORDS and (word != "phase" or _numbers_a_phase(words[i + 1 : i + 2])):
            return word
    return None


def _numbers_a_phase(after: list[str]) -> bool:
    """Whether the word after "phase" numbers a trial's phase ("phase II", "phase 1b"): "the growth phase"
    of hair is biology, not research."""
    return bool(after) and _trial_phase().fullmatch(after[0]) is not None


_trial_phase = LazyPattern(r"[0-9][a-z]?|[iv]+[ab]?")


# A document written in the voice of research (an abstract, a review, a talk, a trial report): its hedged
# claims and "studies show" describe research rather than sell a product. Markers are weighted: section
# labels and first-person research phrases are near-certain, single research words are weak.
def _phrases_regex(phrases: tuple[tuple[str, ...], ...]) -> str:
    return r"\b(?:" + "|".join(r"\W+".join(map(re.escape, p)) for p in sorted(phrases, key=len, reverse=True)) + r")\b"


def _section_label(labels: list[tuple[str, ...]]) -> str:
    """A line that is one of `labels`, alone or before ":" (blanks, not \\s: a run of line breaks must not be
    rescanned from each of them)."""
    return r"^[ \t]*(?:" + "|".join(r"[ \t]+".join(label) for label in sorted(labels)) + r")[ \t]*(?::|$)"


# A label that product spec sheets use too ("Results: visible in weeks") is only a weak sign of research.
_SPEC_LABELS = set(LANGUAGE.spec_use_labels) | set(LANGUAGE.spec_result_labels)
_RESEARCH_REGISTER = re.compile(
    _section_label([label for label in LANGUAGE.research_section_labels if label not in _SPEC_LABELS]) + "|"
    + _phrases_regex(LANGUAGE.research_voice), re.MULTILINE)
_RESEARCH_WEAK = re.compile(
    _section_label([label for label in LANGUAGE.research_section_labels if label in _SPEC_LABELS]) + "|"
    + _phrases_regex(LANGUAGE.research_markers), re.MULTILINE)
_SELLING_REGISTER = re.compile(_phrases_regex(LANGUAGE.selling_voice))
RESEARCH_REGISTER_FROM = 3


_EXPERTS = LANGUAGE.professionals | LANGUAGE.expert_titles
_INTERVIEW_VERBS = LANGUAGE.interview_verbs
_CRITICAL_REGISTER = re.compile(_phrases_regex(LANGUAGE.critical_voice))


def critical_register(folded: str) -> bool:
    """Whether a document questions exosome claims (a news or explainer article that cites the FDA, a
    warning or missing evidence), so that the claims it quotes are reported rather than endorsed."""
    return _CRITICAL_REGISTER.search(folded) is not None


def research_register(folded: str) -> bool:
    """Whether a whole document reads as research (an abstract, review, talk or trial report) and not as
    selling: strong research markers count 3, weak ones 1, and any sign of a seller rules it out."""
    if _SELLING_REGISTER.search(folded):
        return False
    score = 3 * len(_RESEARCH_REGISTER.findall(folded))
    if score < RESEARCH_REGISTER_FROM:
        score += len(_RESEARCH_WEAK.findall(folded))
    return score >= RESEARCH_REGISTER_FROM


# The body's own biology, not a product: "Our own cells release them to ...", "cells release exosomes
# naturally to communicate"; and the words that put a product back into such a sentence.
_ENDOGENOUS_INDEX = by_first_word(LANGUAGE.endogenous_phrases)
_ENDOGENOUS_FIRST = frozenset(_ENDOGENOUS_INDEX)
_PRODUCT_WORDS = LANGUAGE.product_words


def endogenous(w: Words) -> str | None:
    """A phrase showing the sentence describes the body's own exosomes and cells, not a product on sale."""
    words = w.words
    if _ENDOGENOUS_FIRST.isdisjoint(w.vocab) or not _PRODUCT_WORDS.isdisjoint(w.vocab):
        return None
    for i, word in enumerate(words):
        if word in _ENDOGENOUS_INDEX:
            found = phrase_at(_ENDOGENOUS_INDEX, words, i, len(words))
            if found:
                return found
    return None


# Verbs in the past tense that report what a study found ("mExo promoted recovery", "scores rose").
_PAST_FINDINGS = LANGUAGE.past_findings


def reports_finding(w: Words, anchor: int) -> bool:
    """Whether the claim at `anchor` is told in the past tense, as a study's result is ("mExo promoted
    functional recovery"), rather than as a general truth ("exosomes improve cognition")."""
    clause = w.hard[anchor]
    return any(w.hard[i] == clause and w.words[i] in _PAST_FINDINGS for i in range(max(0, anchor - 12), anchor + 1))


def disclaimer_span(folded: str) -> tuple[int, int] | None:
    """Word indexes [first, last] of a disclaimer ("not intended to diagnose, treat ... any disease").

    The disclaimer makes no claim, but a claim before or after it in the same sentence still counts
    ("Supports hair growth; not intended to diagnose, treat, cure or prevent any disease.").
    """
    match = _DISCLAIMER.search(folded) if "not" in folded else None  # every disclaimer says "not"
    if match is None:
        return None
    first = len(_WORD_OR_BREAK_WORDS.findall(folded, 0, match.start()))
    tail = _disclaimer_tail().match(folded, match.end())
    end = tail.end() if tail else match.end()
    return first, len(_WORD_OR_BREAK_WORDS.findall(folded, 0, end)) - 1


_ADVICE_VERBS = LANGUAGE.advice_verbs
_CAUTION_INDEX = by_first_word(LANGUAGE.caution_phrases)
_CAUTION_FIRST = frozenset(_CAUTION_INDEX)
_PROFESSIONALS = LANGUAGE.professionals


def advice_clauses(w: Words) -> set[int]:
    """Clauses that send the reader to a professional ("ask your doctor about proven treatments"):
    no claim there. A sales call to action ("Ask me how exosomes cleared my melasma") is not advice."""
    advice = set()
    if not _ADVICE_VERBS.isdisjoint(w.vocab):
        starts: dict[int, int] = {}
        for i, clause in enumerate(w.hard):
            starts.setdefault(clause, i)
        advice = {clause for clause, i in starts.items() if w.words[i] in _ADVICE_VERBS
                  and _PROFESSIONALS.intersection(w.words[i + 1 : i + 5])}
    if not _CAUTION_FIRST.isdisjoint(w.vocab):
        # "be wary of clinics that guarantee results": what the reader is warned of is no claim
        advice.update(w.hard[i] for i, word in enumerate(w.words)
                      if word in _CAUTION_INDEX and phrase_at(_CAUTION_INDEX, w.words, i, len(w.words)))
    return advice


def is_approval_negation(negator: str) -> bool:
    """Whether a negator returned by `negation_at` denies approval ("not approved") rather than an effect."""
    return tuple(negator.split()) in _APPROVAL_NEGATIONS


def is_question(text: str, words: list[str], unpunctuated: bool) -> bool:
    """A question is not an assertion: it ends with '?', or is an unpunctuated line that reads as one."""
    stripped = text.rstrip(" \t\"'”’)]*_~!.\u2026\ufe0f")
    if text.rstrip().rstrip("\"'”’)]*_~ \ufe0f").endswith("?") or stripped.endswith("?"):
        return True
    if unpunctuated and len(words) >= 2:
        first, second = words[0], words[1]
        if first in _QUESTION_STARTERS and second not in ("not",):
            return True
        if first in _WH and (second in _QUESTION_STARTERS or second in _QUESTION_INTENSIFIERS):
            return True
    return False
