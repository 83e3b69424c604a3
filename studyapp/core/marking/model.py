"""The scorer's model: the units of an outline, the features of a point against a unit, the fitted
weights, and the verdict (see studyapp.core.marking; bench/fit_essay_scorer.py fits the weights)."""

from __future__ import annotations

import dataclasses
import math
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from itertools import pairwise
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz

from studyapp.core.grading import canonical_names, fold
from studyapp.core.marking.lexicon import Lexicon, Term, terms
from studyapp.core.marking.reversals import _negated, _negation_pair, _unprefixed, _year, reversed_claim
from studyapp.core.marking.words import (
    _BODY_NAMES,
    _BULLET,
    _COUNTRY_FORMS,
    _NAME_FORMS,
    _SENTENCE_END,
    ALTERNATIVES,
    COUNTRIES,
    PEOPLE,
    PLACES,
    STOPWORDS,
    _stem,
    alternatives_in,
    expand,
)

# (points, units) -> one row of cosine similarities per point, one column per unit.
Similarities = Callable[[Sequence[str], Sequence[str]], Sequence[Sequence[float]]]


@runtime_checkable
class StartsSimilarities(Protocol):
    """Similarities that can start their work and give the cosines later (studyapp.meaning's): the function
    returned may use the calling thread to finish them (match_matrix calls it once its comparisons are
    done, when that thread has nothing else to do)."""

    def __call__(self, points: Sequence[str], units: Sequence[str]) -> Sequence[Sequence[float]]: ...

    def start(self, points: Sequence[str], units: Sequence[str]) -> Callable[[], Sequence[Sequence[float]]]: ...


# --- the model: fitted by bench/fit_essay_scorer.py (see its output for the cross-validation) ---------
FEATURES = (
    "terms",
    "fuzzy",
    "meaning",
    "terms_x_meaning",
    "number_conflict",
    "name_conflict",
    "negation",
    "numbers_absent",
    "key_terms",
    "reversal",
    "weakest_half",
    "wrong_nearby",
    "restated",
)
# A unit with any of these can never cover a point: a wrong fact is worse than silence.
CAPS = ("number_conflict", "name_conflict", "reversal")
_TERMS, _MEANING, _NEARBY = FEATURES.index("terms"), FEATURES.index("meaning"), FEATURES.index("wrong_nearby")
_CAPS_AT = tuple(FEATURES.index(name) for name in CAPS)
# fmt: off
WEIGHTS_WITH_MEANING = (3.001, 3.303, 1.972, -0.457, -3.233, -3.168, -0.000, -0.606, 0.390, -1.736, 0.778, -0.857,
                        0.849)
BIAS_WITH_MEANING = -3.954
WEIGHTS_WITHOUT_MEANING = (3.199, 3.446, 0.000, 0.000, -3.418, -3.555, 0.011, -0.658, 0.586, -2.052, 0.815, 0.000,
                           0.800)
BIAS_WITHOUT_MEANING = -3.248  # fitted -3.258 with covered at 0.460: shifted to share COVERED_AT
# fmt: on
PARTLY_AT = 0.0  # z from which a point counts as partly covered
COVERED_AT = 0.470  # ... and as covered
WORD_MATCH = 86  # rapidfuzz ratio at which two stemmed ordinary words are the same word


@dataclass
class Unit:
    """A stretch of the outline a point is compared with."""

    line: int  # 1-based line it starts on
    text: str
    line_text: str  # the whole line, to show the student
    lines: tuple[str, ...] = ()  # the whole lines it lies in (one, or two for a pair)
    terms: list[Term] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    numbers_per_line: list[set[str]] = field(default_factory=list)
    raw_words: list[str] = field(default_factory=list)
    negations: int = 0  # denials in raw_words (reversals._negated)
    unprefixed: set[str] = field(default_factory=set)  # its negated words without their prefix
    folded: str = ""
    # The same for the whole line(s) the unit lies in: a wrong name or a reversal anywhere on the line
    # belongs to the claim the line makes, even where the unit is only part of it.
    line_names: set[str] = field(default_factory=set)
    line_raw_words: list[str] = field(default_factory=list)
    lines_text: str = ""
    line_known_names: set[str] = field(default_factory=set)  # line_names in one form each (_known_names)
    line_alternatives: frozenset[tuple[int, int]] = frozenset()  # words.ALTERNATIVES the line(s) give
    name_stems: set[str] = field(default_factory=set)  # its names stemmed, for a point's word ("Soviet")
    raw_word_set: frozenset[str] = frozenset()
    claim_text: str = ""  # its lines as reversed_claim reads them

    @cached_property
    def line_places(self) -> dict[tuple[str, str], set[str]]:
        """For each word of its line(s) that is not filler, the stems of the content words after and before it
        (_restated; asked for only where a point's word is missing)."""
        return _content_places(tuple(self.line_raw_words))


@dataclass(frozen=True)
class _LineReading:
    """What the scorer reads in one line of the outline, once: its units (the line, its sentences, the
    two pairs it is in) take theirs from it."""

    names: set[str]
    raw_words: list[str]
    known_names: set[str]
    alternatives: frozenset[tuple[int, int]]
    numbers: set[str]


def outline_lines(outline: str) -> list[tuple[int, str]]:
    lines = [(i, _BULLET.sub("", raw).strip()) for i, raw in enumerate(outline.splitlines(), 1)]
    return [(i, text) for i, text in lines if text]


