"""What a sentence is about, across sentences: the discourse context that earlier sentences and headings
establish, and whether a sentence names an exosome product, inherits one, or may only state facts.

See docs/design.md, "How a sentence becomes findings", step 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import modality
from .hits import SentenceHits
from .language import LANGUAGE
from .lexicon import BENEFIT, STRONG, SUBJECT, TOPIC, USE, WEAK, WEAK_SUBJECT, Hit
from .normalize import fold, fold_keep_case
from .record import Record
from .segment import HEADING, ITEM, TEXT

_PEOPLE = LANGUAGE.people
_PRODUCT_ANAPHORS = LANGUAGE.product_anaphors
_COMPARISON = LANGUAGE.comparison_words
_OTHER_PRODUCTS = LANGUAGE.other_products
_PRODUCT_OPENERS = LANGUAGE.product_openers
_OTHER_KINDS = LANGUAGE.other_kinds
_FIELDS = LANGUAGE.field_words
# words by which a sentence that names no product still speaks of it or of those it treats
_POINTERS = LANGUAGE.product_anaphors | LANGUAGE.first_person | LANGUAGE.recipients
_TREATED = LANGUAGE.recipients  # "most of his patients notice less pain": about those the product treated
_READER_IMPERATIVES = LANGUAGE.reader_imperatives  # "Watch dark spots fade away.": the seller to the reader
_RESULT_VERBS = LANGUAGE.result_verbs
_BARE_DEGREES = LANGUAGE.bare_degrees
_PASSIVE = LANGUAGE.passive_auxiliaries
_RESULT_REACH = 3  # a result verb this many words at most before its predicate: "becomes visibly firmer"
_PRODUCT_NOUNS = LANGUAGE.product_nouns
_TITLES = LANGUAGE.expert_titles
_NAME_DEFINERS = LANGUAGE.name_definers
_NAMING = modality.by_first_word(LANGUAGE.naming_words)
_DEFINITION_BREAKS = LANGUAGE.definition_breaks
# what a product's name cannot be: a common word, a word that points back or names a kind of product
_COMMON = LANGUAGE.english_function_words | _POINTERS | LANGUAGE.product_words
# words that may stand between a product term and the name given to it: "exosome serum ExoGlow"
_NAMED_THINGS = LANGUAGE.product_words | LANGUAGE.product_anaphors
_COPULAS = LANGUAGE.name_copulas  # "Zofin is a cell-free, exosome-based therapeutic"
_DEFINITION_REACH = 10  # a definer ("a", "its") this many words at most before the product term it describes
_CONDITION_OPENS = 4  # a condition named in a sentence's first words is its subject
# A short name in brackets, with a capital in it: "(mExo)", "(MSC-Exos)", "(sEVs)".
_ABBREVIATION = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{0,15})\)")


class Context(Record):
    """What earlier sentences established: whose claims these are, and the last topic named."""

    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "subject", "topics", "heading_topics", "lead_in", "research", "critical", "aliases", "label",
    )

    subject: str | None  # "exosome" | "other" | None
    topics: tuple[str, ...]  # named by the previous sentence that named any
    heading_topics: tuple[str, ...]  # named by the current section's heading
    lead_in: Hit | None  # the verb of a line ending in ":" that introduces a list
    research: bool  # the document reads as research (an abstract, a review), not as selling
    critical: bool  # the document questions exosome claims: a quotation in it reports, not endorses
    aliases: tuple[tuple[str, ...], ...]  # short names the document gave its product: "exosomes (mExo)"
    label: Hit | None  # a spec label alone on its line (a table's or definition list's first cell)

    def __init__(self, subject: str | None = None, topics: tuple[str, ...] = (),
                 heading_topics: tuple[str, ...] = (), lead_in: Hit | None = None, research: bool = False,
                 critical: bool = True, aliases: tuple[tuple[str, ...], ...] = (), label: Hit | None = None) -> None:
        self.subject = subject
        self.topics = topics
        self.heading_topics = heading_topics
        self.lead_in = lead_in
        self.research = research
        self.critical = critical
        self.aliases = aliases
        self.label = label

    def lead_in_for(self, text: str, role: str) -> Hit | None:
        """The verb a line takes from outside itself: a list item the lead-in's ("Our exosome therapy helps
        with:"), a spec row its label's ("Best for: thinning hair", "Results: within weeks")."""
        spec = modality.spec_row(text)
        if spec is not None and not (self.research and spec == "result"):  # an abstract's "Results: ..."
            return Hit(USE if spec == "use" else WEAK, spec, 0, 0, text.split(":")[0].strip())
        if self.label is not None and role == HEADING:
            return self.label  # the value cell after a label cell: "Ideal for" | "early thinning"
        return self.lead_in if role == ITEM else None

    def names_by_alias(self, words: list[str]) -> bool:
        """Whether the sentence names the product by a short name the document gave it earlier."""
        return any(modality.starts_at(words, i, alias) for alias in self.aliases for i in range(len(words)))

    def follow(self, hits: SentenceHits, text: str, role: str, explicit: bool, other: bool,
               names: tuple[tuple[str, ...], ...] = ()) -> None:
        """What a sentence leaves to the ones after it: its subject, its topics, a list's lead-in verb, a
        spec label's verb, the names it gives the product it names (`names_given`)."""
        if explicit:
            self.subject = "exosome"
            self.aliases += tuple(a for a in names if a not in self.aliases)
        elif other:
            self.subject = "other"
        if hits.named:
            self.topics = hits.named
        if role == HEADING:
            self.heading_topics = hits.named
        if role != ITEM:
            self.lead_in = None
            if text.rstrip().endswith(":"):  # "Our exosome therapy helps with:", "Conditions treated:"
                label = modality.list_label(text)
                self.lead_in = hits.first_verb or (Hit(USE, label, 0, 0, text.rstrip(" :")) if label else None)
        # a spec label alone on its line lends its verb to the value on the next: an HTML table's "Ideal for"
        # cell before its "early thinning" cell, a definition list's term before its description
        spec = modality.spec_label(text) if role == HEADING and ":" not in text else None
        self.label = Hit(USE if spec == "use" else WEAK, spec, 0, 0, text.strip()) if spec else None


