"""Grade typed answers: fuzzy for ordinary words, exact for numbers and names.

A typed answer is compared with each accepted answer (the card's `answers`, or
its back when it has none) token by token. Ordinary words match fuzzily
(rapidfuzz), so a typo costs little; numbers and names must match exactly, so
"1954" for "1955" is wrong however similar the strings look. List cards are
graded item by item, in any order.

Given a sentence-meaning model (`similarities`, studyapp.meaning's), an answer in other words can
count too ("Soviet expansion" for "Communist expansion"), but only where every number and name of
the accepted answer is there, no other number is typed, and each word it lacks has a typed word of
close meaning that is not its opposite ("disarmament" for "rearmament" stays wrong): see
`meaning_accepts`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from studyapp.core.decks import plain_text
from studyapp.core.models import AnswerResult, Card, CardKind, ItemMatch, Rating

# (texts, others) -> the cosine of every text with every other: the sentence-meaning model's.
Similarities = Callable[[Sequence[str], Sequence[str]], Sequence[Sequence[float]]]
MEANING_WHOLE = 0.75  # cosine of the whole answers from which other words may say the same thing
# Cosine from which a typed word stands in for a missing one: "Soviet" for "Communist" is 0.66, "American"
# 0.37. The model puts some opposites as close ("civilian" for "military", 0.67), so an answer accepted
# this way is only ever suggested Hard, with the answer shown beside it to compare. (0.66 with the
# package's float32 weights; 0.65 with the quantised copy studyapp/meaning.py runs makes the same
# decisions on 98% of 3,000 pairs of the decks' words, as many accepted as before.)
MEANING_WORD = 0.65
# Prefixes that turn a word into another, often its opposite: "rearmament" and "disarmament",
# "increase" and "decrease" share a root, so the model finds them close; they are never the same word.
OPPOSING_PREFIXES = ("re", "dis", "de", "un", "non", "in", "im", "ir", "il", "anti", "counter", "pro", "ex",
                     "over", "under", "mis", "pre", "post")

WORD_MATCH = 85  # rapidfuzz ratio at which two ordinary words count as the same word
PASS = 75  # similarity (0-100) from which an answer counts as correct
GOOD = 90  # similarity from which a correct answer suggests Good rather than Hard
ITEM_PASS = 80  # similarity at which a typed piece counts as a list item

STOPWORDS = frozenset("""
a an the and or of in on at to for from by with as its it is was were be been are this that these those
which who what when where how its their his her they them after before during into over under about than
then also both each all some any not no nor so but if up out off per via
""".split())
# Capitalised words that name a kind of thing rather than a particular one: graded as ordinary words.
GENERIC = frozenset("""
treaty treaties report act plan summit conference programme program mission operation organisation
organization union community council committee agreement agreements declaration concept strategy
initiative partnership policy force forces agency article charter pact alliance
communist communists communism socialist socialism capitalist capitalism fascist fascism marxist marxism
january february march april may june july august september october november december
""".split())
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
    "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
}
_TOKEN = re.compile(r"\d[\d,.]*\d(?:'?s\b)?|\d(?:'?s\b)?|[^\W\d_]+(?:'[^\W\d_]+)*", re.UNICODE)
# Ways to cut a typed list into pieces, from the finest to the coarsest. Items such as
# "Economic and environmental" contain the very words a looser cut splits on, so each way
# is tried and the one that matches most items wins.
_SPLITS = (
    re.compile(r"\n|;|,(?!\d{3})|\band\b|\s*\u2022\s*"),
    re.compile(r"\n|;|,(?!\d{3})|\s*\u2022\s*"),
    re.compile(r"\n|;|\s*\u2022\s*"),
)


@dataclass(frozen=True)
class Token:
    text: str  # normalised: lower case, no accents
    kind: str  # "number" | "name" | "word"

    @property
    def weight(self) -> int:
        return 1 if self.kind == "word" else 2


@lru_cache(maxsize=100_000)  # the essay scorer folds the same words thousands of times per outline
def fold(text: str) -> str:
    """Lower case without accents or curly quotes: 'Kádár’s' -> "kadar's"."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


# Names with more than one usual form, folded to one before names are compared exactly:
# "United States" and "USA" are the same name as "US"; "Britain" and "UK" are one state.
_ALIASES = [(re.compile(pattern, re.IGNORECASE), canonical) for pattern, canonical in (
    (r"\b(?:the\s+)?united\s+states(?:\s+of\s+america)?\b|\bU\.?S\.?A\b\.?|\bU\.S\.", "US"),
    (r"\b(?:the\s+)?united\s+kingdom\b|\b(?:great\s+)?britain\b|\bU\.K\.", "UK"),
    (r"\b(?:the\s+)?soviet\s+union\b|\bU\.S\.S\.R\.", "USSR"),
    (r"\b(?:the\s+)?european\s+union\b", "EU"),
    (r"\b(?:the\s+)?united\s+nations\b", "UN"),
    (r"\bfederal\s+republic\s+of\s+germany\b", "FRG"),
    (r"\bgerman\s+democratic\s+republic\b", "GDR"),
)]