def units_of(outline: str, lexicon: Lexicon) -> list[Unit]:
    lines = outline_lines(outline)
    units: list[Unit] = []
    for i, text in lines:
        units.append(Unit(i, text, text, (text,)))
        parts = [p for p in _SENTENCE_END.split(text) if p and len(p.split()) >= 3]
        if len(parts) > 1:
            units += [Unit(i, p, text, (text,)) for p in parts]
    for (i, a), (_, b) in pairwise(lines):
        units.append(Unit(i, f"{a} {b}", a, (a, b)))
    # Each text's terms and words once: a line is a unit of its own, the whole line of its sentences, and
    # one of the lines of two pairs. A pair reads as its two lines: nothing is read across the line break.
    found: dict[str, list[Term]] = {}
    raw: dict[str, list[str]] = {}
    read: dict[str, _LineReading] = {}

    def terms_of(text: str) -> list[Term]:
        if text not in found:
            found[text] = terms(text, lexicon)
        return found[text]

    def raw_of(text: str) -> list[str]:
        if text not in raw:
            raw[text] = [fold(w) for w in re.findall(r"[\w']+", expand(text))]
        return raw[text]

    def reading(line: str) -> _LineReading:
        if line not in read:
            names = {t.text for t in terms_of(line) if t.kind == "name"}
            read[line] = _LineReading(
                names,
                raw_of(line),
                _known_names(names, raw_of(line), lexicon, line),
                frozenset(_alternatives(line)),
                {t.text for t in terms_of(line) if t.kind == "number"},
            )
        return read[line]

    for unit in units:
        readings = [reading(line) for line in unit.lines]
        if len(unit.lines) == 2:
            merged: dict[tuple[str, str], Term] = {}
            for t in (t for line in unit.lines for t in terms_of(line)):
                merged.setdefault((t.kind, t.text), t)
            unit.terms = list(merged.values())
        else:
            unit.terms = terms_of(unit.text)
        unit.words = {t.text for t in unit.terms if t.kind == "word"}
        unit.names = {t.text for t in unit.terms if t.kind == "name"}
        unit.name_stems = {_stem(n) for n in unit.names}
        unit.numbers_per_line = [line.numbers for line in readings]
        unit.line_names = set().union(*(line.names for line in readings))
        unit.line_raw_words = [w for line in readings for w in line.raw_words]
        unit.raw_words = unit.line_raw_words if unit.text == unit.line_text or len(readings) == 2 else raw_of(unit.text)
        unit.negations, unit.unprefixed = _negated(unit.raw_words), _unprefixed(unit.raw_words)
        unit.raw_word_set = frozenset(unit.raw_words)
        unit.claim_text = "\n".join(unit.lines)
        unit.folded = " ".join(t.text for t in unit.terms)
        unit.lines_text = " ".join(unit.lines)
        unit.line_known_names = set().union(*(line.known_names for line in readings))
        unit.line_alternatives = frozenset().union(*(line.alternatives for line in readings))
    return units


@dataclass(frozen=True)
class Match:
    """How one point fares against one unit."""

    features: tuple[float, ...]
    z: float
    conflict: bool


@dataclass
class PointTerms:
    text: str
    terms: list[Term]
    numbers: set[str]
    raw_words: list[str]
    folded: str
    names: set[str] = field(default_factory=set)  # its names, each in one form (_known_names)
    negations: int = 0
    unprefixed: set[str] = field(default_factory=set)
    halves: list[list[int]] = field(default_factory=list)  # the terms (indexes) of each part of a two-part point
    # Names most of the prompt's points give (NATO in an essay on NATO): the subject, not a fact a line
    # must give; a line naming another body in their place does not substitute one for it.
    subject: frozenset[str] = frozenset()
    total: float = field(init=False)  # the weight of all its terms
    ranked: tuple[int, ...] = field(init=False)  # its three rarest terms, the ones that make it this point
    # Worked out once, as features() asks for them against every unit of an outline:
    weights: tuple[float, ...] = field(init=False)
    known: frozenset[str] = field(init=False)  # its terms' texts
    not_numbers: tuple[int, ...] = field(init=False)  # the terms (indexes) that are not numbers
    raw_word_set: frozenset[str] = field(init=False)
    word_places: dict[str, list[tuple[str, str]]] = field(init=False)  # _word_places of its words
    name_terms: frozenset[str] = field(init=False)  # its name terms' texts
    plain_words: frozenset[str] = field(init=False)  # its words without "'s" ("Germany's")
    alternatives: set[tuple[int, int]] = field(init=False)  # the paired terms it gives (words.ALTERNATIVES)

    def __post_init__(self) -> None:
        self.total = sum(t.weight for t in self.terms) or 1.0
        self.ranked = tuple(sorted(range(len(self.terms)), key=lambda k: -self.terms[k].weight)[:3])
        self.weights = tuple(t.weight for t in self.terms)
        self.known = frozenset(t.text for t in self.terms)
        self.not_numbers = tuple(k for k, t in enumerate(self.terms) if t.kind != "number")
        self.raw_word_set = frozenset(self.raw_words)
        self.word_places = _word_places(tuple(self.raw_words))
        self.name_terms = frozenset(t.text for t in self.terms if t.kind == "name")
        self.plain_words = frozenset(w.removesuffix("'s") for w in self.raw_words)
        self.alternatives = _alternatives(self.text)


