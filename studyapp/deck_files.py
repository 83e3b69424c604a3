"""Read deck folders from disk into a `DeckSet`: every good deck, and every problem found.

With a cache folder, each deck file is parsed once: its cards and essays are pickled beside an
index keyed by the file's path, size and modification time (and the sources and parser code),
and on later starts an unchanged deck comes back as a `LazyDeck` whose cards are read from the
cache on first use. At 100,000 cards in 200 decks that turns 5 s of parsing into ~30 ms, and the
home screen, which needs only each deck's card ids, never builds 100,000 Card objects.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.core.decks import check_unique_ids, parse_deck, parse_sources
from studyapp.core.models import Card, Claim, Comparison, Deck, Essay, Problem

try:  # tomli is the project tomllib was taken from; its compiled wheels parse ~3x faster
    from tomli import loads as toml_loads
except ImportError:  # a platform without its wheel: the same parser, in pure Python
    from tomllib import loads as toml_loads

SOURCES_FILE = "sources.toml"
CACHE_FORMAT = 4  # bump when the cache's layout changes
INDEX_FILE = "decks-index.pickle"


class LazyDeck(Deck):
    """A Deck read from the parse cache: id, title, card ids and facets at once, cards and essays on first use."""

    @classmethod
    def from_cache(cls, header: tuple, card_ids: tuple[str, ...], facets: tuple[str, ...], blob: Path) -> LazyDeck:
        deck = object.__new__(cls)  # Deck is frozen: fields are set as its own __init__ would
        for name, value in zip(("id", "title", "summary", "tags", "path", "name"), header):
            object.__setattr__(deck, name, value)
        object.__setattr__(deck, "card_ids", card_ids)
        object.__setattr__(deck, "_facets", facets)
        object.__setattr__(deck, "_blob", blob)
        object.__setattr__(deck, "_content", None)
        return deck

    def _load(self) -> tuple:
        if self._content is None:
            with self._blob.open("rb") as f:
                object.__setattr__(self, "_content", pickle.load(f))
        return self._content

    @property
    def cards(self) -> tuple[Card, ...]:
        return self._load()[0]

    def card_facets(self) -> list[tuple[str, str]]:
        return list(zip(self.card_ids, self._facets))

    @property
    def essays(self) -> tuple[Essay, ...]:
        return self._load()[1]

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self._load()[2]

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        return self._load()[3]


def card_ids(deck: Deck) -> tuple[str, ...]:
    """A deck's card ids, without reading a cached deck's cards."""
    ids = getattr(deck, "card_ids", None)
    return ids if ids is not None else tuple(c.id for c in deck.cards)


@dataclass
class DeckSet:
    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # document key -> title
    _by_id: dict[str, Deck] = field(default_factory=dict, repr=False, compare=False)
    _cards: dict[str, dict[str, Card]] = field(default_factory=dict, repr=False, compare=False)
    _ids: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def deck(self, deck_id: str) -> Deck | None:
        if len(self._by_id) != len(self.decks):
            self._by_id = {d.id: d for d in self.decks}
        return self._by_id.get(deck_id)

    def card(self, deck_id: str, card_id: str) -> Card | None:
        by_id = self._cards.get(deck_id)
        if by_id is None:
            deck = self.deck(deck_id)
            if deck is None:
                return None
            by_id = self._cards[deck_id] = {c.id: c for c in deck.cards}
        return by_id.get(card_id)

    def has_card(self, deck_id: str, card_id: str) -> bool:
        """Whether the deck has the card, without reading a cached deck's cards."""
        ids = self._ids.get(deck_id)
        if ids is None:
            deck = self.deck(deck_id)
            if deck is None:
                return False
            ids = self._ids[deck_id] = frozenset(card_ids(deck))
        return card_id in ids


def deck_paths(paths: Iterable[Path], sources_from: Iterable[Path] = ()) -> tuple[list[Path], dict[str, str],
                                                                                   list[Problem]]:
    """Expand folders into their deck files and gather the sources they may cite.

    Sources come from the `sources.toml` in each folder (or beside each file) and in each folder of
    `sources_from`, whose decks are not loaded (`studyapp check PATH` knows the app's sources so).
    """
    files: list[Path] = []
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    folders: list[Path] = []
    for path in paths:
        if path.is_dir():
            folders.append(path)
            files += sorted(p for p in path.glob("*.toml") if p.name != SOURCES_FILE)
        elif path.is_file():
            folders.append(path.parent)
            files.append(path)
        elif path.exists():  # a FIFO, a device or a socket: never opened
            problems.append(Problem(str(path), None, None, None, f"is {_kind_of(path)}, not a deck file or folder"))
        else:
            problems.append(Problem(str(path), None, None, None, "no such file or folder"))
    for folder in dict.fromkeys([*(Path(p) for p in sources_from), *folders]):  # each folder once, in order
        src = folder / SOURCES_FILE
        if src.exists() or src.is_symlink():
            text = _read(src, problems)
            if text is not None:
                found, probs = parse_sources(text, str(src), toml_loads)
                sources.update(found)
                problems += probs
    return files, sources, problems


