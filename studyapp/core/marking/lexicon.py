"""Key terms: what the decks say about words (how rare each stem is, which words are names), and the
terms of a text weighted by it (see studyapp.core.marking)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from studyapp.core.grading import NUMBER_WORDS, fold
from studyapp.core.marking.words import _COUNTRY_FORMS, _GENERIC, _PHRASE, _TOKEN, COUNTRIES, STOPWORDS, _stem, expand


@dataclass(frozen=True)
class Term:
    text: str  # a stem, a folded name, or a number
    kind: str  # word | name | number
    weight: float = 1.0


@dataclass
class Lexicon:
    """What the decks say about words: how rare each stem is, which capitalised words are names, and
    which names are of one kind (organisations, treaties), so that one can be told from another."""

    df: Counter = field(default_factory=Counter)
    documents: int = 0
    names: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    common: set[str] = field(default_factory=set)  # stems the decks write in lower case: ordinary words
    phrases: set[str] = field(default_factory=set)  # names of several words ("Smart Border Accord")
    _phrase_re: re.Pattern | None = None

    def add(self, text: str) -> None:
        self.documents += 1
        expanded = expand(text)
        seen: set[str] = set()
        for i, m in enumerate(_TOKEN.finditer(expanded)):
            raw = m.group()
            if raw[0].isdigit():
                continue
            word = fold(raw)
            seen.add(_stem(word))
            if raw[0].isupper() and i > 0 and word not in _GENERIC and word not in STOPWORDS:
                self.names.add(word)
            elif raw.islower() and word not in COUNTRIES:  # "nato-russia" in an id is still Russia
                self.common.add(_stem(word))
        for acronym in re.findall(r"\b[A-Z][A-Za-z-]{1,5}\b", expanded):
            if sum(ch.isupper() for ch in acronym) >= 2:
                self.organisations.add(fold(acronym))
        for m in _PHRASE.finditer(expanded):
            words = m.group().split()
            folded = [fold(w) for w in words]
            # A name of several words, one of them a kind of thing ("Smart Border Accord", "Council of
            # Europe"); not a mere direction and a people ("West German", "Western Europe").
            plain = [
                w
                for w in folded
                if w not in _GENERIC and w not in ("of", "for") and w not in _COUNTRY_FORMS and w not in COUNTRIES
            ]
            if len(words) >= 2 and any(w in _GENERIC for w in folded) and plain and folded[0] not in STOPWORDS:
                self.phrases.add(" ".join(folded))
        self._phrase_re = None
        self.df.update(seen)

    def phrase_pattern(self) -> re.Pattern | None:
        if self._phrase_re is None and self.phrases:
            ordered = sorted(self.phrases, key=len, reverse=True)
            self._phrase_re = re.compile(
                r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) + r")\b", re.IGNORECASE
            )
        return self._phrase_re

    def share(self, name: str) -> float:
        """The share of the decks' texts that use a word or name."""
        if not self.documents or " " in name:  # a name of several words is never that common
            return 0.0
        return self.df.get(_stem(name), 0) / self.documents

    def weight(self, stem: str) -> float:
        """Inverse document frequency, floored so that common course words still count a little."""
        if not self.documents:
            return 1.0
        idf = math.log((self.documents + 1) / (self.df.get(stem, 0) + 1))
        return max(0.35, min(idf / math.log(self.documents + 1) * 2.0, 1.5))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Lexicon:
        lexicon = cls()
        for text in texts:
            lexicon.add(text)
        return lexicon


def terms(text: str, lexicon: Lexicon) -> list[Term]:
    """The key terms of a text, each once: numbers, names and stemmed content words."""
    out: dict[tuple[str, str], Term] = {}
    expanded = expand(text)
    pattern = lexicon.phrase_pattern()
    if pattern is not None:

        def phrase(m: re.Match) -> str:
            words = fold(m.group()).split()
            name = " ".join(words)
            out.setdefault(("name", name), Term(name, "name", 1.5))
            for word in words:  # "Schuman Plan" names Schuman too
                if word not in _GENERIC and word not in STOPWORDS and _stem(word) not in lexicon.common:
                    out.setdefault(("name", word), Term(word, "name", 0.5))
            return " "

        expanded = pattern.sub(phrase, expanded)
    for m in _TOKEN.finditer(expanded):
        raw = m.group()
        if raw[0].isdigit():
            number = raw.replace(",", "").replace("'", "").rstrip(".")
            out.setdefault(("number", number), Term(number, "number", 1.5))
            continue
        word = fold(raw)
        if word.endswith("'s"):
            word = word[:-2]
        if word in NUMBER_WORDS:
            out.setdefault(("number", NUMBER_WORDS[word]), Term(NUMBER_WORDS[word], "number", 1.5))
            continue
        if word in STOPWORDS or len(word) < 2:
            continue
        # At the start of a sentence a capital says nothing, unless the decks use the word as a name or
        # never write it in lower case ("Rumsfeld warned ...", but not "Critics say ...").
        # A capital alone does not make a name: "Blockade" or "Process" in a point, "Critics" at the start
        # of a line, are words the decks write in lower case too. Acronyms are names.
        parts = word.split("-")
        is_name = (
            raw[0].isupper()
            and not all(p in _GENERIC for p in parts)
            and (
                raw.isupper()
                or sum(ch.isupper() for ch in raw) >= 2
                or not (_stem(word) in lexicon.common or word in lexicon.common)
            )
        )
        if is_name:
            out.setdefault(("name", word), Term(word, "name", 1.5))
        else:
            stem = _stem(word)
            out.setdefault(("word", stem), Term(stem, "word", lexicon.weight(stem)))
    return list(out.values())
