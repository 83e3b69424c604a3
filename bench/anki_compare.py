#!/usr/bin/env python3
"""The same workload on Anki's own library and on studyapp: add the cards, get the next card, answer it.

    python bench/anki_compare.py [--cards 100000] [--decks 200] [--answers 500]

Anki's library (the `anki` package from PyPI, ANKI_VERSION below) is installed by this script
into its own venv, bench/.venv-anki, on first use; it is never a dependency of studyapp. Each
side runs in a fresh interpreter on a fresh collection in a temporary folder, both with FSRS,
both committing each answer before the next card. Prints each time and studyapp's over Anki's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANKI_VENV = HERE / ".venv-anki"
ANKI_PYTHON = ANKI_VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
ANKI_VERSION = "26.9.3"  # the release measured in the README; pinned so the figures can be re-run
CHILD = HERE / "_compare_child.py"


def ensure_anki() -> None:
    probe = [str(ANKI_PYTHON), "-c", "import anki.buildinfo as b; print(b.version)"]
    if ANKI_PYTHON.exists() and subprocess.run(probe, capture_output=True, text=True).stdout.strip():
        return
    print(f"Installing anki {ANKI_VERSION} into {ANKI_VENV} (once) ...", file=sys.stderr)
    venv.EnvBuilder(with_pip=True).create(ANKI_VENV)
    subprocess.run([str(ANKI_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    f"anki=={ANKI_VERSION}"], check=True)


def child(python: str, *args: str) -> dict:
    out = subprocess.run([python, str(CHILD), *args], capture_output=True, text=True, cwd=HERE.parent)
    if out.returncode != 0:
        sys.exit(f"{args[0]} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--decks", type=int, default=200)
    parser.add_argument("--answers", type=int, default=500)
    args = parser.parse_args()
    ensure_anki()
    version = subprocess.run([str(ANKI_PYTHON), "-c", "import anki.buildinfo as b; print(b.version)"],
                             capture_output=True, text=True).stdout.strip()
    sizes = [str(args.cards), str(args.decks), str(args.answers)]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "anki").mkdir()
        anki = child(str(ANKI_PYTHON), "anki", str(Path(tmp) / "anki"), *sizes)
        anki_open = child(str(ANKI_PYTHON), "anki-open", str(Path(tmp) / "anki" / "collection.anki2"))
        ours = child(sys.executable, "studyapp", str(Path(tmp) / "studyapp"), *sizes)
    assert anki["cards"] == ours["cards"] == args.cards, (anki["cards"], ours["cards"])
    print(f"studyapp vs Anki's library {version}: {args.cards} cards in {args.decks} decks, "
          f"{args.answers} answers (FSRS on both)")
    print(f"{'measure':38} {'studyapp':>10} {'Anki':>10} {'ratio':>7}")
    rows = [("add the cards (s)", ours["add_s"], anki["add_s"]),
            ("get the next card, median (ms)", ours["next"]["median"], anki["next"]["median"]),
            ("get the next card, p99 (ms)", ours["next"]["p99"], anki["next"]["p99"]),
            ("answer it, median (ms)", ours["answer"]["median"], anki["answer"]["median"]),
            ("answer it, p99 (ms)", ours["answer"]["p99"], anki["answer"]["p99"]),
            ("next + answer, median (ms)", ours["next"]["median"] + ours["answer"]["median"],
             anki["next"]["median"] + anki["answer"]["median"])]
    for name, mine, theirs in rows:
        print(f"{name:38} {mine:10.3f} {theirs:10.3f} {mine / theirs:7.2f}")
    print(f"{'Anki: open the collection, first card (s)':38} {'':>10} {anki_open['open_s']:10.3f}")
    print(f"{'Anki: peak memory opening it (MB)':38} {'':>10} {anki_open['peak_mb']:10.0f}")


if __name__ == "__main__":
    main()
