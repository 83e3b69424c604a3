"""The command line's commands over the study data: stats, the exam date, fitting the schedule, backup and
restore (studyapp.cli parses the arguments and calls these). Each loads what it needs when it runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from studyapp import paths


def run_optimize(data_dir: Path, deck_dirs: list[Path], *, as_json: bool) -> int:
    """Fit FSRS parameters to the review log and adopt them only when they predict it better."""
    from studyapp.errors import DatabaseProblem
    from studyapp.optimize import adopt_if_better, describe, fit_schedule
    from studyapp.service import StudyService

    try:
        service = StudyService.open(data_dir, deck_dirs)
    except DatabaseProblem as problem:
        print(problem.advice(), file=sys.stderr)
        return 1
    result = fit_schedule(service)
    adopted = adopt_if_better(service, result)
    if as_json:
        print(json.dumps(result.to_json(adopted), indent=2))
    else:
        print(describe(result, adopted))
    return 0


def run_stats(data_dir: Path, deck_dirs: list[Path], *, as_json: bool) -> int:
    from studyapp.errors import DatabaseProblem, StorageError
    from studyapp.overview import Opening
    from studyapp.store.errors import saving
    from studyapp.store.files import daily_backup

    # Read as the home screen reads its counts (no SQLAlchemy: about as fast); a database to make,
    # check or upgrade first goes through the service.
    report = Opening(data_dir, deck_dirs).report()
    try:
        if report is None:
            report = service_report(data_dir, deck_dirs)
        else:  # the first start of a study day backs up, from the command line too
            with saving(paths.backups_dir(data_dir)):
                daily_backup(paths.database_path(data_dir), paths.backups_dir(data_dir), report.statistics.today)
    except DatabaseProblem as problem:
        print(problem.advice(), file=sys.stderr)
        return 1
    except StorageError as exc:
        if report is None:
            print(f"Cannot open your study data: {exc}", file=sys.stderr)
            return 1
        # As in the app: the numbers can still be shown, but the student should know.
        print(f"studyapp stats: today's backup could not be made: {exc}", file=sys.stderr)
    data = report.to_json()
    if as_json:
        print(json.dumps(data, indent=2))
        return 0
    width = max([len(d["title"]) for d in data["decks"]] + [4])
    print(f"{'deck':{width}} {'cards':>6} {'new':>5} {'due':>5} {'learned':>8}")
    for deck in data["decks"]:
        print(f"{deck['title']:{width}} {deck['cards']:6} {deck['new']:5} {deck['due']:5} {deck['learned']:8}")
    print(
        f"reviews: {data['reviews']}  recall (30 days): "
        + (f"{data['recall_30d']:.0%}" if data["recall_30d"] is not None else "-")
    )
    return 0


def service_report(data_dir: Path, deck_dirs: list[Path]):  # noqa: ANN201 - an overview.StatsReport
    """The report through the service, which makes, checks or upgrades the database first."""
    from studyapp.errors import StorageError
    from studyapp.service import StudyService

    service = StudyService.open(data_dir, deck_dirs)
    try:
        service.daily_backup()
    except StorageError as exc:  # DatabaseProblem goes up; a failed backup is said, and the numbers shown
        print(f"studyapp stats: today's backup could not be made: {exc}", file=sys.stderr)
    return service_stats(service)


def service_stats(service):  # noqa: ANN001, ANN201
    """The stats report from an open service."""
    from studyapp.overview import StatsReport

    return StatsReport(
        service.summaries(), service.file.review_count(), service.reports.statistics(), service.reports.exam_outlook()
    )


def run_backup(data_dir: Path) -> int:
    from datetime import datetime

    from studyapp.store.errors import check_room
    from studyapp.store.files import DatabaseProblem, integrity_problem, manual_backup, newest_good_backup

    db = paths.database_path(data_dir)
    if db.exists():  # before SQLite, which says only "unable to open" or "disk I/O error" for these
        check_room(data_dir)
        check_room(paths.backups_dir(data_dir), needed=db.stat().st_size)
    problem = integrity_problem(db) if db.exists() else f"There is no study database at {db} yet."
    if problem:  # a damaged file is not worth a backup, and must not look like a good one
        backups = paths.backups_dir(data_dir)
        print(
            DatabaseProblem(db, problem, newest_good_backup(backups)).advice() if db.exists() else problem,
            file=sys.stderr,
        )
        return 1
    target = manual_backup(db, paths.backups_dir(data_dir), datetime.now())
    print(f"Backed up to {target}")
    return 0


def run_restore(data_dir: Path, file: Path | None) -> int:
    """List the backups, or restore one. Every refusal is one plain line on stderr and exit status 1."""
    from datetime import datetime

    from studyapp.errors import RestoreRefused
    from studyapp.store.errors import plain_storage_error
    from studyapp.store.files import integrity_problem, list_backups, read_contents
    from studyapp.store.restoring import restore

    backups = paths.backups_dir(data_dir)
    if file is None:
        found = list_backups(backups)
        if not found:
            print(f"There are no backups in {backups}.", file=sys.stderr)
            return 1
        print(f"Backups in {backups}, newest first (restore one with: studyapp restore FILE):")
        for info in found:
            ok = integrity_problem(info.path) is None
            held = read_contents(info.path).describe() if ok else ""
            print(
                f"  {info.path.name:40} {info.modified:%Y-%m-%d %H:%M} {info.size / 1e6:8.1f} MB  "
                f"{'ok' if ok else 'DAMAGED':7}  {held}".rstrip()
            )
        return 0
    if not file.exists() and (backups / file).exists():
        file = backups / file  # a name from the list above
    db = paths.database_path(data_dir)
    try:
        saved = restore(db, file, backups, datetime.now())
    except RestoreRefused as refused:
        print(f"studyapp restore: {refused.message} Nothing was changed.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one plain line, never a traceback
        print(
            f"studyapp restore: could not restore: {plain_storage_error(exc, data_dir)}. Nothing was changed.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Restored {file} ({read_contents(db).describe()})."
        + (f" The file it replaced was saved as {saved}." if saved else "")
    )
    return 0


def run_exam(data_dir: Path, deck_dirs: list[Path], action: str, day: str | None) -> int:
    from datetime import date

    from studyapp.service import StudyService

    exam_date = None
    if action == "set":
        try:
            exam_date = date.fromisoformat(day or "")
        except ValueError:
            print(f"studyapp exam set: {day!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-06-15", file=sys.stderr)
            return 2
    service = StudyService.open(data_dir, deck_dirs)
    if action == "set":
        today = service.study_day(service.clock())
        if exam_date is not None and exam_date < today:  # always set for "set"
            print(f"studyapp exam set: {exam_date} has passed (today is {today}); nothing changed", file=sys.stderr)
            return 2
        moved = service.set_exam_date(exam_date)
        print(f"Exam date set to {exam_date}; {moved} cards brought forward so none is due after it.")
    elif action == "clear":
        service.set_exam_date(None)
        print("Exam date cleared; scheduling is back to normal.")
    outlook = service.reports.exam_outlook()
    if action == "show" or action == "set":
        print(describe_exam(outlook))
    return 0


def describe_exam(outlook) -> str:  # noqa: ANN001 - an ExamOutlook or None
    if outlook is None:
        return "No exam date set (studyapp exam set YYYY-MM-DD)."
    if outlook.days_left is None:
        return f"Exam date {outlook.exam_date} has passed; scheduling is back to normal."
    recall = "-" if outlook.predicted_recall is None else f"{outlook.predicted_recall:.0%}"
    return (
        f"Exam {outlook.exam_date}: {outlook.days_left} days left; if you stopped studying now you would "
        f"recall about {recall} of {outlook.cards} cards on the day."
    )