# Where a point's claim falls in two parts ("X, whereas Y"; "X, so Y"; "X because Y"): a marker gives
# "partly" to an outline that states one of them.
_HALVES = re.compile(r"(?:[,;:]\s+|\s+)(?:whereas|while|but|yet|so|because)\s+|;\s+|:\s+", re.IGNORECASE)


def _halves(text: str, found: list[Term], lexicon: Lexicon) -> list[list[int]]:
    parts = [part for part in _HALVES.split(text) if len(part.split()) >= 3]
    if len(parts) < 2:
        return []
    index = {(t.kind, t.text): k for k, t in enumerate(found)}
    out = []
    for part in parts:
        own = [index[(t.kind, t.text)] for t in terms(part, lexicon) if (t.kind, t.text) in index]
        if own:
            out.append(own)
    return out if len(out) >= 2 else []


def point_terms(text: str, lexicon: Lexicon) -> PointTerms:
    found = terms(text, lexicon)
    words = [fold(w) for w in re.findall(r"[\w']+", expand(text))]
    return PointTerms(
        text,
        found,
        {t.text for t in found if t.kind == "number"},
        words,
        " ".join(t.text for t in found),
        _known_names((t.text for t in found if t.kind == "name"), words, lexicon, text),
        _negated(words),
        _unprefixed(words),
        _halves(text, found, lexicon),
    )


@lru_cache(maxsize=65536)
def _similar_words(a: str, b: str) -> bool:
    if a == b:
        return True
    if _negation_pair(a, b):
        return False
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True
    return fuzz.ratio(a, b) >= WORD_MATCH


def word_matches(points: Iterable[PointTerms], units: Iterable[Unit]) -> dict[str, frozenset[str]]:
    """Each word of the points, and the words of the outline it matches (_similar_words): worked out once
    per outline, so that a unit's hits are set lookups."""
    vocabulary = set().union(*(u.words for u in units))
    wanted = {t.text for p in points for t in p.terms if t.kind == "word"}
    return {w: frozenset(v for v in vocabulary if _similar_words(w, v)) for w in wanted}


def _hits(point: PointTerms, unit: Unit, matches: dict[str, frozenset[str]]) -> list[bool]:
    hits = []
    for term in point.terms:
        if term.kind == "number":
            hit = any(term.text in numbers for numbers in unit.numbers_per_line)
        elif term.kind == "name":
            # or a short form of it: "Bulg" and "Rom" in a list of the Pact's members
            hit = (
                term.text in unit.names
                or _stem(term.text) in unit.words
                or any(len(n) >= 3 and term.text.startswith(n) for n in unit.names)
            )
        else:
            hit = not matches[term.text].isdisjoint(unit.words) or term.text in unit.name_stems
        hits.append(hit)
    return hits


def features(
    point: PointTerms,
    unit: Unit,
    meaning: float | None,
    lexicon: Lexicon,
    line_units: Sequence[Unit] = (),
    cache: dict | None = None,
) -> tuple[float, ...]:
    """`line_units`, for a pair of lines, are the two lines as units of their own: a number counts for
    the pair only on a line that also gives some other part of the point (a year goes with its claim;
    a neighbouring line does not lend one). `cache` keeps what one outline's units share (a line's term
    hits, a line's conflicts) across the calls for one outline."""
    cache = {} if cache is None else cache

    def hits_of(u: Unit) -> list[bool]:
        key = ("hits", id(point), id(u))
        if key not in cache:
            # match_matrix puts the whole outline's word matches in the cache; alone, a unit's own will do
            matches = cache["words"] if "words" in cache else word_matches([point], [u])
            cache[key] = _hits(point, u, matches)
        return cache[key]

    total = point.total
    hits = list(hits_of(unit))
    if line_units:
        per_line = [hits_of(u) for u in line_units]
        for k, term in enumerate(point.terms):
            if term.kind == "number" and hits[k]:
                hits[k] = any(h[k] and any(h[i] for i in point.not_numbers) for h in per_line)
    weights = point.weights
    coverage = sum(w for w, hit in zip(weights, hits) if hit) / total
    weakest_half = (
        min(sum(weights[k] for k in half if hits[k]) / (sum(weights[k] for k in half) or 1.0) for half in point.halves)
        if point.halves
        else coverage
    )
    # The point's rarest terms, the ones that make it this point and not another: are they there?
    ranked = point.ranked
    key_terms = sum(hits[k] for k in ranked) / len(ranked) if ranked else 0.0
    similarity = fuzz.token_set_ratio(point.folded, unit.folded) / 100 if unit.folded else 0.0
    # A line that gives nothing of the point cannot state it with a wrong fact: its conflicts are not
    # looked for (most of an outline's lines, for most points).
    related = coverage > 0
    number_conflict = related and _number_conflict(point.numbers, unit.numbers_per_line)
    name_key = ("name", id(point), unit.lines_text)
    if related and name_key not in cache:
        cache[name_key] = _name_conflict(point, unit, lexicon)
    reversal = related and reversed_claim(point.text, unit.claim_text)
    # Names that swap what is said of them are a name conflict; where the claim already reads as turned
    # round, they are that same wrong fact and are not counted twice.
    swap_key = ("swap", id(point), unit.lines_text)
    if related and not reversal and not cache[name_key] and swap_key not in cache:
        cache[swap_key] = _names_swapped(point, unit, lexicon, cache)
    name_conflict = related and (cache[name_key] or (not reversal and cache.get(swap_key, False)))
    negation = float(
        point.negations != unit.negations
        or not point.unprefixed.isdisjoint(unit.raw_word_set)
        or not unit.unprefixed.isdisjoint(point.raw_word_set)
    )
    numbers_absent = float(
        bool(point.numbers) and not any(point.numbers & n for n in (u.numbers_per_line[0] for u in line_units))
        if line_units
        else bool(point.numbers) and not any(point.numbers & n for n in unit.numbers_per_line)
    )
    m = meaning if meaning is not None else 0.0
    return (
        coverage,
        similarity,
        m,
        coverage * m,
        float(number_conflict),
        float(name_conflict),
        negation,
        numbers_absent,
        key_terms,
        float(reversal),
        weakest_half,
        0.0,  # wrong_nearby: set for the whole row by match_matrix
        _restated(point, unit, hits) if related else 0.0,
    )


