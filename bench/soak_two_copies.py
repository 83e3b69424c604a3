#!/usr/bin/env python3
"""Kill soak with two copies of the app answering the same deck on one data folder.

    python bench/soak_two_copies.py [--kills 500] [--per-folder 50] [--undo 0.1] [--restore-every 25] [--seed 1]

Two headless studyapps (tests/durability/answering_child.py) answer the same 300-card deck
through the real review screen, taking back a share of their answers with `u`. Again and
again one of them is SIGKILLed at a random moment (one time in five during its start-up)
while the other goes on answering, then started afresh. After each kill, on a consistent
snapshot of the database (SQLite's backup API, as the other copy is still writing):

- every answer a killed copy showed as saved (and did not take back) is in the log;
- each card's progress is the replay of its log with the real fsrs Scheduler, every answer
  computed from the state the answers before it left (tests/durability/replay.py);
- PRAGMA integrity_check is ok.

Restores, through the real CLI, as a student would: half way to every --restore-every'th kill
of a folder, `studyapp backup --data-dir DIR` while the other copy runs, then at once
`studyapp restore THAT_FILE` while it still has the database open: it must be refused (not 0,
"open in another window"), with the database file, the backups folder and every later answer
of that copy left as they were. At every --restore-every'th kill the survivor is killed too and
one of the folder's backups, picked at random, is restored (`studyapp restore FILE`, which must
succeed). Then the safety copy the restore made (`before-restore-...db`) must hold every answer
shown as saved until then, and from there on the database must hold the backup's answers plus
every answer shown as saved after the restore (answers saved after the backup was made are
legitimately gone); the replay and integrity checks go on as before. Both copies then start afresh.

After --per-folder kills the survivor is killed too, the folder checked a last time, and a
fresh folder starts. The last line sums it up: kills, restores done and refused as expected,
answers shown as saved, answers lost, integrity failures, replay mismatches, seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sqlite3
import subprocess
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
        self.refused_at: int | None = None  # answers it had shown as saved when a restore was refused under it
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


def cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    """The real `studyapp` command, as a student types it: `python -m studyapp ARGS --data-dir DATA`."""
    return subprocess.run([sys.executable, "-m", "studyapp", *args, "--data-dir", str(data)], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)


def log_rows(db: Path) -> list[Saved]:
    """Every answer in the review log of the (closed, self-contained) file `db`, as Saved rows."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [Saved(*row) for row in con.execute("SELECT id, deck_id, card_id, rating FROM review_log ORDER BY id")]
    finally:
        con.close()


def missing(db: Path | None, expected: list[Saved]) -> list[Saved]:
    """The answers of `expected` that the file `db` (None: there is none) does not hold as they were saved."""
    if db is None or not db.exists():
        return list(expected)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_log'").fetchone():
            return list(expected)
        log = {r[0]: r[1:] for r in con.execute("SELECT id, deck_id, card_id, rating FROM review_log")}
    finally:
        con.close()
    return [s for s in expected if log.get(s.log_id) != (s.deck_id, s.card_id, s.rating)]


def _has_log(db: Path) -> bool:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_log'").fetchone() \
            is not None
    finally:
        con.close()