def subject_of(words: list[str], hits: SentenceHits, role: str, context: Context, explicit: bool, other: bool,
               strong: Callable[[], bool]) -> str | None:
    """How the sentence is about an exosome product: "explicit" (it names one), "context" (it inherits
    one from the sentences before), "facts" (it names none, on a page that does: only accurate facts are
    taken from it) or None. `strong` tells whether the page names an exosome product by a strong term; it is
    asked only for a sentence that names none and cannot inherit one."""
    if explicit:
        return "explicit"
    if context.subject == "exosome" and not other and not _about_a_person(words) \
            and not _names_another_product(words) \
            and not (role == TEXT and bool(words) and words[0] not in _PRODUCT_ANAPHORS
                     and _about_a_condition(hits.every)):
        if role == TEXT and _POINTERS.isdisjoint(words) and not _opens_on_a_claim(words, hits.every) \
                and not speaks_to_reader(words) and not _tells_a_result(words, hits):
            return "ambient"
        return "context"
    if not other and strong():
        # A page about exosome products states facts without naming them: "Data are still scarce."
        return "facts"
    return None


def names_given(text: str, w: modality.Words, hits: SentenceHits) -> tuple[tuple[str, ...], ...]:
    """Names the sentence gives the exosome product it names: a short name in brackets right after the
    product term ("MSC-derived exosomes (mExo) were taken up ..."), or a product's own name (`_name_places`)."""
    words = w.words
    subjects = [hit for hit in hits.every if hit.category == SUBJECT]
    ends = {hit.end for hit in subjects}
    found = []
    for match in _ABBREVIATION.finditer(text) if "(" in text else ():
        name = match.group(1)
        if name.islower():
            continue  # "(see below)", "(often)": a remark, not a name
        alias = tuple(modality.analyse(fold(name)).words)  # the words as every sentence is read
        if alias and any(modality.starts_at(words, end, alias) for end in ends):
            found.append(alias)
    # a name is a capitalised word; past the first, a capital shows in the text itself (a cheap test, as
    # most sentences have none), and the first can only be a name defined right after it ("Zofin is a ...")
    if subjects and (text[1:] != text[1:].lower()
                     or len(words) > 2 and (words[1] in _COPULAS or w.hard[0] != w.hard[1])):
        places = _name_places(w, subjects, hits)
        if places:  # only now the words as written: most sentences have no place for a name
            written = modality.cased_words(fold_keep_case(text))
            if len(written) == len(words):
                found.extend((words[i],) for i, shaped in places if _a_name(written[i], shaped))
    return tuple(found)


def _name_places(w: modality.Words, subjects: list[Hit], hits: SentenceHits) -> list[tuple[int, bool]]:
    """Where the sentence may give a product term a name of its own, and whether the name there must have a
    brand's shape: "Zofin is a cell-free, exosome-based therapeutic", "VeloGen, its extracellular vesicle
    therapy, ...", "its exosome product, called Zofin", "our exosome serum ExoGlow" (see name_definers in
    data/language.yaml). The words as written decide (`_a_name`). A brand right before the term ("the ReGenix
    Exosome Serum") is not looked for: the word there is most often an adjective ("placental", "derived"),
    and telling the two apart would cost each such sentence its words as written."""
    words = w.words
    taken = {i for hit in hits.every for i in range(hit.start, hit.end)}

    def free(i: int) -> bool:
        """A word that is no common word, no other therapy and no hit (a term, a verb, a condition)."""
        return 0 <= i < len(words) and words[i] not in _COMMON and i not in hits.others and i not in taken

    places: list[tuple[int, bool]] = []
    for hit in subjects:
        # before: NAME is/, DEFINER ... TERM, with no break word between the definer and the term
        for d in range(hit.start - 1, max(-1, hit.start - _DEFINITION_REACH), -1):
            if words[d] in _DEFINITION_BREAKS:
                break
            if words[d] in _NAME_DEFINERS:
                if d >= 2 and words[d - 1] in _COPULAS and free(d - 2):
                    places.append((d - 2, d - 2 > 0))
                elif d >= 1 and w.hard[d - 1] != w.hard[d] and free(d - 1):
                    places.append((d - 1, False))
                break
        # after: TERM [product word] [naming word] NAME
        i = hit.end
        while i < len(words) and i - hit.end < 2 and words[i] in _NAMED_THINGS:
            i += 1
        naming = modality.phrase_at(_NAMING, words, i, len(words)) if i < len(words) else None
        if naming is not None:
            i += naming.count(" ") + 1
        if i > hit.end and free(i):
            places.append((i, naming is None))
    return places


