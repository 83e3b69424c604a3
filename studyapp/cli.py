"""The `studyapp` command: the TUI by default; `check`, `stats`, `optimize`, `backup`, `restore`, `exam`,
`essay`, `export`, `import` and `serve`.

Heavy imports (Textual, SQLAlchemy) happen inside the commands that need them,
so `studyapp --help` and `studyapp check` start at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from studyapp import __version__, paths
from studyapp.cli_progress import run_backup, run_exam, run_optimize, run_restore, run_stats


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    # Subcommands take the same options; their defaults are suppressed so that they
    # don't overwrite a value given before the subcommand's name.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS if suppress else None,
                        help=f"where progress is kept (default: ${paths.DATA_DIR_ENV} or the user data folder)")
    common.add_argument("--decks", metavar="DIR", action="append", type=Path,
                        default=argparse.SUPPRESS if suppress else [],
                        help="also load the decks in DIR (may be given more than once)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(suppress=True)
    parser = argparse.ArgumentParser(
        prog="studyapp", parents=[_common_options(suppress=False)],
        description="Flashcards and essay practice for the security cooperation exam. "
                    "With no command, starts the app.")
    parser.add_argument("--version", action="version", version=f"studyapp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", parents=[common], help="validate deck files; exit 1 on any error")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="deck files or folders (default: the bundled and your own decks)")
    stats = sub.add_parser("stats", parents=[common], help="print a summary of your progress")
    stats.add_argument("--json", action="store_true", help="print JSON for scripts")
    sub.add_parser("backup", parents=[common], help="copy your progress into <data dir>/backups/ now")
    optimize = sub.add_parser("optimize", parents=[common],
                              help="fit the schedule (FSRS parameters) to your own reviews; adopt it if it is better")
    optimize.add_argument("--json", action="store_true", help="print JSON for scripts")
    restore = sub.add_parser("restore", parents=[common],
                             help="put a backup in place of your progress (the current file is backed up first)")
    restore.add_argument("file", nargs="?", type=Path, metavar="FILE",
                         help="the backup to restore (default: list the backups and restore none)")
    exam = sub.add_parser("exam", parents=[common], help="set, show or clear the exam date")
    exam_sub = exam.add_subparsers(dest="exam_command", metavar="ACTION", required=True)
    exam_set = exam_sub.add_parser("set", parents=[common], help="set the exam date (YYYY-MM-DD)")
    exam_set.add_argument("day", metavar="YYYY-MM-DD")
    exam_sub.add_parser("show", parents=[common], help="show the exam date, days left and predicted recall")
    exam_sub.add_parser("clear", parents=[common], help="forget the exam date; scheduling returns to normal")
    essay = sub.add_parser("essay", parents=[common], help="essay prompts, and marking outlines written elsewhere")
    essay_sub = essay.add_subparsers(dest="essay_command", metavar="ACTION", required=True)
    essay_sub.add_parser("list", parents=[common], help="list the essay prompts with their ids")
    score = essay_sub.add_parser(
        "score", parents=[common], help="mark outline files point by point",
        description="studyapp essay score PROMPT_ID OUTLINE.txt [...], or "
                    "studyapp essay score --points POINTS.json OUTLINE.txt [...] (POINTS.json: a JSON list of "
                    "key-point sentences)")
    score.add_argument("files", nargs="+", metavar="PROMPT_ID|OUTLINE",
                       help="a prompt id (see `studyapp essay list`) then outline files; with --points, outlines only")
    score.add_argument("--points", type=Path, metavar="POINTS.json", help="mark against these key points instead")
    score.add_argument("--json", action="store_true", help="one JSON object per outline, one per line")
    score.add_argument("--no-meaning", action="store_true", help="mark on wording and facts alone (no model)")
    export = sub.add_parser("export", parents=[common], help="write the cards as an Anki package or a CSV file")
    export_sub = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    for fmt, what in (("apkg", "an Anki package (.apkg): Anki and AnkiDroid import it, new cards, no schedule"),
                      ("csv", "CSV as Anki's text importer reads it (a spreadsheet opens it too)")):
        one = export_sub.add_parser(fmt, parents=[common], help=what)
        one.add_argument("path", type=Path, metavar="PATH", help="the file to write (replaced if it exists)")
        one.add_argument("--deck", action="append", default=[], metavar="ID",
                         help="export only this deck (may be given more than once; default: every deck)")
    imp = sub.add_parser("import", parents=[common],
                         help="add the cards (and review history) of an Anki .apkg or a CSV file as your own deck")
    imp.add_argument("path", type=Path, metavar="PATH.apkg|PATH.csv")
    serve = sub.add_parser("serve", parents=[common], help="serve the app to a web browser (one app per tab)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer "
                                                           "only; 0.0.0.0 lets other computers in)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    return parser


# What a command that failed on the data folder did not do, for its one line on stderr.
_NOT_DONE = {"backup": "no backup was made", "restore": "nothing was restored", "stats": "cannot read your progress",
             "exam set": "the exam date was NOT set", "exam clear": "the exam date was NOT cleared",
             "exam show": "cannot read your progress", "optimize": "the schedule was NOT changed",
             "import": "nothing was imported", "export apkg": "nothing was exported", "export csv": "nothing was exported",
             None: "cannot open your progress"}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = paths.data_dir(args.data_dir)
    command = (f"exam {args.exam_command}" if args.command == "exam" else
               f"export {args.export_command}" if args.command == "export" else args.command)
    try:
        return _run(args, data_dir)
    except Exception as exc:  # a read-only folder, a full disk, a damaged file: one plain line, never a traceback
        from studyapp.errors import DatabaseProblem
        from studyapp.store.errors import storage_error

        if isinstance(exc, DatabaseProblem):
            print(exc.advice(), file=sys.stderr)
            return 1
        plain = storage_error(exc, data_dir)
        if plain is None:
            raise  # not about the data folder: a bug, to be seen whole
        name = f"studyapp {command}" if command else "studyapp"
        print(f"{name}: {_NOT_DONE.get(command, 'stopped')}: {plain}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, data_dir: Path) -> int:
    if args.command == "check":
        search = paths.deck_search_path(data_dir, args.decks)
        return run_check(args.paths or search, sources_from=search)  # the sources the app would know
    if args.command == "backup":
        return run_backup(data_dir)
    if args.command == "restore":
        return run_restore(data_dir, args.file)
    if args.command == "stats":
        return run_stats(data_dir, args.decks, as_json=args.json)
    if args.command == "optimize":
        return run_optimize(data_dir, args.decks, as_json=args.json)
    if args.command == "essay":
        return run_essay(args, paths.deck_search_path(data_dir, args.decks))
    if args.command == "exam":
        return run_exam(data_dir, args.decks, args.exam_command, getattr(args, "day", None))
    if args.command == "export":
        return run_export(data_dir, args.decks, args.export_command, args.path, args.deck)
    if args.command == "import":
        return run_import(data_dir, args.decks, args.path)
    if args.command == "serve":
        return run_serve(data_dir, args.decks, args.host, args.port)
    return run_tui(data_dir, args.decks)


def _bar(label: str) -> Callable[[int, int], None]:
    """A progress bar on stderr when it is a terminal (nothing otherwise, so scripts read plain lines)."""
    if not sys.stderr.isatty():
        return lambda done, total: None

    def show(done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = int(share * 30)
        print(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%}", end="" if done < total else "\n",
              file=sys.stderr, flush=True)

    return show


def run_export(data_dir: Path, deck_dirs: list[Path], kind: str, path: Path, deck_ids: list[str]) -> int:
    """No database is opened: the cards come from the deck files alone (the schedule does not travel)."""
    from studyapp.deck_files import load_decks
    from studyapp.interchange.importing import Refused, export_file

    decks = load_decks(paths.deck_search_path(data_dir, deck_dirs))
    try:
        count = export_file(decks, kind, path, deck_ids, _bar("Exporting"))
    except Refused as refused:
        print(f"studyapp export {kind}: {refused}", file=sys.stderr)
        return 2
    print(f"Wrote {count} cards to {path}" + (" (Anki imports them as new cards: the schedule stays here)"
                                               if kind == "apkg" else ""))
    return 0


def run_import(data_dir: Path, deck_dirs: list[Path], path: Path) -> int:
    from studyapp.interchange.importing import Refused, import_file
    from studyapp.service import StudyService

    service = StudyService.open(data_dir, deck_dirs)
    try:
        result = import_file(service, path, _bar("Importing"))
    except Refused as refused:
        print(f"studyapp import: {refused}\nNothing was changed.", file=sys.stderr)
        return 1
    print(f"Imported {path.name}:")
    for line in result.describe():
        print(f"  {line}")
    return 0


def run_serve(data_dir: Path, deck_dirs: list[Path], host: str, port: int) -> int:
    """The same app in a browser: textual-serve starts one `studyapp` process per tab, on this data folder."""
    import shlex

    from textual_serve.server import Server

    command = [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir)]
    for folder in deck_dirs:
        command += ["--decks", str(folder)]
    print(f"Serving studyapp at http://{host}:{port} (data folder {data_dir}); Ctrl+C stops it.", file=sys.stderr)
    Server(shlex.join(command), host=host, port=port, title="studyapp").serve()
    return 0


def run_check(targets: list[Path], sources_from: Iterable[Path] = ()) -> int:
    """Validate deck files as the app reads them: with the sources.toml of every folder the app reads
    (the bundled one at least) as well as any beside the files, so a deck the app would skip fails here."""
    from studyapp.core.decks import check_comparisons
    from studyapp.core.essays import all_prompts
    from studyapp.deck_files import load_decks

    result = load_decks(targets, sources_from=sources_from)
    problems = result.problems + check_comparisons(result.decks)
    for problem in problems:
        print(problem)
    cards = sum(len(d.cards) for d in result.decks)
    claims = sum(len(d.claims) + len(d.comparisons) for d in result.decks)
    essays = len(all_prompts(result.decks))
    errors = len(result.errors)
    print(f"{len(result.decks)} decks loaded ({cards} cards, {claims} claims and comparisons, {essays} essay "
          f"prompts); {errors} errors, {len(problems) - errors} warnings", file=sys.stderr)
    return 1 if errors else 0


def run_essay(args: argparse.Namespace, deck_dirs: list[Path]) -> int:
    """`essay list` and `essay score`: no database is opened, only the decks."""
    from studyapp.core.essays import KeyPoint, all_prompts, deck_lexicon, score_outline
    from studyapp.deck_files import load_decks

    decks = load_decks(deck_dirs).decks
    prompts = {p.id: p for p in all_prompts(decks)}
    if args.essay_command == "list":
        for prompt in prompts.values():
            print(f"{prompt.id}\t{prompt.prompt}")
        return 0
    files = list(args.files)
    if args.points is not None:
        try:
            texts = json.loads(args.points.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"{args.points}: cannot read the key points: {exc}", file=sys.stderr)
            return 2
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t.strip() for t in texts):
            print(f"{args.points}: must be a JSON list of key-point sentences", file=sys.stderr)
            return 2
        points = [KeyPoint(t.strip()) for t in texts]
    else:
        chosen = prompts.get(files.pop(0))
        if chosen is None:
            print(f"no essay prompt {args.files[0]!r}; `studyapp essay list` shows their ids", file=sys.stderr)
            return 2
        points = list(chosen.points)
    if not files:
        print("name at least one outline file", file=sys.stderr)
        return 2
    similarities = None
    if not args.no_meaning:
        from studyapp.meaning import MeaningUnavailable, shared_model

        try:
            similarities = shared_model().load().similarities
        except (MeaningUnavailable, OSError, RuntimeError) as exc:
            print(f"marking on wording alone: {exc}", file=sys.stderr)
    lexicon = deck_lexicon(decks)
    status = 0
    for name in files:
        try:
            outline = Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{name}: cannot read it: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            status = 1
            continue
        result = score_outline(points, outline, lexicon, similarities)
        if args.json:
            print(json.dumps({"score": round(result.share, 3), "points": [
                {"text": r.point.text, "verdict": r.status, "similarity": r.score, "line": r.line}
                for r in result.results]}, ensure_ascii=False))
            continue
        counts = {s: len(result.group(s)) for s in ("covered", "partly", "missed")}
        print(f"{name}: {result.share:.0%} ({counts['covered']} covered, {counts['partly']} partly, "
              f"{counts['missed']} missed)")
        for r in result.results:
            where = f"line {r.line}" if r.line is not None else "-"
            print(f"  {r.status:<8} {where:<8} {r.point.text}")
            if r.wrong_line is not None:
                print(f"  {'':<8} {'':<8} line {r.wrong_line} {r.wrong_reason}")
    return status


def run_tui(data_dir: Path, deck_dirs: list[Path]) -> int:
    from studyapp.tui.app import StudyApp

    # Both steps run in a worker thread after the first frame, so even studyapp.service (and fsrs)
    # is imported there, not on the way to it.
    opened = {}

    def opening():  # noqa: ANN202
        if "opening" not in opened:
            from studyapp.overview import Opening

            opened["opening"] = Opening(data_dir, deck_dirs)
        return opened["opening"]

    app = StudyApp(service_factory=lambda: opening().service(), overview_factory=lambda: opening().overview(),
                   config_file=paths.config_path(data_dir))
    app.run()
    return app.return_code or 0
