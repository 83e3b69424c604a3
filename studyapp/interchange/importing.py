"""Import and export against the data folder: the CLI and the TUI both call these.

An import reads the whole file first (a bad one is refused before anything is written), then
writes each Anki deck as a user deck file `<data dir>/decks/anki_<name>.toml` (replaced when
imported again; left alone when it would not change), adds the documents its cards cite to
`<data dir>/decks/sources.toml`, and adds the review history to the database, each answer
applied with the app's own rule (`StudyService.rate`), so a card's state is what replaying its
log gives.
"""

from __future__ import annotations

import tomllib
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp import paths
from studyapp.core.decks import parse_deck
from studyapp.core.models import Deck, Rating, Review
from studyapp.deck_files import MAX_DECK_BYTES, SOURCES_FILE, DeckSet, toml_loads
from studyapp.interchange.notes import ImportPlan, deck_toml, plan_import, real_reviews
from studyapp.interchange.replacing import replacing
from studyapp.store.errors import check_room, saving

if TYPE_CHECKING:
    from studyapp.service import StudyService

Progress = Callable[[int, int], None]
IMPORTED_MODE = "anki"  # the review log's mode for an answer given in Anki (the card's history shows it)


class Refused(Exception):
    """The file cannot be imported (or the export cannot be made); `str()` says why in plain words.
    Nothing was changed."""


ImportRefused = ExportRefused = Refused


@dataclass
class ImportResult:
    decks: list[tuple[str, str, int]] = field(default_factory=list)  # (deck id, title, cards)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    reviews_added: int = 0
    reviews_already: int = 0  # in the log already (an earlier import), or older than the card's answers here
    media: int = 0
    skipped: Counter = field(default_factory=Counter)

    def describe(self, max_decks: int | None = None) -> list[str]:
        """What the import did, the totals first; `max_decks` lists at most that many decks (a small screen)."""
        changed = len(self.written)
        lines = [f"{changed} deck file{'s' if changed != 1 else ''} written, {len(self.unchanged)} unchanged; "
                 f"{self.reviews_added} review{'s' if self.reviews_added != 1 else ''} of history added"
                 + (f", {self.reviews_already} already there" if self.reviews_already else "")]
        if self.media:
            lines.append(f"{self.media} media file{'s' if self.media != 1 else ''} (pictures, sounds) not imported")
        for reason, n in self.skipped.items():
            lines.append(f"left out: {n} {reason}")
        shown = self.decks if max_decks is None else self.decks[:max_decks]
        for deck_id, title, cards in shown:
            lines.append(f"{title}: {cards} card{'s' if cards != 1 else ''} (deck {deck_id})")
        if len(shown) < len(self.decks):
            lines.append(f"and {len(self.decks) - len(shown)} more decks")
        return lines


def file_kind(path: Path) -> str:
    """"apkg" or "csv": by the name's ending, else by what the file holds."""
    suffix = path.suffix.lower()
    if suffix in (".apkg", ".colpkg", ".zip"):
        return "apkg"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return "apkg" if path.is_file() and zipfile.is_zipfile(path) else "csv"