def _a_name(word: str, shaped: bool) -> bool:
    """Whether a word as written is a name: capitalised, three letters or more and, if `shaped`, in a brand's
    shape too (a capital inside or a digit: "ExoFlo", "AB126")."""
    if not word[:1].isupper() or len(word) < 3:
        return False
    rest = word[1:]
    return not shaped or rest != rest.lower() or not rest.isalpha()


def names_other_therapy(words: list[str], hits: SentenceHits) -> bool:
    """Whether another therapy (PRP, minoxidil ...) is what the sentence is about."""
    return any(_is_subject(words, hits, start) for start in hits.others)


def _is_subject(words: list[str], hits: SentenceHits, position: int) -> bool:
    """Whether a therapy named at `position` is what the sentence is about, not a point of comparison or
    the object of a verb.

    "PRP is popular." is about PRP; "Works better than any filler.", "Microneedling with PRP and
    exosomes" and "It wakes up your own stem cells" are not, so they do not take the pronouns of the
    following sentences.
    """
    return position <= 4 and not _COMPARISON.intersection(words[max(0, position - 3) : position]) \
        and _PRODUCT_ANAPHORS.isdisjoint(words[:position]) and not any(p.start < position for p in hits.predicates)


def _names_another_product(words: list[str]) -> bool:
    """The sentence opens on another product of the seller's ("Our new shampoo ...", "The laser ...") or on the
    treatments people have had so far ("Conventional treatments only mask ...")."""
    return bool(words) and (words[0] in _OTHER_PRODUCTS
                            or words[0] in _PRODUCT_OPENERS and bool(_OTHER_PRODUCTS.intersection(words[1:4]))
                            or words[0] in _OTHER_KINDS and bool(_PRODUCT_NOUNS.intersection(words[1:4])))


def _about_a_person(words: list[str]) -> bool:
    """A sentence about someone ("she began searching ...", "Dr. Patel has treated athletes for twenty
    years") does not inherit the exosome subject; one about the product or those it treated ("her results
    after the treatment", "most of his patients notice less pain") does."""
    return (bool(_PEOPLE.intersection(words)) or not _TITLES.isdisjoint(words[:1])) \
        and _PRODUCT_ANAPHORS.isdisjoint(words) and _TREATED.isdisjoint(words)


def _opens_on_a_claim(words: list[str], hits: tuple[Hit, ...]) -> bool:
    """Whether the sentence's first words are its claim: "Beards benefit too.", "Regrows hair in weeks."
    (not "Regenerative medicine aims to ...", which names a field)."""
    return any((hit.start <= 1 and hit.category in (STRONG, WEAK, BENEFIT) or hit.start == 1 and hit.category == USE)
               and _FIELDS.isdisjoint(words[hit.end : hit.end + 2]) for hit in hits)


def speaks_to_reader(words: list[str]) -> bool:
    """Whether the sentence opens on a verb to the reader, as the seller speaks: "Watch dark spots fade away.",
    "Experience renewed energy." On a product page it is about the product."""
    return bool(words) and words[0] in _READER_IMPERATIVES


def _tells_a_result(words: list[str], hits: SentenceHits) -> bool:
    """Whether a predicate follows a verb of becoming or is in the passive: "Hair becomes thicker", "Fine lines
    look less visible", "Wrinkles are tackled by ..." (not "the brain becomes less efficient")."""
    return any(
        (not _RESULT_VERBS.isdisjoint(words[max(0, p.start - _RESULT_REACH) : p.start])
         and p.phrase not in _BARE_DEGREES)
        # the passive: "Wrinkles are tackled by ...", "Redness is reduced"
        or p.start > 0 and words[p.start - 1] in _PASSIVE and words[p.start].endswith("ed")
        for p in hits.predicates)


def _about_a_condition(hits: tuple[Hit, ...]) -> bool:
    """A sentence that opens on a condition and says nothing of improving it ("Hair loss is a growing
    problem", "Low back pain affects millions") describes the condition: it does not inherit the exosome
    subject of the sentences before. "My acne scars are fading" does: it has a predicate."""
    opens = False
    for hit in hits:
        if hit.category in (STRONG, WEAK, BENEFIT, SUBJECT, WEAK_SUBJECT) or (hit.category == USE and not opens):
            return False  # a claim about it, or a use before it: "Best for: early thinning"
        if hit.category == TOPIC and hit.start < _CONDITION_OPENS:
            opens = True
    return opens