def _restated(point: PointTerms, unit: Unit, hits: list[bool]) -> float:
    """The share of the point's missing ordinary words with another content word in their very place in
    the line: the point said in the line's own words ("national finance and defence ministers" for
    "foreign and defence ministers" too, which the fitted weight cannot tell from a paraphrase)."""
    missing = {t.text for t, hit in zip(point.terms, hits) if not hit and t.kind == "word"}
    if not missing:
        return 0.0
    known, places = point.known, unit.line_places
    none: frozenset[str] = frozenset()
    found = 0
    for word in missing:
        for before, after in point.word_places.get(word, ()):
            # another content word, one that is not the point's, after the word before or before the word after
            if not places.get(("after", before), none) <= known or not places.get(("before", after), none) <= known:
                found += 1
                break
    return found / len(missing)


@lru_cache(maxsize=4096)
def _word_places(words: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """Each stem of a text, and the words before and after each place it stands."""
    out: dict[str, list[tuple[str, str]]] = {}
    for j, neighbours in enumerate(_all_neighbours(words)):
        out.setdefault(_stem(words[j]), []).append(neighbours)
    return out


@lru_cache(maxsize=4096)
def _content_places(words: tuple[str, ...]) -> dict[tuple[str, str], set[str]]:
    """For each word of a text that is not filler, the stems of the content words (not STOPWORDS) that come
    after it and before it."""
    out: dict[tuple[str, str], set[str]] = {}
    for w, (before, after) in zip(words, _all_neighbours(words)):
        if w in STOPWORDS:
            continue
        if before:
            out.setdefault(("after", before), set()).add(_stem(w))
        if after:
            out.setdefault(("before", after), set()).add(_stem(w))
    return out


def _all_neighbours(words: Sequence[str]) -> list[tuple[str, str]]:
    """For each word, the nearest word before it and after it that is not filler ("the", "of")."""
    befores, last = [], ""
    for w in words:
        befores.append(last)
        if w not in _FILLER:
            last = w
    afters, nxt = [], ""
    for w in reversed(words):
        afters.append(nxt)
        if w not in _FILLER:
            nxt = w
    return list(zip(befores, reversed(afters)))


_COUNT_RATIO = 5  # how far apart two counts may be and still be one figure got wrong (3 let 2 more through)


def _number_conflict(wanted: set[str], per_line: list[set[str]]) -> bool:
    """A line gives a number of the same kind (a year, or a count) where the point's own is missing:
    each of the point's numbers is checked on its own, and each line on its own."""
    for given in per_line:
        for number in wanted:
            if number in given:
                continue
            kind = _year(number)
            others = [g for g in given if _year(g) == kind and g not in wanted]
            if kind:
                if any(abs(int(g.rstrip("s")) - int(number.rstrip("s"))) < 60 for g in others):
                    return True
            elif any(_near(g, number) for g in others):
                return True
    return False


def _near(given: str, wanted: str) -> bool:
    """A count stands for the point's where it is of the same order ("2 states" for six, "30,000" for 60,000);
    "90% of output" on a line about thirteen producers is another claim's figure (measured on the marked
    outlines: 21 verdicts nearer the marker's, none further)."""
    try:
        a, b = float(given), float(wanted)
    except ValueError:
        return True
    low, high = sorted((abs(a), abs(b)))
    # a zero too many or too few in a large figure is the figure miscopied ("15,000" for 1,500)
    same_figure = low >= 100 and given.strip("0") == wanted.strip("0")
    return low == 0 or high / low <= _COUNT_RATIO or same_figure


# Forms of one name, folded to one before names are compared ("Soviet" and "USSR" are the same).
_BENELUX = frozenset({"belgium", "netherlands", "luxembourg", "nl", "lux", "dutch"})


@lru_cache(maxsize=65536)
def _names_us(text: str) -> bool:
    """The text names the United States ("US", "USA", "the United States"), which its words alone do not
    tell from the pronoun "us"."""
    return bool(re.search(r"\bUS\b", canonical_names(expand(text))))


def _known_names(names: Iterable[str], words: Iterable[str], lexicon: Lexicon, text: str = "") -> set[str]:
    """Names in one form each, with countries named by their adjectives too ("Polish" is Poland)."""
    names = [n.removesuffix("'s") for n in names]  # "Germany's"
    found = {_NAME_FORMS.get(n, n) for n in names}
    if text and _names_us(text):
        found.add("us")
    found |= {_COUNTRY_FORMS[w] for w in words if w in _COUNTRY_FORMS}
    found |= {_NAME_FORMS[w] for w in words if w in _NAME_FORMS}
    out: set[str] = set()
    for name in found:  # "Canada-U.S." and "US-Canada" name the same two countries; "NATO-led" names NATO
        parts = name.split("-")
        if len(parts) > 1 and all(len(p) >= 2 for p in parts):
            # "UN-authorised" names the UN only
            out |= {p for p in parts if _stem(p) not in lexicon.common and not p.endswith(("ed", "ised", "ized"))}
        else:
            out.add(name)
    if out & _BENELUX:
        out.add("benelux")
    return {_NAME_FORMS.get(n, n) for n in out}


@lru_cache(maxsize=65536)
def _alternatives(text: str) -> set[tuple[int, int]]:
    return alternatives_in(expand(text))


_MONTHS = next(g for g, group in enumerate(ALTERNATIVES) if any(p.search("June 1955") for p in group))
_SEGMENT = re.compile(r"\s/\s|;|->|=>|\u2192|[.](?=\s)|\s\|\s")


def _segment_alternative_conflict(point: PointTerms, unit: Unit) -> bool:
    """The part of the line that says most of the point gives another term of a group where the point
    gives one, though the line gives the point's elsewhere ("courses for the police / partnering weaker
    with the ANA, bc its malpractices were kept" where partnering was weaker with the police)."""
    want = {(g, t) for g, t in point.alternatives if g != _MONTHS}
    if not want or not any(g == h for g, _ in want for h, _ in unit.line_alternatives - want):
        return False
    content = {_stem(w) for w in point.plain_words if w not in STOPWORDS}
    overlaps = [
        (len(content & {_stem(fold(w)) for w in re.findall(r"[\w']+", expand(segment))}), segment)
        for line in unit.lines
        for segment in _SEGMENT.split(line)
    ]
    most = max(n for n, _ in overlaps)
    # two words of the point at least, and every part that says as much of it gives the other term
    return most >= 2 and all(
        _alternative_conflict(want, frozenset(_alternatives(segment))) for n, segment in overlaps if n == most
    )


def _alternative_conflict(want: set[tuple[int, int]], have: frozenset[tuple[int, int]]) -> bool:
    """The line gives another term of a group where the point gives one and the line not (words.ALTERNATIVES)."""
    missing, extra = want - have, have - want
    return any(g == h for g, _ in missing for h, _ in extra)


# The stretches of a text that pair a name with what is said of it: "the army to the US, the police to
# Germany" pairs the US with the army and Germany with the police ("US -> ANA" too).
_STRETCH = re.compile(r"([,;:/]|[.](?=\s)|\s(?:and|while|whereas|but|[&+])\s)", re.IGNORECASE)
# The groups of paired terms that are roles two names share out: the Afghan army and the police. (Counted
# for every group, lists of the security tasks and dates beside several bodies read as roles swapped: on the
# fit outlines 3 sound points lost for 2 wrong facts caught.)
_ROLE_GROUPS = frozenset(g for g, group in enumerate(ALTERNATIVES) if any(p.search("army") for p in group))


def _roles_given(given: Iterable[tuple[int, int]]) -> bool:
    return any(group in _ROLE_GROUPS for group, _ in given)


def _named_stretches(
    text: str, names: frozenset[str], lexicon: Lexicon
) -> list[tuple[str, list[str], set[str], set[str], str]]:
    """The stretches of a text, each expanded (split first: "w/" splits a stretch before it reads "with"),
    with its words (folded, without "'s"), the name terms it gives of `names` (the text's), those names
    in one form each (_known_names), and the mark that ends it (":" after a heading, "" at the end)."""
    out = []
    name_parts = {name: re.findall(r"\w+", name) for name in names}
    pieces = _STRETCH.split(text)
    for stretch, end in zip(map(expand, pieces[0::2]), [*pieces[1::2], ""]):
        raw_words = [fold(w).removesuffix("'s") for w in re.findall(r"[\w']+", stretch)]
        present = set(raw_words)
        here = {name for name, parts in name_parts.items() if parts and all(p in present for p in parts)}
        known = _known_names(here, raw_words, lexicon) if here else set()
        if re.search(r"\bUS\b", stretch):  # the United States, not "us" (_names_us)
            known.add("us")
        out.append((stretch, raw_words, here, known, end.strip()))
    return out


def _paired_alternatives(text: str, names: frozenset[str], lexicon: Lexicon) -> dict[tuple[str, int], set[int]]:
    """For each name and group of paired terms (words.ALTERNATIVES): the terms of the group that a stretch
    of the text gives beside the name."""
    out: dict[tuple[str, int], set[int]] = {}
    for stretch, _, _, known, _ in _named_stretches(text, names, lexicon):
        given = {(group, term) for group, term in alternatives_in(stretch) if group in _ROLE_GROUPS}
        for name in known:
            for group, term in given:
                out.setdefault((name, group), set()).add(term)
    return out


def _alternatives_swapped(point: PointTerms, unit: Unit, lexicon: Lexicon) -> bool:
    """The line pairs one of the point's names with another term of a group than the point does: "Germany
    trained the army, the US the police" where the US took the army and Germany the police."""
    want = _paired_alternatives(point.text, point.name_terms, lexicon)
    if not want:
        return False
    have: dict[tuple[str, int], set[int]] = {}
    line_names = frozenset(unit.line_names)
    for line in unit.lines:
        for key, found in _paired_alternatives(line, line_names, lexicon).items():
            have.setdefault(key, set()).update(found)
    return any(
        len(mine) == 1 and len(theirs) == 1 and mine != theirs
        for key, mine in want.items()
        if (theirs := have.get(key))
    )


def _said_of_names(text: str, names: frozenset[str], lexicon: Lexicon) -> dict[str, frozenset[str]]:
    """For each name of a text (`names`, its name terms): the stems of the other words of the stretches
    that name it ("the secretariat in Beijing" says "secretariat" of Beijing). Names listed together
    ("Spain and Portugal joined", "Dari/Pashtu") share one stretch, and a name as a heading ("EDC: run by a
    council ...") is said of what follows it up to the end of its clause. Numbers are left out: a year moves
    about a line with its heading ("Libya 2011: Russia abstained" for "In 2011 Russia ... abstained on
    Libya")."""
    groups: list[tuple[set[str], set[str]]] = []
    ends_with_name = False
    heading: set[str] = set()
    for _, raw_words, here, known, end in _named_stretches(text, names, lexicon):
        parts = {part for name in here | known for part in re.findall(r"\w+", fold(name))}
        said = {
            _stem(w)
            for w in raw_words
            if w not in STOPWORDS and w not in parts and w not in _COUNTRY_FORMS and not w.isdigit()
        }
        if end == ":" and known:
            heading = set(known)
        elif heading:
            known = known | heading
        edge = [w for w in raw_words if w not in _FILLER]
        starts_with_name = bool(edge) and (edge[0] in parts or edge[0] in _COUNTRY_FORMS)
        if groups and ends_with_name and starts_with_name:
            groups[-1][0].update(known)
            groups[-1][1].update(said)
        else:
            groups.append((set(known), said))
        ends_with_name = bool(edge) and (edge[-1] in parts or edge[-1] in _COUNTRY_FORMS)
        if end in (";", "."):
            heading = set()
    out: dict[str, set[str]] = {}
    for known, said in groups:
        for name in known:
            out.setdefault(name, set()).update(said)
    return {name: frozenset(words) for name, words in out.items()}


def _names_swapped(point: PointTerms, unit: Unit, lexicon: Lexicon, cache: dict) -> bool:
    """The line says of one of the point's names what the point says of another of the same kind, and the
    other way round: "Japan accepted a marginal role, Russia was least committed" where Russia took the
    marginal role and Japan was least committed; the secretariat in Tashkent and not Beijing."""
    shared = sorted(point.names & unit.line_known_names)
    pairs = [
        (a, b) for k, a in enumerate(shared) for b in shared[k + 1 :] if _kind_of(a, lexicon) == _kind_of(b, lexicon)
    ]
    if not pairs:
        return False

    def said_of_names(text: str, names: frozenset[str]) -> dict[str, frozenset[str]]:
        key = ("said", text, names)  # each text read once per outline
        if key not in cache:
            cache[key] = _said_of_names(text, names, lexicon)
        return cache[key]

    mine = said_of_names(point.text, point.name_terms)
    theirs: dict[str, set[str]] = {}
    line_names = frozenset(unit.line_names)
    for line in unit.lines:
        for name, words in said_of_names(line, line_names).items():
            theirs.setdefault(name, set()).update(words)

    def alike(w: str, v: str) -> bool:
        # one word's stems ("economi", "econom"), not a short word in a longer one ("part", "partner")
        return w == v or (min(len(w), len(v)) >= 5 and (w.startswith(v) or v.startswith(w)))

    def moved(a: str, b: str) -> bool:
        # a word the point says of a alone that the line says of b and not of a
        said_of_a, said_of_b = theirs.get(a, set()), theirs.get(b, set())
        return any(
            any(alike(w, v) for v in said_of_b) and not any(alike(w, v) for v in said_of_a)
            for w in mine.get(a, frozenset()) - mine.get(b, frozenset())
        )

    return any(moved(a, b) and moved(b, a) for a, b in pairs)


_COMMON_NAME = 0.2  # share of the decks' cards naming it, from which a name is everyone's subject
_FILLER = frozenset({"the", "a", "an", "of", "and", "to", "in"})


def _same_place(point_words: Sequence[str], line_words: Sequence[str], name: str, other: str) -> bool:
    """`other` stands where the point has `name`: the same word before it, or after it ("the" and the
    like passed over)."""

    def neighbours(words: Sequence[str], k: int) -> tuple[str, str]:
        before = next((w for w in reversed(words[:k]) if w not in _FILLER), "")
        after = next((w for w in words[k + 1 :] if w not in _FILLER), "")
        return before, after

    point_words = [w.removesuffix("'s") for w in point_words]  # "Tajikistan's border"
    line_words = [w.removesuffix("'s") for w in line_words]
    for i, word in enumerate(point_words):
        if _NAME_FORMS.get(word, word) != name:
            continue
        mine = neighbours(point_words, i)
        for j, found in enumerate(line_words):
            if _NAME_FORMS.get(found, found) == other and any(
                a == b != "" for a, b in zip(mine, neighbours(line_words, j))
            ):
                return True
    return False


# Students write "SC" for the Security Council (it is also the Strategic Concept's short form, which
# seldom stands beside the UN in one point).
_UN_NAMES = frozenset({"un", "sc", "unsc", "unscr", "security council", "un security council"})


@lru_cache(maxsize=65536)
def _same_name(a: str, b: str) -> bool:
    """A shortened name is the same name ("Strasb" for Strasbourg, "Atl" for Atlantic), and so is a longer
    form of it ("Balkans", "Bosnian"); the Security Council speaks for the UN."""
    short, long_ = sorted((a, b), key=len)
    return (
        (len(short) >= 3 and long_.startswith(short))
        or (a in _UN_NAMES and b in _UN_NAMES)
        or {a, b} == {"russia", "ussr"}  # "Moscow" is Russia after 1991
        or (" " in long_ and short == "".join(w[0] for w in long_.split()))  # "EP": Enduring Partnership
    )


def _kind_of(name: str, lexicon: Lexicon) -> str:
    """A name's kind: a country, a person, a place, a body (one the decks or the abbreviation list name: a
    student's own abbreviation, "HGs" for headline goals or "RoL", is not another body), or other."""
    if name in COUNTRIES or any(part in COUNTRIES for part in name.split()):  # "north korea"
        return "country"
    if name in PEOPLE:
        return "person"
    if name in PLACES:
        return "place"
    return "body" if name in lexicon.organisations or name in _BODY_NAMES else "other"


def _adjective_of(country: str, text: str) -> bool:
    """The text gives the country by its adjective, standing alone ("French and West German coal"), not in
    a compound ("a French-led operation")."""
    return any(
        name == country and re.search(rf"\b{re.escape(form)}\b(?!-)", text, re.IGNORECASE)
        for form, name in _NAME_FORMS.items()
    )


def _name_conflict(point: PointTerms, unit: Unit, lexicon: Lexicon) -> bool:
    """The unit names someone or something the point does not, where a name of the point is missing:
    a substituted name (Greece for Israel, OEEC for Council of Europe, Adenauer for Monnet), or two of the
    point's names given each other's share (the army for the police)."""
    if _alternative_conflict(point.alternatives, unit.line_alternatives):
        return True
    if _segment_alternative_conflict(point, unit):
        return True
    if (
        _roles_given(point.alternatives)
        and _roles_given(unit.line_alternatives)
        and _alternatives_swapped(point, unit, lexicon)
    ):
        return True
    want = point.names
    have = unit.line_known_names
    missing, extra = want - have, have - want

    missing, extra = (
        {m for m in missing if not any(_same_name(m, e) for e in extra)},
        {e for e in extra if not any(_same_name(w, e) for w in want)},
    )

    # A name of the same kind stands in for the missing one: a country for a country, a body for a body,
    # or any other name for a person's or place's name (_kind_of).
    kind = partial(_kind_of, lexicon=lexicon)
    if extra and any(
        kind(m) == kind(e) == "country"
        # the country or its adjective ("West German coal"), not a compound ("French-led")
        and (m in point.plain_words or _adjective_of(m, point.text))
        and not (m == "benelux" and e in _BENELUX)
        and _same_place(point.raw_words, unit.line_raw_words, m, e)
        for m in want
        if m in have or any(_same_name(m, h) for h in have)  # "Taj" for Tajikistan
        for e in extra
    ):
        # the point's name is in the line, but another of its kind stands where the point names it again
        # ("Morocco, itself an MD partner" for "... Algeria, Mali and the Sahel, and Algeria, itself a
        # Mediterranean Dialogue partner")
        return True
    if not missing or not extra:
        return False
    # The essay's subject (NATO in an essay on NATO) is a name a line may leave out while it names others;
    # it counts as substituted only where another name stands in its very place ("open to every EU member
    # state" for "every OSCE member state").
    subject = {m for m in missing if m in point.subject or lexicon.share(m) >= _COMMON_NAME}
    if any(_same_place(point.raw_words, unit.line_raw_words, m, e) for m in subject for e in extra):
        return True
    missing -= subject
    if not missing:
        return False

    # Names of no known kind (a city, a treaty) stand for one another only in the same place
    # ("the secretariat in Tashkent" for "the secretariat in Beijing"): an outline names many such things.
    return any(
        kind(m) == kind(e) and (kind(m) != "other" or _same_place(point.raw_words, unit.line_raw_words, m, e))
        for m in missing
        for e in extra
    )


def z_score(values: tuple[float, ...], with_meaning: bool) -> float:
    weights = WEIGHTS_WITH_MEANING if with_meaning else WEIGHTS_WITHOUT_MEANING
    bias = BIAS_WITH_MEANING if with_meaning else BIAS_WITHOUT_MEANING
    return bias + sum(map(operator.mul, weights, values))


WRONG_FACT_LEVEL = 0  # the verdict, at most, of a point whose best-matching line states it with a wrong fact
LEVELS = ("missed", "partly", "covered")


def decide(
    zs: Sequence[float], conflicts: Sequence[bool], singles: Sequence[bool], covered_at: float | None = None
) -> tuple[int, int]:
    """Which unit decides a point, and the point's level (0 missed, 1 partly, 2 covered).

    The best unit by its level (a conflicting unit never covers), then a single line before a pair,
    then by z. But where the unit that matches the point best of all states it with a wrong number or
    name or the other way round, the claim is there with its key fact wrong: a marker gives it no credit
    however well another line matches (../shared/marking-guide.md). (Ranking units by z before the
    conflicts' penalty was tried: it wiped out too many sound points, 4 points of agreement lost.)"""
    covered_at = COVERED_AT if covered_at is None else covered_at

    def level(j: int) -> int:
        raw = 2 if zs[j] >= covered_at else 1 if zs[j] >= PARTLY_AT else 0
        return min(raw, 1) if conflicts[j] else raw

    best = max(range(len(zs)), key=lambda j: (level(j), singles[j], zs[j]))
    top = max(range(len(zs)), key=lambda j: zs[j])
    if conflicts[top] and zs[top] >= PARTLY_AT and zs[top] >= zs[best]:
        return top, min(level(best), WRONG_FACT_LEVEL)
    return best, level(best)


def similarity_of(z: float) -> float:
    """The unit's z as a share from 0 to 1 (the logistic of its distance from 'covered')."""
    return 1 / (1 + math.exp(-(z - (PARTLY_AT + COVERED_AT) / 2)))


def match_matrix(
    points: Sequence[str], outline: str, lexicon: Lexicon, similarities: Similarities | None = None
) -> tuple[list[Unit], list[list[Match]]]:
    """Every point against every unit of the outline."""
    # The model runs in a worker while the comparisons run here, and this thread joins in with the model's
    # work once they are done: onnxruntime lets go of the GIL, so on two cores the two overlap, with never
    # more than two threads at work (a 1,000-word outline on a slow machine: about 300 ms of one core's time
    # for the model and 150 ms for the comparisons). It needs only the lines, so it starts before the units
    # are cut.
    texts = list(dict.fromkeys(text for _, text in outline_lines(outline)))
    cosines_of: Callable[[], Sequence[Sequence[float]]] | None = None
    if isinstance(similarities, StartsSimilarities) and texts:
        cosines_of = similarities.start(points, texts)
    elif similarities is not None and texts:
        cosines_of = _POOL.submit(similarities, points, texts).result
    units = units_of(outline, lexicon)
    if not units:
        return units, [[] for _ in points]
    prepared = [point_terms(p, lexicon) for p in points]
    subject = frozenset(
        n
        for n in set().union(*(pt.names for pt in prepared))
        if len(points) >= 3 and sum(n in pt.names for pt in prepared) * 2 > len(points)
    )
    prepared = [dataclasses.replace(pt, subject=subject) for pt in prepared]
    line_unit = {u.line: u for u in units if len(u.lines) == 1 and u.text == u.line_text}
    next_line = {a.line: b.line for a, b in zip(list(line_unit.values()), list(line_unit.values())[1:])}
    cache: dict = {"words": word_matches(prepared, units)}
    table = []
    for point in prepared:
        values_row = []
        for unit in units:
            pair = (line_unit[unit.line], line_unit[next_line[unit.line]]) if len(unit.lines) == 2 else ()
            values_row.append(features(point, unit, None, lexicon, pair, cache))
        table.append(values_row)
    cosines = _unit_cosines(cosines_of(), texts, units) if cosines_of is not None else None
    # A question asks, it states nothing ("NATO partnerships: did they serve their purpose?" as a heading):
    # it earns no point (on the fit outlines 3 verdicts nearer the marker's, 1 further).
    questions = [len(unit.lines) == 1 and unit.text.rstrip().endswith("?") for unit in units]
    rows = []
    for i, values_row in enumerate(table):
        if cosines is not None:
            values_row = [with_meaning(values, cosines[i][j]) for j, values in enumerate(values_row)]
        conflicts = [any(values[k] for k in _CAPS_AT) for values in values_row]
        # How closely a line with a wrong fact (a wrong number or name, the claim turned round) matches the
        # point: the closer it is, the likelier the outline states this point with that wrong fact, however
        # well another line matches.
        nearby = max((v[_TERMS] * v[_MEANING] for v, c in zip(values_row, conflicts) if c), default=0.0)
        row = []
        for asks, values, conflict in zip(questions, values_row, conflicts):
            values = (*values[:_NEARBY], nearby, *values[_NEARBY + 1 :])
            z = z_score(values, cosines is not None)
            row.append(Match(values, min(z, PARTLY_AT - 0.01) if asks else z, conflict))
        rows.append(row)
    return units, rows


def with_meaning(values: tuple[float, ...], meaning: float) -> tuple[float, ...]:
    """A unit's features with the model's cosine filled in (features() leaves it 0 when it has none yet):
    "meaning" and, after it, "terms_x_meaning"."""
    return (*values[:_MEANING], meaning, values[_TERMS] * meaning, *values[_MEANING + 2 :])


_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meaning")


def _unit_cosines(matrix: Sequence[Sequence[float]], texts: list[str], units: list[Unit]) -> list[list[float]]:
    """The model's cosines of the points with the outline's lines (`texts`) spread over the units: a
    sentence of a line takes the line's, and a pair of lines the better of its two lines and of their
    mean, so the model runs once per line (the marks on the fit outlines are the same as with each
    sentence embedded, at half the model's time)."""
    index = {t: k for k, t in enumerate(texts)}
    out = []
    for row in matrix:
        values = []
        for unit in units:
            if len(unit.lines) == 1:  # a sentence of a line takes the line's meaning
                values.append(float(row[index[unit.line_text]]))
            else:
                a, b = (float(row[index[line]]) if line in index else 0.0 for line in unit.lines)
                values.append(max(a, b, (a + b) / 2 * 1.04))
        out.append(values)
    return out
