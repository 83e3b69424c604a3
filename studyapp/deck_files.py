"""Read deck folders from disk into a `DeckSet`: every good deck, and every problem found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.core.decks import check_unique_ids, parse_deck, parse_sources
from studyapp.core.models import Card, Deck, Problem

SOURCES_FILE = "sources.toml"


@dataclass
class DeckSet:
    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # document key -> title
    _by_key: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def deck(self, deck_id: str) -> Deck | None:
        return self._index()[0].get(deck_id)

    def card(self, deck_id: str, card_id: str) -> Card | None:
        return self._index()[1].get((deck_id, card_id))

    def _index(self) -> tuple[dict[str, Deck], dict[tuple[str, str], Card]]:
        # Built once: the answer path and the home screen look cards up by key many times.
        if self._by_key is None:
            self._by_key = ({d.id: d for d in self.decks}, {c.key: c for d in self.decks for c in d.cards})
        return self._by_key


def deck_paths(paths: Iterable[Path]) -> tuple[list[Path], dict[str, str], list[Problem]]:
    """Expand folders into their deck files and gather the sources they may cite."""
    files: list[Path] = []
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            src = path / SOURCES_FILE
            if src.is_file():
                found, probs = parse_sources(_read(src, problems) or "", str(src))
                sources.update(found)
                problems += probs
            files += sorted(p for p in path.glob("*.toml") if p.name != SOURCES_FILE)
        elif path.is_file():
            src = path.parent / SOURCES_FILE
            if src.is_file():
                found, probs = parse_sources(_read(src, problems) or "", str(src))
                sources.update(found)
                problems += probs
            files.append(path)
        else:
            problems.append(Problem(str(path), None, None, None, "no such file or folder"))
    return files, sources, problems


def load_decks(paths: Iterable[Path]) -> DeckSet:
    """Load every deck under `paths`; a bad deck is reported and skipped, the rest still load."""
    files, sources, problems = deck_paths(paths)
    decks: list[Deck] = []
    for file in files:
        text = _read(file, problems)
        if text is None:
            continue
        # Without any sources.toml we cannot tell a bad document key from a good one.
        deck, probs = parse_deck(text, str(file), file.stem, sources or None)
        problems += probs
        if deck is not None:
            decks.append(deck)
    decks, dup_problems = check_unique_ids(decks)
    return DeckSet(decks, problems + dup_problems, sources)


def _read(path: Path, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), None, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    except OSError as exc:
        problems.append(Problem(str(path), None, None, None, f"cannot be read: {exc.strerror or exc}"))
    return None
