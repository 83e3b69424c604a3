"""Grade typed answers: fuzzy for ordinary words, exact for numbers and names.

A typed answer is compared with each accepted answer (the card's `answers`, or
its back when it has none) token by token. Ordinary words match fuzzily
(rapidfuzz), so a typo costs little; numbers and names must match exactly, so
"1954" for "1955" is wrong however similar the strings look. List cards are
graded item by item, in any order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from studyapp.core.models import AnswerResult, Card, CardKind, ItemMatch, Rating

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
january february march april may june july august september october november december
""".split())
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
    "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
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

    @property
    def numbers_ok(self) -> bool:
        return not self.wrong_numbers and not any(m[:1].isdigit() for m in self.missing)


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
    return _Score(100.0 * found / total, tuple(missing), wrong)


def _suggest(similarity: float, correct: bool) -> Rating:
    if not correct:
        return Rating.AGAIN
    return Rating.GOOD if similarity >= GOOD else Rating.HARD


def grade_typed_answer(card: Card, typed: str) -> AnswerResult:
    """Grade what the student typed for `card`; list cards go item by item."""
    if card.kind is CardKind.LIST:
        return grade_list_answer(card.items, typed)
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
