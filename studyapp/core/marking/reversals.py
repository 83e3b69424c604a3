"""A line that states a point the other way round: negations, opposite words, changes turned round,
roles swapped (see studyapp.core.marking)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from studyapp.core.grading import fold
from studyapp.core.marking.words import (
    _COUNTRY_FORMS,
    _NAME_FORMS,
    _NEGATING_PREFIXES,
    _NEGATIONS,
    _NOT_NEGATING,
    COUNTRIES,
    STOPWORDS,
    _stem,
    expand,
)


def _year(number: str) -> bool:
    digits = number.rstrip("s")
    return len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2099


def _negated(words: Sequence[str]) -> int:
    """How many negations a text has; "not only" and "no longer" are not denials of the claim."""
    text = " ".join(words)
    return sum(1 for w in words if w in _NEGATIONS or w.endswith("n't")) - len(_NOT_NEGATING.findall(text))


def _unprefixed(words: Sequence[str]) -> set[str]:
    """Each negated word without its prefix ("unaffected" -> "affected"), to meet its opposite."""
    return {
        w[len(prefix) :].lstrip("-")
        for w in words
        if len(w) > 5
        for prefix in _NEGATING_PREFIXES
        if w.startswith(prefix) and len(w) - len(prefix) > 4
    }


def _negation_pair(a: str, b: str) -> bool:
    """'unaffected' and 'affected', 'understaffed' and 'staffed': one is the other negated."""
    for longer, shorter in ((a, b), (b, a)):
        for prefix in _NEGATING_PREFIXES:
            if longer.startswith(prefix) and longer[len(prefix) :].lstrip("-") == shorter:
                return True
    return False


# Opposites a reversed claim uses ("took months" where the point says "quickly", "agile" for "unwieldy"):
# general English pairs, not this course's facts. A line that says one where the point says the other
# states the claim the wrong way round.
_OPPOSITE_PAIRS = """
quick:slow quickly:slowly fast:slow rapid:slow rapidly:slowly swift:slow swiftly:slowly immediately:later
early:late earlier:later increase:decrease increase:cut rise:fall grow:shrink expand:shrink expand:contract
strengthen:weaken strong:weak stronger:weaker gain:loss gain:lose win:lose success:failure succeed:fail
successful:failed accept:reject approve:reject ratify:reject support:oppose join:leave enter:leave unite:divide
cohesion:division cohesive:divided include:exclude allow:forbid allow:prohibit permit:prohibit
continue:end continued:ended agile:unwieldy flexible:rigid streamlined:unwieldy easy:hard easy:difficult
simple:complex cheap:expensive large:small majority:consensus majority:unanimity voluntary:imposed
voluntary:forced voluntarily:forced produce:consume producing:consuming producer:consumer export:import
offensive:defensive supranational:intergovernmental bilateral:multilateral unilateral:multilateral
internal:external inside:outside ally:enemy friend:enemy victory:defeat boost:reduce raise:lower
improve:worsen better:worse best:worst cooperation:competition cooperate:compete more:less more:fewer
both:only old:new existing:new existed:new
"""
# Words that turn a clause into a denial ("without a secretariat", "no gain in stature", "refused to
# ratify", "a weak sense of ownership"). A clause is what lies between commas, colons, brackets or arrows.
_DENIALS = frozenset(
    """