def canonical_names(text: str) -> str:
    for pattern, canonical in _ALIASES:
        text = pattern.sub(canonical, text)
    return text


def tokens(text: str) -> list[Token]:
    """The content tokens of a text: numbers, names (capitalised or acronyms) and other words."""
    out: list[Token] = []
    for m in _TOKEN.finditer(canonical_names(text.replace("\u2019", "'"))):
        raw = m.group()
        if raw[0].isdigit():
            out.append(Token(raw.replace(",", "").replace("'", "").rstrip("."), "number"))  # 1940s, 2,700
            continue
        word = fold(raw)
        if word.endswith("'s"):
            word = word[:-2]
        if word in NUMBER_WORDS:
            out.append(Token(NUMBER_WORDS[word], "number"))
        elif word in STOPWORDS:
            continue
        elif raw[0].isupper() and word not in GENERIC:
            out.append(Token(word, "name"))
        else:
            out.append(Token(word, "word"))
    return out


def _same(expected: Token, typed: Token) -> bool:
    if expected.kind == "number" or typed.kind == "number":
        return expected.text == typed.text
    if expected.kind == "name":
        return expected.text == typed.text  # names are exact, only case and accents are forgiven
    return expected.text == typed.text or fuzz.ratio(expected.text, typed.text) >= WORD_MATCH


@dataclass(frozen=True)
class _Score:
    similarity: float
    missing: tuple[str, ...]
    wrong_numbers: tuple[str, ...]
    opposites: tuple[str, ...] = ()  # typed words on a missing word's root with another prefix ("disarmament")

    @property
    def numbers_ok(self) -> bool:
        """No number wrong or missing, and no word turned into another by its prefix."""
        return not self.wrong_numbers and not self.opposites and not any(m[:1].isdigit() for m in self.missing)


def score_text(expected: str, typed: str) -> _Score:
    """How much of `expected` the typed text gives, 0-100, with the missing tokens."""
    want = tokens(expected)
    got = tokens(typed)
    if not want:  # nothing checkable, e.g. an answer of only stopwords
        ratio = fuzz.ratio(fold(expected).strip(), fold(typed).strip())
        return _Score(ratio, () if ratio >= PASS else (expected,), ())
    total = sum(t.weight for t in want)
    found = 0
    missing: list[str] = []
    for token in want:
        if any(_same(token, g) for g in got):
            found += token.weight
        elif token.text not in missing:
            missing.append(token.text)
    # A number typed that the answer lacks, of the same length as one it has, is a wrong number:
    # "1954" where "1955" is expected. Extra detail of another kind ("14 May 1955") is not.
    want_numbers = {t.text for t in want if t.kind == "number"}
    lengths = {len(n) for n in want_numbers}
    wrong = tuple(dict.fromkeys(t.text for t in got if t.kind == "number"
                                and t.text not in want_numbers and len(t.text) in lengths))
    opposites = tuple(dict.fromkeys(g.text for g in got if g.kind == "word"
                                    for m in missing if _opposing(m, g.text)))
    return _Score(100.0 * found / total, tuple(missing), wrong, opposites)


def _suggest(similarity: float, correct: bool) -> Rating:
    if not correct:
        return Rating.AGAIN
    return Rating.GOOD if similarity >= GOOD else Rating.HARD


def grade_typed_answer(card: Card, typed: str, similarities: Similarities | None = None) -> AnswerResult:
    """Grade what the student typed for `card`; list cards go item by item. With `similarities`, an
    answer in other words may count (see meaning_accepts)."""
    typed = plain_text(typed)
    if card.kind is CardKind.LIST:
        return grade_list_answer(card.items, typed)
    result = _grade_text(card, typed)
    if result.correct or similarities is None or not typed.strip():
        return result
    for target in card.answers or (card.back,):
        if (cosine := meaning_accepts(target, typed, similarities)) is not None:
            similarity = round(100 * cosine, 1)
            return replace(result, similarity=similarity, correct=True, suggested=Rating.HARD, missing=(),
                           by_meaning=True)
    return result


def _opposing(a: str, b: str) -> bool:
    """Two words on one root with different prefixes: "rearmament" and "disarmament"."""
    def roots(word: str) -> set[str]:
        return {word} | {word[len(p):].lstrip("-") for p in OPPOSING_PREFIXES
                         if word.startswith(p) and len(word) - len(p) >= 4}

    return a != b and bool(roots(a) & roots(b))


