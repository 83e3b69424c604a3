#!/usr/bin/env python3
"""Importing a large Anki package: time, and the progress bar on the import screen.

    python bench/import_apkg.py [--notes 10000] [--answers 3] [--runs 3]

Makes a package with genanki (NOTES basic notes in one deck, each with ANSWERS answers in its
review log, as tests/interchange/packages.py adds them), then for each run imports it into a fresh
data folder twice: with `import_file`, as `studyapp import` does, and through the TUI's import
screen driven by Pilot at 80x24, sampling the progress bar until the import is done. Reports the
median times, the bar's distinct values on the way (so it is seen moving, not only full) and saves
an SVG of the screen while the bar was part-way (bench/out/import-progress.svg).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_package(path: Path, notes: int, answers: int) -> None:
    import genanki

    from tests.interchange.packages import BASIC, add_revlog, card_ids, write_package

    write_package(path, (genanki.Note(BASIC, [f"Question {n}: which treaty of {1900 + n % 120} ...?",
                                              f"Answer {n}, signed in {1900 + n % 120}."], tags=["bench"],
                                      guid=f"bench-{n}") for n in range(notes)), "Bench::Big deck")
    start = 1_767_225_600_000  # 2026-01-01
    rows = []
    for (guid, _), cid in card_ids(path).items():
        n = int(guid.split("-")[1])
        at = start + n * 1000
        for k in range(answers):  # good, good, ... a day, then days apart
            rows.append((at, cid, 1 if k == 1 and n % 5 == 0 else 3, k, 4000, 0 if k < 2 else 1))
            at += 86_400_000 * (k + 1)
    add_revlog(path, rows)


def run_command(package: Path, data: Path) -> float:
    from studyapp.interchange.importing import import_file
    from studyapp.service import StudyService

    service = StudyService.open(data)
    start = time.perf_counter()
    result = import_file(service, package)
    seconds = time.perf_counter() - start
    assert result.reviews_added > 0
    return seconds


async def run_screen(package: Path, data: Path, svg: Path | None) -> tuple[float, list[float]]:
    from textual.widgets import Input, ProgressBar, Static

    from studyapp.service import StudyService
    from studyapp.tui.app import StudyApp
    from studyapp.tui.screens.transfer import TransferScreen

    service = StudyService.open(data)
    app = StudyApp(service)
    seen: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.transfer("import")
        while not (isinstance(app.screen, TransferScreen) and app.screen.query(Input)):
            await pilot.pause(0.01)
        app.screen.query_one(Input).value = str(package)
        start = time.perf_counter()
        await pilot.press("enter")
        status = app.screen.query_one("#transfer-status", Static)
        bar = app.screen.query_one(ProgressBar)
        while "written" not in str(status.render()):
            if bar.display and bar.total and (share := bar.progress / bar.total) not in seen:
                seen.append(share)
                if svg is not None and 0 < share < 1 and not svg.exists():
                    svg.write_text(app.export_screenshot())
            await pilot.pause(0.01)
        seconds = time.perf_counter() - start
        assert bar.progress == bar.total
    return seconds, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    svg = out / "import-progress.svg"
    svg.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "big.apkg"
        start = time.perf_counter()
        make_package(package, args.notes, args.answers)
        print(f"package: {args.notes:,} notes, {args.notes * args.answers:,} answers, "
              f"{package.stat().st_size / 1e6:.1f} MB (made in {time.perf_counter() - start:.1f} s)")
        command, screen, samples = [], [], []
        for run in range(args.runs):
            data = Path(tmp) / f"data-{run}"
            command.append(run_command(package, data))
            shutil.rmtree(data)
            seconds, seen = asyncio.run(run_screen(package, data, svg))
            screen.append(seconds)
            samples.append(len([s for s in seen if 0 < s < 1]))
            shutil.rmtree(data)
        print(f"studyapp import (import_file): median {statistics.median(command):.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in command)})")
        print(f"import screen, Enter to done:  median {statistics.median(screen):.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in screen)}); the bar showed "
              f"{min(samples)}-{max(samples)} part-way values per run")
        if svg.exists():
            print(f"screen with the bar part-way: {svg}")


if __name__ == "__main__":
    main()