not no never without neither nor none cannot lack lacks lacked lacking unable fail fails failed failure
refuse refuses refused insufficient inadequate weak absent absence shortage dropped abandoned scrapped
excluded excluding except
""".split()
)
_PREFIX_HYPHEN = re.compile(r"\b(under|over|non|un|mis|dis)-(?=[a-z])", re.IGNORECASE)  # "under-funded"
_LEFT_OUT = re.compile(r"\b(?:left|kept|shut)\s+out\b", re.IGNORECASE)
_NOT_DENYING_NEXT = {"not": {"only", "just", "merely", "simply"}, "no": {"less", "more", "doubt"}}
_CLAUSE = re.compile(
    r"\s*(?:[,;:.!?()\[\]\n]|->|=>|-{1,2}\s|–|—|\b(?:but|while|whereas|which|so|because)\b)\s*", re.IGNORECASE
)
_FROM_TO = re.compile(r"\bfrom\s+(\w+)(?:\s+\w+){0,2}?\s+to\s+(\w+)")
_CLAUSE_SHARED = 2  # content words two clauses must share to be saying something about the same thing


@lru_cache(maxsize=1)
def _opposites() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for pair in _OPPOSITE_PAIRS.split():
        a, b = (_stem(w) for w in pair.split(":"))
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


def _denied(words: Sequence[str]) -> bool:
    return any(
        (w in _DENIALS or w.endswith("n't")) and not (w in _NOT_DENYING_NEXT and nxt in _NOT_DENYING_NEXT[w])
        for w, nxt in zip(words, [*words[1:], ""])
    )


@dataclass(frozen=True)
class _Clause:
    stems: frozenset[str]  # content words, stemmed (names included)
    denies: bool
    names: frozenset[str]  # countries, bodies and other acronyms, each in one form


@dataclass(frozen=True)
class _Stance:
    clauses: tuple[_Clause, ...]
    stems: frozenset[str]
    changes: tuple[tuple[str, str], ...]  # "from X to Y"
    prefixed: tuple[tuple[str, str], ...] = ()  # (stem, the stem without its negating prefix): "mistrust", "trust"

    def denied(self, stem: str) -> bool:
        return any(c.denies for c in self.clauses if stem in c.stems)


def _clause_name(token: str) -> str | None:
    word = fold(token)
    if token.isupper() and len(token) >= 2 and token.isalpha():
        return _NAME_FORMS.get(word, word)
    if token[:1].isupper():
        if word in _COUNTRY_FORMS:
            return _COUNTRY_FORMS[word]
        if word in _NAME_FORMS:
            return _NAME_FORMS[word]
        if word in COUNTRIES:
            return word
    return None


@lru_cache(maxsize=65536)
def _stance(text: str) -> _Stance:
    """A text's clauses (their content stems, whether the clause denies, the names in it), all its content
    stems, and its "from X to Y" changes."""
    expanded = _LEFT_OUT.sub("excluded", expand(text))
    clauses = []
    stems: set[str] = set()
    for part in _CLAUSE.split(expanded):
        tokens = re.findall(r"[\w']+", _PREFIX_HYPHEN.sub(r"\1", part))
        words = [fold(w) for w in tokens]
        content = frozenset(
            _stem(w) for w in words if w not in STOPWORDS and w not in _DENIALS and not w.isdigit() and len(w) > 1
        )
        stems |= content
        if content:
            names = frozenset(n for n in map(_clause_name, tokens) if n)
            clauses.append(_Clause(content, _denied(words), names))
    changes = tuple((_stem(a), _stem(b)) for a, b in _FROM_TO.findall(fold(expanded)))
    prefixed = tuple(
        (stem, stem[len(prefix) :].lstrip("-"))
        for stem in stems
        for prefix in _NEGATING_PREFIXES
        if stem.startswith(prefix) and len(stem[len(prefix) :].lstrip("-")) >= 4
    )
    return _Stance(tuple(clauses), frozenset(stems), changes, prefixed)


def _roles_swapped(point: _Stance, line: _Stance) -> bool:
    """Two clauses of the point give two names different roles ("the US trained the army while Germany
    trained the police"); the line gives one name the other's role and not its own."""
    named = [c for c in point.clauses if c.names]
    for a in named:
        for b in named:
            if a is b or a.names & b.names:
                continue
            own = a.stems - b.stems - {_stem(n) for n in a.names | b.names}
            other = b.stems - a.stems - {_stem(n) for n in a.names | b.names}
            if not own or not other:
                continue
            for clause in line.clauses:
                if (
                    clause.names & a.names
                    and not clause.names & b.names
                    and clause.stems & other
                    and not clause.stems & own
                ):
                    return True
    return False


def reversed_claim(point: str, line: str) -> bool:
    """The line says what the point says the other way round: a clause about the same thing denied on
    one side and not on the other ("had a permanent secretariat" for "without a permanent secretariat"),
    an opposite word ("slow" for "quickly"), a change turned round ("from producing to consuming"), or
    two names' roles swapped ("Germany trained the army" where the US did)."""
    p, ln = _stance(point), _stance(line)
    for pc in p.clauses:
        for lc in ln.clauses:
            # the same thing said both ways in the line ("not X but Y") leaves no stance to compare
            if (
                pc.denies != lc.denies
                and len(pc.stems & lc.stems) >= _CLAUSE_SHARED
                and not any(
                    len(pc.stems & other.stems) >= _CLAUSE_SHARED and other.denies == pc.denies for other in ln.clauses
                )
            ):
                return True
    # An opposite word ("slow" for "quickly", "mistrust" for "trust") reverses the claim, unless one of the
    # two is denied ("no clear purpose" is "an unclear purpose").
    opposites = _opposites()
    for stem in p.stems - ln.stems:
        for other in opposites.get(stem, ()):
            if other in ln.stems and other not in p.stems and p.denied(stem) == ln.denied(other):
                return True
    for mine, theirs in ((p, ln), (ln, p)):
        for stem, base in mine.prefixed:
            if (
                stem not in theirs.stems
                and base in theirs.stems
                and base not in mine.stems
                and mine.denied(stem) == theirs.denied(base)
            ):
                return True
    if any((b, a) in ln.changes for a, b in p.changes if a != b):
        return True
    return _roles_swapped(p, ln)