def meaning_accepts(expected: str, typed: str, similarities: Similarities) -> float | None:
    """The cosine of `typed` with `expected` where it says the same thing in other words, else None.

    Numbers and names stay as strict as elsewhere: every one of `expected` must be typed (and no
    wrong number); each other word it lacks must have a typed word close in meaning (MEANING_WORD)
    that is not the same root with another prefix; and the whole must be close (MEANING_WHOLE)."""
    for option in alternatives(expected):
        want, got = tokens(option), tokens(typed)
        if not want or not got:
            continue
        score = score_text(option, typed)
        if not score.numbers_ok or any(t.kind != "word" for t in want if t.text in score.missing):
            continue
        if any(t.kind == "number" for t in got if t.text not in {w.text for w in want}):
            continue  # a number the answer does not have: a wrong detail, however close the words
        lacking = [t.text for t in want if t.text in score.missing]
        spare = [g.text for g in got if g.kind != "number" and not any(_same(w, g) for w in want)]
        if lacking and not spare:
            continue
        matrix = similarities([option, *lacking], [typed, *spare])
        if matrix[0][0] < MEANING_WHOLE:
            continue
        if all(any(matrix[1 + i][1 + j] >= MEANING_WORD and not _opposing(word, spare[j])
                   for j in range(len(spare))) for i, word in enumerate(lacking)):
            return float(matrix[0][0])
    return None


def _grade_text(card: Card, typed: str) -> AnswerResult:
    targets = card.answers or (card.back,)
    best: tuple[bool, float, _Score] | None = None
    for target in targets:
        score = best_score(target, typed)
        correct = score.similarity >= PASS and score.numbers_ok
        key = (correct, score.similarity, score)
        if best is None or key[:2] > best[:2]:
            best = key
    assert best is not None
    correct, similarity, score = best
    return AnswerResult(similarity=round(similarity, 1), correct=correct,
                        suggested=_suggest(similarity, correct), missing=score.missing,
                        wrong_numbers=score.wrong_numbers)


_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")


def alternatives(expected: str) -> list[str]:
    """Ways to say an expected item: "Germany (FRG)" is also "Germany" or "FRG"; "A / B" is A or B."""
    options = [expected]
    inner = _PAREN.findall(expected)
    if inner:
        options.append(_PAREN.sub(" ", expected).strip())
        options += [i.strip() for i in inner if i.strip()]
    if " / " in expected:
        options += [part.strip() for part in expected.split(" / ") if part.strip()]
    return [o for o in dict.fromkeys(options) if o]


def best_score(expected: str, typed: str) -> _Score:
    """The best score of `typed` against any way of saying `expected`."""
    scores = [score_text(option, typed) for option in alternatives(expected)]
    return max(scores, key=lambda s: (s.numbers_ok, s.similarity))


def split_items(typed: str, level: int = 0) -> list[str]:
    """Split a typed list on new lines, semicolons, commas and 'and' (level 0); level 1 keeps 'and',
    level 2 keeps commas too."""
    return [p.strip(" .-") for p in _SPLITS[level].split(typed) if p and p.strip(" .-")]


def grade_list_answer(items: tuple[str, ...], typed: str) -> AnswerResult:
    """Match each expected item to at most one typed piece, best pairs first, in any order."""
    results = [_grade_pieces(items, split_items(typed, level)) for level in range(len(_SPLITS))]
    return max(results, key=lambda r: (len(items) - len(r.missing), -len(r.items)))


def _grade_pieces(items: tuple[str, ...], pieces: list[str]) -> AnswerResult:
    pairs: list[tuple[float, float, int, int]] = []  # similarity, closeness, item, piece
    for i, item in enumerate(items):
        for j, piece in enumerate(pieces):
            score = best_score(item, piece)
            if score.numbers_ok:
                # Ties go to the closer whole string: "Combined Operations" is not
                # "Combined Intelligence Operations", though it has all of its words.
                closeness = fuzz.token_sort_ratio(fold(item), fold(piece))
                pairs.append((score.similarity, closeness, i, j))
    pairs.sort(key=lambda p: (-p[0], -p[1]))
    matched: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for similarity, _, i, j in pairs:
        if similarity < ITEM_PASS or i in matched or j in used:
            continue
        matched[i] = (j, similarity)
        used.add(j)
    results = tuple(
        ItemMatch(item, pieces[matched[i][0]], matched[i][1]) if i in matched else ItemMatch(item, None, 0.0)
        for i, item in enumerate(items)
    )
    share = 100.0 * len(matched) / len(items) if items else 0.0
    correct = len(matched) == len(items)
    if correct:
        suggested = Rating.GOOD
    elif share >= 60:
        suggested = Rating.HARD
    else:
        suggested = Rating.AGAIN
    missing = tuple(r.expected for r in results if r.matched is None)
    return AnswerResult(similarity=round(share, 1), correct=correct, suggested=suggested,
                        missing=missing, items=results)