class FolderSoak:
    """One data folder: two copies answering the same deck, kills, and now and then a restore.

    `expected` is what the live database must hold: since the folder's last restore, the rows of
    the backup restored, then every answer a copy showed as saved (and kept). Answers saved
    after that backup was made and before the restore are legitimately gone (the student chose
    to restore); they must be in the safety copy the restore made instead.
    """

    def __init__(self, folder: Path, seed: int, undo: float, restore_every: int):
        self.decks = write_deck(folder / "decks", deck_id="same")
        self.data = folder / "data"
        self.db, self.scratch = self.data / "studyapp.db", folder / "snapshot.db"
        self.backups_dir = self.data / "backups"
        self.rng = random.Random(seed)
        self.undo, self.restore_every = undo, restore_every
        self.expected: list[Saved] = []
        self.epoch = 0  # restores so far: log ids start again from the backup's after each
        self.backups: list[Path] = []  # made by `studyapp backup` in this folder
        self.kills = self.survivors_killed = self.early = self.ended = 0
        self.shown = self.rolled_back = 0
        self.restores = self.refused = self.after_refusal = 0
        self.lost: set[tuple] = set()
        self.integrity = 0
        self.replay: set[str] = set()
        self.problems: dict[str, None] = {}  # every problem's text, once, in order
        self.other: dict[str, None] = {}  # those that are not a lost answer, an integrity failure or a replay mismatch

    def start(self) -> Copy:
        return Copy(self.data, self.decks, self.rng.randrange(1 << 30), self.undo)

    def problem(self, text: str, *, counted: bool = False) -> None:
        """Note a problem; `counted`: it is already counted as lost, integrity or replay."""
        self.problems.setdefault(text)
        if not counted:
            self.other.setdefault(text)

    # --- killing and checking ---------------------------------------------------------------
    def stop(self, copy: Copy) -> list[Saved]:
        """SIGKILL `copy`; what it showed as saved and kept is now expected in the database."""
        try:
            kept, killed = copy.kill()
        except Exception as exc:  # noqa: BLE001 - counted as a problem, the soak goes on
            self.problem(f"kill failed: {type(exc).__name__}: {exc}")
            return []
        self.ended += not killed
        if not killed and copy.proc.returncode not in (0, None):
            self.problem(f"a copy failed by itself ({copy.proc.returncode}): {copy.stderr[-1500:]}")
        if copy.refused_at is not None:
            self.after_refusal += max(0, len(kept) - copy.refused_at)
        self.expected += kept
        self.shown += len(kept)
        return kept

    def examine(self, path: Path | None, expected: list[Saved], where: str, *, replay: bool = True) -> None:
        """Count what is wrong with the self-contained file `path` (None: no database) against `expected`."""
        for s in missing(path, expected):
            self.lost.add((self.epoch, s.log_id, s.deck_id, s.card_id, s.rating))
            self.problem(f"{where}: an answer shown as saved is missing: {s} (restores so far: {self.epoch})",
                         counted=True)
        if path is None:
            return
        for p in check_database(path, expected):
            if p.startswith("integrity_check"):
                self.integrity += 1
                self.problem(f"{where}: {p}", counted=True)
            elif p.startswith("progress of"):  # progress and log disagree: the replay check's business too
                self.replay.add(f"{where}: {p}")
                self.problem(f"{where}: {p}", counted=True)
            elif not p.startswith(("answer shown as saved is missing", "no review log, yet", "no database, yet")):
                self.problem(f"{where}: {p}")  # counted as lost above
        if replay and _has_log(path):
            for p in replay_problems(path):
                self.replay.add(f"{where}: {p}")
                self.problem(f"{where}: {p}", counted=True)

    def check_live(self, where: str) -> None:
        try:
            self.examine(snapshot(self.db, self.scratch), self.expected, where)
        except Exception as exc:  # noqa: BLE001 - a database the check cannot even read is a problem
            self.problem(f"{where}: check failed: {type(exc).__name__}: {exc}")

    # --- backups and restores, through the real CLI --------------------------------------------
    def back_up(self, survivor: Copy) -> None:
        """`studyapp backup` while `survivor` runs; then a restore of it, which must be refused."""
        made = cli(self.data, "backup")
        found = re.search(r"^Backed up to (.+)$", made.stdout, re.M)
        if made.returncode != 0 or not found:
            self.problem(f"studyapp backup failed (exit {made.returncode}): {made.stdout}{made.stderr}".strip())
            return
        backup = Path(found.group(1).strip())
        self.backups.append(backup)
        survivor.answering.wait(RUN_TIMEOUT)  # it has the database open once it has saved an answer
        if survivor.proc.poll() is not None:
            return  # it ended by itself: no copy to refuse for (the next backup tries again)
        identity = self.db.stat().st_ino
        safety_before = set(self.backups_dir.glob("before-restore-*"))
        tried = cli(self.data, "restore", str(backup))
        if tried.returncode != 0 and "open in another window" in tried.stderr:
            self.refused += 1
            survivor.refused_at = len(parse(survivor.lines))  # its later answers must all land: stop() counts them
            if self.db.stat().st_ino != identity or set(self.backups_dir.glob("before-restore-*")) != safety_before \
                    or self.db.with_name(self.db.name + ".restoring").exists():
                self.problem("a refused restore changed the data folder")
        else:
            self.problem(f"a restore while a copy had the database open was not refused as such "
                         f"(exit {tried.returncode}): {tried.stdout}{tried.stderr}".strip())

    def restore(self) -> None:
        """Both copies stopped: `studyapp restore` one of this folder's backups, and check every side of it."""
        backup = self.rng.choice(self.backups)
        held = log_rows(backup)
        done = cli(self.data, "restore", str(backup))
        if done.returncode != 0:
            self.problem(f"a restore with no copy open failed (exit {done.returncode}): {done.stdout}{done.stderr}")
            return
        self.restores += 1
        found = re.search(r"The file it replaced was saved as (.+\.db)\.\s*$", done.stdout)
        if found:  # the safety copy holds every answer shown as saved before the restore
            self.examine(Path(found.group(1)), self.expected, "safety copy", replay=False)
        elif self.expected:
            self.problem(f"the restore made no safety copy: {done.stdout}")
        self.rolled_back += len(missing(backup, self.expected))  # saved after the backup was made: gone by choice
        self.epoch += 1
        self.expected = held  # from here on: the backup, then every answer shown as saved after the restore
        restored = snapshot(self.db, self.scratch)
        self.examine(restored, held, "restored")
        if restored is not None and len(log_rows(restored)) != len(held):
            self.problem(f"the restored database holds {len(log_rows(restored))} answers, the backup {len(held)}")

    def run(self, kills: int) -> None:
        every = self.restore_every
        copies = [self.start() for _ in range(2)]
        for k in range(1, kills + 1):
            i = self.rng.randrange(2)
            victim = copies[i]
            if self.rng.random() < 0.2:  # during start-up: opening, migrating, backing up
                time.sleep(self.rng.uniform(0.05, 1.0))
            else:
                victim.answering.wait(RUN_TIMEOUT)
                time.sleep(self.rng.uniform(0.0, 1.0))
            kept = self.stop(victim)
            self.kills += 1
            self.early += not kept
            self.check_live("after a kill")
            if every and k % every == every // 2:
                self.back_up(survivor=copies[1 - i])
            if every and k % every == 0 and self.backups:
                self.stop(copies[1 - i])  # a restore needs every copy stopped
                self.survivors_killed += 1
                self.check_live("both stopped")
                self.restore()
                copies = [self.start() for _ in range(2)]
            else:
                copies[i] = self.start()
        for survivor in copies:
            self.stop(survivor)
        self.check_live("at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--per-folder", type=int, default=50)
    parser.add_argument("--undo", type=float, default=0.1, help="share of turns that press u instead of answering")
    parser.add_argument("--restore-every", type=int, default=25, metavar="N",
                        help="restore a backup after every Nth kill of a folder, both copies stopped (0: never)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="studyapp-soak2-"))
    batches = [min(args.per_folder, args.kills - i) for i in range(0, args.kills, args.per_folder)]
    begun = time.perf_counter()
    folders: list[FolderSoak] = []
    for n, kills in enumerate(batches):  # one folder at a time: its two copies already fill two cores
        folder = FolderSoak(root / f"f{n}", args.seed * 1000 + n, args.undo, args.restore_every)
        folders.append(folder)
        folder.run(kills)
        print(f"  {sum(f.kills for f in folders)}/{args.kills} kills, {sum(f.restores for f in folders)} restores, "
              f"{sum(len(f.problems) for f in folders)} problems, {time.perf_counter() - begun:.0f} s", flush=True)
    seconds = time.perf_counter() - begun

    def total(name: str) -> int:
        return sum(getattr(f, name) for f in folders)

    problems = [p for f in folders for p in f.problems]
    lost, replay = sum(len(f.lost) for f in folders), sum(len(f.replay) for f in folders)
    no_refusal = sum(1 for f in folders if f.backups and not f.refused)
    print(f"two-copies kill soak: {args.kills} SIGKILLs in {len(batches)} folders, restore every "
          f"{args.restore_every or 'never'}, seed {args.seed} (pid {os.getpid()}, data under {root})")
    print(f"  killed in start-up (no answer yet) {total('early')}, ended by itself {total('ended')}, "
          f"survivors killed for a restore {total('survivors_killed')}, answers rolled back by restores "
          f"(saved after the backup, kept in the safety copy) {total('rolled_back')}, answers saved by a copy after "
          f"a restore was refused under it {total('after_refusal')}"
          + (f", folders with a backup but no refused restore {no_refusal}" if no_refusal else ""))
    for p in problems[:20]:
        print("PROBLEM:", p)
    print(f"summary: kills {total('kills')}, restores done {total('restores')}, restores refused as expected "
          f"{total('refused')}, answers shown as saved {total('shown')}, answers lost {lost}, integrity failures "
          f"{total('integrity')}, replay mismatches {replay}, other problems "
          f"{sum(len(f.other) for f in folders)}, {seconds:.0f} s", flush=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
