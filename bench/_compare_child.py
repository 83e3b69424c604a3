"""Run by anki_compare.py in a fresh interpreter: one side of the comparison, as JSON on stdout.

    python _compare_child.py anki OUT_DIR CARDS DECKS ANSWERS     (in bench/.venv-anki: Anki's library)
    python _compare_child.py studyapp OUT_DIR CARDS DECKS ANSWERS (in studyapp's venv)
    python _compare_child.py anki-open COLLECTION                 (peak memory opening a collection)

Both sides get the same cards (the text bench/generate.py writes), in DECKS decks, then answer
ANSWERS cards with the same ratings: time to add the cards, to get the next card, to answer it.
This file imports nothing from studyapp at the top, since Anki's venv does not have it.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

WORDS = ("alliance treaty summit council defence security partnership mission command member enlargement "
         "cooperation crisis capability operation training transition strategy deterrence dialogue").split()


def card_texts(cards: int, decks: int, seed: int = 1):  # noqa: ANN201 - as bench/generate.py writes them
    rng = random.Random(seed)
    per_deck = cards // decks
    for d in range(decks):
        for c in range(per_deck):
            year = 1945 + rng.randrange(70)
            words = " ".join(rng.choice(WORDS) for _ in range(6))
            yield d, f"Question {c} of deck {d}: which year saw the {words}?", f"In {year}, the {words}."


def ratings(n: int) -> list[int]:
    rng = random.Random(2)
    return [rng.choices([1, 2, 3, 4], weights=[10, 10, 70, 10])[0] for _ in range(n)]


def summary(values: list[float]) -> dict:
    values = sorted(values)
    return {"median": statistics.median(values), "p99": values[min(len(values) - 1, int(len(values) * 0.99))],
            "n": len(values)}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_anki(out: Path, cards: int, decks: int, answers: int) -> dict:
    from anki.cards import Card
    from anki.collection import AddNoteRequest, Collection  # first: anki.cards alone is a circular import
    from anki.scheduler_pb2 import CardAnswer

    col = Collection(str(out / "collection.anki2"))
    col.set_config("fsrs", True)  # studyapp schedules with FSRS too
    conf = col.decks.config_dict_for_deck_id(1)
    conf["new"]["perDay"] = 9999
    conf["rev"]["perDay"] = 9999  # new cards count against the review limit too
    col.decks.update_config(conf)
    notetype = col.models.by_name("Basic")
    start = time.perf_counter()
    deck_ids = [col.decks.id(f"Bench::deck_{d:03d}") for d in range(decks)]
    requests = []
    for d, front, back in card_texts(cards, decks):
        note = col.new_note(notetype)
        note["Front"], note["Back"] = front, back
        requests.append(AddNoteRequest(note, deck_ids[d]))
    col.add_notes(requests)
    add_s = time.perf_counter() - start
    del requests
    col.decks.select(col.decks.id("Bench"))
    rating_of = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}
    next_ms, answer_ms = [], []
    for rating in ratings(answers):
        t0 = time.perf_counter()
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            raise SystemExit(f"Anki queued no card after {len(next_ms)} answers: {queued}; {col.card_count()} cards")
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        t1 = time.perf_counter()
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=rating_of[rating]))
        t2 = time.perf_counter()
        next_ms.append((t1 - t0) * 1000)
        answer_ms.append((t2 - t1) * 1000)
    count = col.card_count()
    col.close()
    return {"add_s": add_s, "cards": count, "next": summary(next_ms), "answer": summary(answer_ms),
            "peak_mb": peak_mb()}


def anki_open(path: Path) -> dict:
    from anki.collection import Collection

    start = time.perf_counter()
    col = Collection(str(path))
    col.decks.select(col.decks.id("Bench"))
    col.sched.get_queued_cards(fetch_limit=1)
    seconds = time.perf_counter() - start
    col.close()
    return {"open_s": seconds, "peak_mb": peak_mb()}


def run_studyapp(out: Path, cards: int, decks: int, answers: int) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import write_decks

    from studyapp import paths
    from studyapp.core.models import Rating
    from studyapp.deck_files import load_decks
    from studyapp.service import StudyService

    data = out / "data"
    data.mkdir(parents=True)
    # Adding cards to studyapp is writing deck files; the app takes them in on its next start by
    # parsing and validating them once (and caching the result), which is timed here too.
    start = time.perf_counter()
    write_decks(out / "decks", cards, decks, random.Random(1))
    decks_set = load_decks([out / "decks"], paths.cache_dir(data))
    add_s = time.perf_counter() - start
    count = sum(len(d.cards) for d in decks_set.decks)
    del decks_set
    paths.bundled_decks_dir = lambda: out / "decks"  # only these decks, as Anki has only its own
    service = StudyService.open(data)
    service.update_settings(new_per_day=9999)
    session = service.sessions.today([d.id for d in service.decks.decks])
    next_ms, answer_ms = [], []
    for rating in ratings(answers):
        t0 = time.perf_counter()
        card = session.next_card()
        t1 = time.perf_counter()
        assert card is not None
        session.answer(Rating(rating), mode="flip", duration_ms=3000)
        t2 = time.perf_counter()
        next_ms.append((t1 - t0) * 1000)
        answer_ms.append((t2 - t1) * 1000)
    return {"add_s": add_s, "cards": count, "next": summary(next_ms), "answer": summary(answer_ms),
            "peak_mb": peak_mb()}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "anki-open":
        result = anki_open(Path(sys.argv[2]))
    else:
        out, cards, decks, answers = Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        result = (run_anki if mode == "anki" else run_studyapp)(out, cards, decks, answers)
    print(json.dumps(result))