def load_decks(paths: Iterable[Path], cache_dir: Path | None = None, sources_from: Iterable[Path] = ()) -> DeckSet:
    """Load every deck under `paths`; a bad deck is reported and skipped, the rest still load.

    With `cache_dir`, unchanged files come from the parse cache (see the module's docstring).
    `sources_from`: more folders whose sources.toml the decks may cite (see `deck_paths`).
    """
    files, sources, problems = deck_paths(paths, sources_from)
    cache = _Cache(cache_dir, sources) if cache_dir is not None else None
    decks: list[Deck] = []
    for file in files:
        if cache is not None and (hit := cache.get(file)) is not None:
            deck, probs = hit
        else:
            text = _read(file, problems)
            if text is None:
                continue
            # Without any sources.toml we cannot tell a bad document key from a good one.
            deck, probs = parse_deck(text, str(file), file.stem, sources or None, toml_loads)
            if cache is not None:
                cache.put(file, deck, probs)
        problems += probs
        if deck is not None:
            decks.append(deck)
    if cache is not None:
        cache.save()
    decks, dup_problems = check_unique_ids(decks)
    return DeckSet(decks, problems + dup_problems, sources)


def _code_key() -> str:
    """Changes whenever the parser or the models change, so a cache never outlives the code that made it."""
    from studyapp import __version__
    from studyapp.core import decks as decks_module
    from studyapp.core import models

    stamps = [f"{m.__file__}:{os.stat(m.__file__).st_mtime_ns}:{os.stat(m.__file__).st_size}"
              for m in (decks_module, models)]
    return f"{CACHE_FORMAT}|{__version__}|" + "|".join(stamps)


class _Cache:
    """The parse cache in `folder`: an index of files, and one pickle of cards and essays per deck.

    A cache that cannot be read is rebuilt; one that cannot be written (a full disk, a read-only
    folder) only costs the next start its speed, so write errors are dropped here on purpose.
    """

    def __init__(self, folder: Path, sources: dict[str, str]):
        self.folder = folder
        self.key = (_code_key(), sorted(sources.items()))
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        try:
            with (folder / INDEX_FILE).open("rb") as f:
                key, entries = pickle.load(f)
            if key == self.key:
                self.entries = entries
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            pass  # no cache yet, or one from other code: parse and write a new one

    def get(self, file: Path) -> tuple[Deck | None, list[Problem]] | None:
        entry = self.entries.get(str(file))
        if entry is None:
            return None
        try:
            st = file.stat()
        except OSError:
            return None
        size, mtime_ns, header, ids, facets, problems, blob = entry
        if (size, mtime_ns) != (st.st_size, st.st_mtime_ns):
            return None
        if header is None:
            return None, problems
        blob_path = self.folder / blob
        if not blob_path.exists():
            return None
        return LazyDeck.from_cache(header, ids, facets, blob_path), problems

    def put(self, file: Path, deck: Deck | None, problems: list[Problem]) -> None:
        try:
            st = file.stat()
            blob = "deck-" + hashlib.sha1(str(file).encode()).hexdigest()[:16] + ".pickle"
            header = ids = facets = None
            if deck is not None:
                header = (deck.id, deck.title, deck.summary, deck.tags, deck.path, deck.name)
                ids = tuple(c.id for c in deck.cards)
                # interned: pickled once per facet name, not once per card (~6 MB at 100,000 cards)
                facets = tuple(sys.intern(c.facet) for c in deck.cards)
                self.folder.mkdir(parents=True, exist_ok=True)
                _write_atomic(self.folder / blob, pickle.dumps((deck.cards, deck.essays, deck.claims, deck.comparisons),
                                                           pickle.HIGHEST_PROTOCOL))
            self.entries[str(file)] = (st.st_size, st.st_mtime_ns, header, ids, facets, problems, blob)
            self.dirty = True
        except OSError:
            pass  # see the class docstring

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder / INDEX_FILE, pickle.dumps((self.key, self.entries), pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # see the class docstring


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


MAX_DECK_BYTES = 5_000_000  # the largest bundled deck is 33 kB; 500 cards of a generated deck, 100 kB


def _kind_of(path: Path) -> str:
    """What a path that is not a regular file is, in words ("a FIFO", "a character device" ...)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "a broken link" if path.is_symlink() else "missing"
    for test, words in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                        (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return words
    return "not a regular file"


def _read(path: Path, problems: list[Problem]) -> str | None:
    """A deck file's text, or None with the reason added to `problems` (each naming the file).

    Only a regular file (or a link to one) is opened: a FIFO would block start-up forever and a
    device such as /dev/zero never ends. A UTF-8 byte-order mark is dropped and CRLF line ends read
    as LF, as Windows' Notepad saves them.
    """
    def problem(message: str) -> None:
        problems.append(Problem(str(path), None, None, None, message))

    try:
        st = path.stat()  # follows a link: what matters is what it points to
        if not stat.S_ISREG(st.st_mode):
            problem(f"is {_kind_of(path)}, not a deck file: skipped")
            return None
        if st.st_size > MAX_DECK_BYTES:
            problem(f"is {_megabytes(st.st_size)}; a deck file may be at most {_megabytes(MAX_DECK_BYTES)}: skipped")
            return None
        # O_NONBLOCK: had the file been swapped for a FIFO since the stat, opening it still returns at once
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                problem(f"is {_kind_of(path)}, not a deck file: skipped")
                return None
            data = f.read(MAX_DECK_BYTES + 1)
    except OSError as exc:
        problem(f"cannot be read: {exc.strerror or exc}")
        return None
    if len(data) > MAX_DECK_BYTES:  # it grew after the stat
        problem(f"is over {_megabytes(MAX_DECK_BYTES)}; a deck file may be at most that: skipped")
        return None
    try:
        text = data.decode("utf-8-sig")  # "-sig": a byte-order mark at the start is dropped
    except UnicodeDecodeError as exc:
        problem(f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # line ends as Path.read_text reads them


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB ({size:,} bytes)"
