"""Shared by the durability tests and bench/soak.py: run the answering app, kill it, check the database."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHILD = Path(__file__).with_name("answering_child.py")
ROOT = Path(__file__).resolve().parents[2]
SOURCES = '[lecture-slides]\ntitle = "Lecture slides"\n'


def write_deck(folder: Path, deck_id: str = "kill", cards: int = 300) -> Path:
    """A plain deck of `cards` cards (enough that a run never runs out)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.toml").write_text(SOURCES)
    lines = ["format = 1", f'id = "{deck_id}"', f'title = "Deck {deck_id}"', 'tags = ["alliance"]', ""]
    for i in range(cards):
        lines += ["[[card]]", f'id = "c{i:04d}"', 'facet = "origins"', f'front = "Question {i}?"',
                  f'back = "Answer {i}."', 'source = ["lecture-slides:1-2"]', ""]
    (folder / f"{deck_id}.toml").write_text("\n".join(lines))
    return folder


@dataclass
class Saved:
    log_id: int
    deck_id: str
    card_id: str
    rating: int


@dataclass
class RunResult:
    saved: list[Saved] = field(default_factory=list)
    killed: bool = False
    returncode: int | None = None
    stderr: str = ""


def start(data_dir: Path, decks: Path, seed: int, max_answers: int | None = None, *, new_per_day: int = 100_000,
          undo_share: float = 0.0, go_file: Path | None = None) -> subprocess.Popen:
    args = [sys.executable, str(CHILD), str(data_dir), str(decks), str(seed), str(max_answers or 10**9),
            str(new_per_day), str(undo_share)] + ([str(go_file)] if go_file else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def parse(lines: list[str]) -> list[Saved]:
    """The answers one child showed as saved and did not try to take back, in order.

    An answer being undone (`undoing LOG_ID`) is left out unless the undo was refused (`kept
    LOG_ID`): a kill before the outcome leaves it unknown whether the undo was committed.
    """
    out: list[Saved] = []
    undoing: dict[int, Saved] = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 5 and parts[0] == "saved":
            out.append(Saved(int(parts[1]), parts[2], parts[3], int(parts[4])))
        elif len(parts) == 2 and parts[0] == "undoing":
            saved = next(s for s in reversed(out) if s.log_id == int(parts[1]))
            out.remove(saved)
            undoing[saved.log_id] = saved
        elif len(parts) == 2 and parts[0] == "kept" and int(parts[1]) in undoing:
            out.append(undoing.pop(int(parts[1])))
    return out


def run_and_kill(data_dir: Path, decks: Path, rng: random.Random, *, timeout: float = 60) -> RunResult:
    """Start the app; once it answers, wait a random moment and SIGKILL it. Returns what it said it saved.

    One run in five is killed at a random moment of start-up instead (opening, migrating, backing up).
    """
    proc = start(data_dir, decks, rng.randrange(1 << 30))
    import threading

    watchdog = threading.Timer(timeout, proc.kill)  # a child that never answers must not hang the suite
    watchdog.start()
    lines: list[str] = []
    early = rng.random() < 0.2
    deadline = time.monotonic() + timeout
    if early:
        time.sleep(rng.uniform(0.05, 1.0))
    else:
        assert proc.stdout is not None
        while time.monotonic() < deadline:  # wait until it is answering
            line = proc.stdout.readline().decode()
            if not line:
                break
            lines.append(line)
            if line.startswith("saved"):
                break
        time.sleep(rng.uniform(0.0, 1.0))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=timeout)
    watchdog.cancel()
    lines += out.decode().splitlines()
    return RunResult(parse(lines), killed=proc.returncode == -signal.SIGKILL, returncode=proc.returncode,
                     stderr=err.decode())