def import_file(service: StudyService, path: Path, progress: Progress | None = None) -> ImportResult:
    """Import an .apkg or a CSV file into the service's data folder. Raises ImportRefused (plain
    words, nothing changed) for a file that cannot be imported, StorageError when the data folder
    cannot be written."""
    from studyapp.interchange.apkg import BadPackage, read_apkg
    from studyapp.interchange.csv_format import BadCsv, read_csv

    path = Path(path).expanduser()
    report = progress or (lambda done, total: None)
    kind = file_kind(path)
    reviews: dict[tuple[str, int], list] = {}
    media = 0
    try:
        if kind == "apkg":
            collection = read_apkg(path)
            notes, reviews, media = collection.notes, collection.reviews, collection.media
        else:
            notes = read_csv(path)
    except (BadPackage, BadCsv) as exc:
        raise ImportRefused(str(exc)) from exc
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    total = len(notes) + max(1, len(reviews))
    report(len(notes) // 2, total)
    plan = plan_import(notes, service.decks.sources, path.name, strict=kind == "csv")
    if plan.problems:
        more = f"\n... and {len(plan.problems) - 10} more" if len(plan.problems) > 10 else ""
        raise ImportRefused(f"{path.name} was not imported; fix these rows and import it again:\n"
                            + "\n".join(plan.problems[:10]) + more)
    if not plan.decks:
        reasons = ", ".join(f"{n} {r}" for r, n in plan.skipped.items()) or "it holds no notes"
        raise ImportRefused(f"{path.name} has no cards studyapp can import ({reasons})")
    result = ImportResult(media=media, skipped=plan.skipped)
    _write_decks(service, plan, path.name, result)
    report(len(notes), total)
    answers = _answers(plan, reviews)
    if answers:
        facets = {(d.id, c.id): c.facet for d in plan.decks for c in d.cards}

        def rate(before, review: Review):  # noqa: ANN001, ANN202
            return service.rate(before, review.rating, review.reviewed_at)

        result.reviews_added, result.reviews_already = service.repo.import_answers(
            answers, rate, lambda review: (service.study_day(review.reviewed_at),
                                           facets[(review.deck_id, review.card_id)]),
            progress=lambda done, n: report(len(notes) + done * len(reviews) // max(1, n), total))
    report(total, total)
    return result


def _answers(plan: ImportPlan, reviews: dict[tuple[str, int], list]) -> dict[tuple[str, str], list[Review]]:
    answers: dict[tuple[str, str], list[Review]] = {}
    for (guid, ord_), entries in reviews.items():
        key = plan.card_of.get((guid, ord_))
        if key is None:
            continue
        kept = [Review(key[0], key[1], Rating(r.ease), datetime.fromtimestamp(r.id / 1000, timezone.utc),
                       IMPORTED_MODE, duration_ms=r.time_ms or None) for r in real_reviews(entries)]
        if kept:
            answers[key] = kept
    return answers


def _write_decks(service: StudyService, plan: ImportPlan, origin: str, result: ImportResult) -> None:
    """Check every deck file parses as the app will read it, then write them (and sources.toml)."""
    assert service.data_dir is not None
    folder = paths.user_decks_dir(service.data_dir)
    sources = {**service.decks.sources, **plan.new_sources}
    texts: list[tuple[Deck, Path, str]] = []
    for deck in plan.decks:
        text = deck_toml(deck, origin.replace("\n", " "))
        target = folder / f"{deck.id}.toml"
        if len(text.encode()) > MAX_DECK_BYTES:
            raise ImportRefused(f"the deck “{deck.title}” would make a deck file of {len(text.encode()) / 1e6:.1f} MB; "
                                f"studyapp reads deck files of at most {MAX_DECK_BYTES / 1e6:.0f} MB")
        parsed, problems = parse_deck(text, str(target), deck.id, sources, toml_loads)
        if parsed is None:  # a card the reader turned out that the deck format refuses: say so, write nothing
            raise ImportRefused(f"the deck “{deck.title}” could not be written as a deck file: "
                                + "; ".join(str(p) for p in problems[:3]))
        texts.append((deck, target, text))
    with saving(service.data_dir):
        paths.ensure_dir(folder)
        check_room(folder, sum(len(t.encode()) for _, _, t in texts))
        if plan.new_sources:
            _add_sources(folder / SOURCES_FILE, plan.new_sources)
        for deck, target, text in texts:
            result.decks.append((deck.id, deck.title, len(deck.cards)))
            try:
                same = target.read_text(encoding="utf-8") == text
            except (OSError, UnicodeDecodeError):
                same = False
            if same:
                result.unchanged.append(target)
            else:
                _write_atomic(target, text)
                result.written.append(target)


def _add_sources(path: Path, new: dict[str, str]) -> None:
    """Add documents to a sources.toml, keeping whatever it holds (a key already there is left as it is)."""
    import tomli_w

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    try:
        present = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImportRefused(f"{path} is not valid TOML ({exc}); fix it, then import again") from exc
    added = {key: {"title": title} for key, title in new.items() if key not in present}
    if not added:
        return
    if text and not text.endswith("\n"):
        text += "\n"
    _write_atomic(path, text + ("\n" if text else "") + tomli_w.dumps(added))


def _write_atomic(path: Path, text: str) -> None:
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


# --- export -------------------------------------------------------------------------------------------

def chosen_decks(decks: DeckSet, deck_ids: Iterable[str] = ()) -> list[Deck]:
    """The decks to export: those named (an unknown id is refused), or every loaded deck."""
    wanted = list(dict.fromkeys(deck_ids))
    if not wanted:
        return list(decks.decks)
    unknown = [d for d in wanted if decks.deck(d) is None]
    if unknown:
        known = ", ".join(d.id for d in decks.decks)
        raise ExportRefused(f"no deck {', '.join(repr(u) for u in unknown)}; the decks are: {known}")
    return [deck for d in wanted if (deck := decks.deck(d)) is not None]  # all are, as checked above


def export_file(decks: DeckSet, kind: str, path: Path, deck_ids: Iterable[str] = (),
                progress: Progress | None = None) -> int:
    """Write the chosen decks as an .apkg or a CSV file at `path` (whole, or not at all); returns the card count."""
    from studyapp.interchange.apkg import write_apkg
    from studyapp.interchange.csv_format import write_csv

    chosen = chosen_decks(decks, deck_ids)
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportRefused(f"{path} is a folder; give a file name, e.g. {path / ('cards.' + kind)}")
    if not path.parent.is_dir():
        raise ExportRefused(f"there is no folder {path.parent} to write {path.name} in")
    with saving(path.parent):
        if kind == "apkg":
            return write_apkg(chosen, decks.sources, path, progress)
        return write_csv(chosen, decks.sources, path)
