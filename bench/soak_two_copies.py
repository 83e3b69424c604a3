#!/usr/bin/env python3
"""Kill soak with two copies of the app answering the same deck on one data folder.

    python bench/soak_two_copies.py [--kills 500] [--per-folder 50] [--undo 0.1] [--seed 1]

Two headless studyapps (tests/durability/answering_child.py) answer the same 300-card deck
through the real review screen, taking back a share of their answers with `u`. Again and
again one of them is SIGKILLed at a random moment (one time in five during its start-up)
while the other goes on answering, then started afresh. After each kill, on a consistent
snapshot of the database (SQLite's backup API, as the other copy is still writing):

- every answer a killed copy showed as saved (and did not take back) is in the log;
- each card's progress is the replay of its log with the real fsrs Scheduler, every answer
  computed from the state the answers before it left (tests/durability/replay.py);
- PRAGMA integrity_check is ok.

After --per-folder kills the survivor is killed too, the folder checked a last time, and a
fresh folder starts. `between_kills` is the place for a restore from a backup mid-soak.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.durability.harness import Saved, check_database, parse, start, write_deck  # noqa: E402
from tests.durability.replay import replay_problems  # noqa: E402

RUN_TIMEOUT = 60  # seconds a copy may take to give its first answer


class Copy:
    """One running copy: its process, and its stdout read as it comes (so the pipe never fills)."""

    def __init__(self, data: Path, decks: Path, seed: int, undo: float):
        self.proc = start(data, decks, seed, undo_share=undo)
        self.lines: list[str] = []
        self.answering = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode()
            self.lines.append(line)
            if line.startswith("saved"):
                self.answering.set()
        self.answering.set()  # ended: nothing more to wait for

    def kill(self) -> tuple[list[Saved], bool]:
        """SIGKILL it; returns what it showed as saved (and kept), and whether the kill ended it."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=RUN_TIMEOUT)
        self.reader.join(timeout=RUN_TIMEOUT)
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read().decode()
        return parse(self.lines), self.proc.returncode == -signal.SIGKILL


def snapshot(db: Path, into: Path) -> Path | None:
    """A consistent copy of `db` while another copy of the app writes to it (None: no database yet)."""
    if not db.exists():
        return None
    into.unlink(missing_ok=True)
    source = sqlite3.connect(db, timeout=30)
    target = sqlite3.connect(into)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # a plain file, read without the live one's WAL
    finally:
        target.close()
        source.close()
    return into


def check(db: Path, scratch: Path, saved: list[Saved]) -> list[str]:
    copy = snapshot(db, scratch)
    if copy is None:
        return [f"no database, yet {len(saved)} answers were shown as saved"] if saved else []
    problems = check_database(copy, saved)
    tables = {r[0] for r in sqlite3.connect(copy).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "review_log" in tables:
        problems += replay_problems(copy)
    return problems


def between_kills(data: Path, kill: int) -> None:
    """A hook: restore from a backup here mid-soak (the restore work's; nothing yet)."""


def soak_folder(folder: Path, kills: int, seed: int, undo: float) -> dict:
    decks = write_deck(folder / "decks", deck_id="same")
    data = folder / "data"
    db, scratch = data / "studyapp.db", folder / "snapshot.db"
    rng = random.Random(seed)
    copies = [Copy(data, decks, rng.randrange(1 << 30), undo) for _ in range(2)]
    saved: list[Saved] = []
    problems: list[str] = []
    early = ended = 0
    for kill in range(kills):
        i = rng.randrange(2)
        victim = copies[i]
        if rng.random() < 0.2:  # during start-up: opening, migrating, backing up
            time.sleep(rng.uniform(0.05, 1.0))
        else:
            victim.answering.wait(RUN_TIMEOUT)
            time.sleep(rng.uniform(0.0, 1.0))
        try:
            kept, killed = victim.kill()
        except Exception as exc:  # noqa: BLE001 - counted as a problem, the soak goes on
            problems.append(f"kill failed: {type(exc).__name__}: {exc}")
            kept, killed = [], True
        early += not kept
        ended += not killed
        if not killed and victim.proc.returncode not in (0, None):
            problems.append(f"a copy failed by itself ({victim.proc.returncode}): {victim.stderr[-1500:]}")
        saved += kept
        try:
            problems += check(db, scratch, saved)
        except Exception as exc:  # noqa: BLE001 - a database the check cannot even read is a problem
            problems.append(f"check failed: {type(exc).__name__}: {exc}")
        between_kills(data, kill)
        copies[i] = Copy(data, decks, rng.randrange(1 << 30), undo)
    for survivor in copies:
        kept, _ = survivor.kill()
        saved += kept
    problems += check(db, scratch, saved)
    return {"kills": kills, "answers": len(saved), "no_answer_yet": early, "ended_itself": ended,
            "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--per-folder", type=int, default=50)
    parser.add_argument("--undo", type=float, default=0.1, help="share of turns that press u instead of answering")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="studyapp-soak2-"))
    batches = [min(args.per_folder, args.kills - i) for i in range(0, args.kills, args.per_folder)]
    begun = time.perf_counter()
    results = []
    for n, kills in enumerate(batches):  # one folder at a time: its two copies already fill two cores
        results.append(soak_folder(root / f"f{n}", kills, args.seed * 1000 + n, args.undo))
        done = sum(r["kills"] for r in results)
        print(f"  {done}/{args.kills} kills, {sum(len(r['problems']) for r in results)} problems, "
              f"{time.perf_counter() - begun:.0f} s", flush=True)
    seconds = time.perf_counter() - begun
    problems = [p for r in results for p in r["problems"]]
    print(f"two-copies kill soak: {args.kills} SIGKILLs in {len(batches)} folders, {seconds:.0f} s "
          f"(pid {os.getpid()}, data under {root})")
    print(f"{'kills':>6} {'answers saved':>14} {'killed in start-up':>19} {'ended itself':>13} {'problems':>9}")
    print(f"{sum(r['kills'] for r in results):6} {sum(r['answers'] for r in results):14} "
          f"{sum(r['no_answer_yet'] for r in results):19} {sum(r['ended_itself'] for r in results):13} "
          f"{len(problems):9}")
    for p in problems[:20]:
        print("PROBLEM:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