def check_database(db: Path, saved: list[Saved]) -> list[str]:
    """Everything wrong with `db` after a crash, given what the screen showed as saved. [] means sound."""
    if not db.exists():  # killed before the database was made
        return [f"no database, yet {len(saved)} answers were shown as saved"] if saved else []
    problems: list[str] = []
    con = sqlite3.connect(db)
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity}")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "review_log" not in tables:  # killed before the first migration committed: it is all or nothing
            if tables:
                problems.append(f"a half-made schema: {sorted(tables)}")
            if saved:
                problems.append(f"no review log, yet {len(saved)} answers were shown as saved")
            return problems
        log = {row[0]: row[1:] for row in con.execute(
            "SELECT id, deck_id, card_id, rating FROM review_log")}
        for s in saved:
            if log.get(s.log_id) != (s.deck_id, s.card_id, s.rating):
                problems.append(f"answer shown as saved is missing from the log: {s}")
        # Each answer is one transaction: the card's progress and its log row, or neither.
        counts = dict(((d, c), n) for d, c, n in con.execute(
            "SELECT deck_id, card_id, count(*) FROM review_log WHERE mode != 'practice' GROUP BY deck_id, card_id"))
        last = dict(((d, c), r) for d, c, r in con.execute(
            "SELECT deck_id, card_id, rating FROM review_log WHERE id IN "
            "(SELECT max(id) FROM review_log WHERE mode != 'practice' GROUP BY deck_id, card_id)"))
        progress = {(d, c): (reps, rating) for d, c, reps, rating in con.execute(
            "SELECT deck_id, card_id, reps, last_rating FROM card_progress")}
        for key, n in counts.items():
            if progress.get(key) != (n, last[key]):
                problems.append(f"progress of {key} is {progress.get(key)} but the log has {n} answers, "
                                f"last rated {last[key]}")
        for key in progress.keys() - counts.keys():
            problems.append(f"progress of {key} has no answer in the log")
    finally:
        con.close()
    return problems


def log_count(db: Path) -> int:
    """How many answers the review log of the database file `db` holds."""
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM review_log").fetchone()[0]
    finally:
        con.close()


def damage_an_index(db: Path) -> None:
    """Scribble over one page of an index: the file still opens, but integrity_check fails."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_review_log_reviewed_at'").fetchone()[0]
    finally:
        con.close()
    with db.open("r+b") as f:
        f.seek((root - 1) * page_size + 8)  # past the b-tree page header: its cells
        f.write(bytes(range(256)) * (page_size // 256 - 1))


def can_mount() -> bool:
    """Root on Linux with mount(8) that works here (not in every container): real read-only and full file systems."""
    import shutil
    import tempfile

    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(tempfile.mkdtemp())
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", "-l", str(probe)], check=True)
        return ok
    finally:
        probe.rmdir()


def mount_small_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)


def mount_read_only(folder: Path) -> None:
    """Bind `folder` over itself read-only: even root cannot write there (chmod would not stop root)."""
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=True)


def fill_disk(folder: Path) -> Path:
    """Write a file until the file system under `folder` has no room left."""
    filler = folder / "filler.bin"
    for size in (1 << 16, 512):  # big pieces, then the last scraps
        try:
            with filler.open("ab", buffering=0) as f:
                while True:
                    f.write(b"\0" * size)
        except OSError:
            pass
    return filler


@contextmanager
def read_only_database(engine):  # noqa: ANN001, ANN201 - a SQLAlchemy Engine
    """Every connection `engine` makes refuses writes with SQLite's own SQLITE_READONLY (PRAGMA
    query_only), as on a read-only disk, for root too (chmod does not stop root)."""
    from sqlalchemy import event

    def read_only(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.execute("PRAGMA query_only=ON")

    event.listen(engine, "connect", read_only)
    engine.dispose()  # connections made before this are writable: let them go
    try:
        yield
    finally:
        event.remove(engine, "connect", read_only)
        engine.dispose()


@contextmanager
def read_only_folder(folder: Path):  # noqa: ANN201
    """`folder` read-only for real: a read-only bind mount as root (needs mount(8)), chmod otherwise."""
    if os.geteuid() == 0:
        mount_read_only(folder)
        try:
            yield
        finally:
            unmount(folder)
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
    for p in modes:
        p.chmod(modes[p] & ~0o222)
    try:
        yield
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def truncate_wal(db: Path) -> None:
    """Checkpoint `db` and cut its write-ahead log to nothing, so the next write must find new room on disk."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
