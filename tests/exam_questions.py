"""Can a student answer the exam's questions from the cards they are asked?

`tests/data/exam_questions.json` holds exam-style questions written from the course documents alone by
someone who had not seen the decks: for each, the key facts an answer must contain (`must`; alternatives
joined by "|"). A question is answered by one card when a single card (its front, back, items and typed
answers: what the student is asked and what they must answer) holds every key fact; by two cards when two
cards hold them together. Notes never
count: a student reads a note but is never asked it. Run as a script for the figures and the misses:

    PYTHONPATH=. .venv/bin/python -m tests.exam_questions [--misses]
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from studyapp.core.models import Card, Deck

QUESTIONS = Path(__file__).parent / "data" / "exam_questions.json"
# A second bank, written later by another writer who saw neither the decks nor the first bank: its "dev" half
# showed the kinds of gap the decks still had; its "heldout" half was never looked at while the decks changed.
SECOND_BANK = Path(__file__).parent / "data" / "exam_questions_2.json"
EXAM_DECKS = ("nato", "warsaw_pact", "weu", "edc", "osce", "spp", "ntm_a")


def normal(text: str) -> str:
    """Lower case, accents and punctuation gone, numbers without thousands separators."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"(?<=\d)[,\u2009 ](?=\d{3}\b)", "", text)
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


def holds(text: str, fact: str) -> bool:
    """The fact, or one of its "|" alternatives, appears in the text as whole words."""
    return any(normal(alt) in text for alt in fact.split("|") if alt.strip())


def asked_text(card: Card) -> str:
    return normal(" ".join([card.front, card.back, *card.items, *card.answers]))


def answered_by_one(must: Sequence[str], cards: Iterable[Card]) -> Card | None:
    return next((c for c in cards if all(holds(asked_text(c), f) for f in must)), None)


def answered_by_two(must: Sequence[str], cards: Sequence[Card]) -> tuple[Card, Card] | None:
    texts = [(c, asked_text(c)) for c in cards]
    for i, (a, ta) in enumerate(texts):
        covered = [holds(ta, f) for f in must]
        if not any(covered):
            continue
        rest = [f for f, ok in zip(must, covered) if not ok]
        if not rest:
            return a, a
        for b, tb in texts[i + 1:]:
            if all(holds(tb, f) for f in rest):
                return a, b
    return None


def load_questions(path: Path = QUESTIONS, split: str | None = None) -> list[dict]:
    questions = json.loads(path.read_text(encoding="utf-8"))
    return [q for q in questions if split is None or q.get("split") == split]


def coverage(decks: Sequence[Deck], questions: Sequence[dict]) -> dict[str, dict]:
    """Per deck: questions, answered by one card, by one or two cards, and the misses."""
    cards = [c for d in decks for c in d.cards]
    out: dict[str, dict] = {}
    for q in questions:
        row = out.setdefault(q["deck"], {"questions": 0, "one": 0, "two": 0, "misses": []})
        row["questions"] += 1
        if answered_by_one(q["must"], cards):
            row["one"] += 1
            row["two"] += 1
        elif answered_by_two(q["must"], cards):
            row["two"] += 1
            row["misses"].append(("two", q))
        else:
            row["misses"].append(("none", q))
    return out


if __name__ == "__main__":
    from studyapp import paths
    from studyapp.deck_files import load_decks

    decks = load_decks([paths.bundled_decks_dir()]).decks
    held = coverage(decks, load_questions(SECOND_BANK, "heldout"))
    n = sum(r["questions"] for r in held.values())
    print(f"second bank, held-out half: {n} exam-topic questions, "
          f"{sum(r['one'] for r in held.values()) / n:.0%} answered by one card, "
          f"{sum(r['two'] for r in held.values()) / n:.0%} by one or two (key facts matched word for word)")
    table = coverage(decks, load_questions())
    for scope, ids in (("exam topics", EXAM_DECKS), ("other topics", tuple(d for d in table if d not in EXAM_DECKS))):
        n = sum(table[d]["questions"] for d in ids if d in table)
        one = sum(table[d]["one"] for d in ids if d in table)
        two = sum(table[d]["two"] for d in ids if d in table)
        print(f"{scope}: {n} questions, {one / n:.0%} answered by one card, {two / n:.0%} by one or two")
    for deck_id, row in sorted(table.items()):
        print(f"  {deck_id}: {row['one']}/{row['questions']} by one card, {row['two']}/{row['questions']} by one or two")
        if "--misses" in sys.argv:
            for how, q in row["misses"]:
                missing = "" if how == "two" else " (not even two cards)"
                print(f"      {q['question']}  must={q['must']}{missing}")
