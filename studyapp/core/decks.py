"""Parse and validate deck text (formats 1 and 2, see decks/FORMAT.md and the README's "Deck format").

`parse_deck` turns one file's text into a `Deck` or a list of `Problem`s, each
naming the file, the line, the card or essay id and the field. A deck with any
error is skipped whole, so a half-understood deck never reaches the scheduler;
warnings (unknown keys) are reported and the deck still loads.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping

from studyapp.core.deck_fields import (
    MAX_LIST_ITEMS,
    _begin_item,
    _Context,
    _field_list,
    _field_locators,
    _field_str,
    _known_cards,
    _LineIndex,
    _optional_str,
    _required_str,
    _str_list,
    _toml_line,
)
from studyapp.core.models import FACETS, Card, CardKind, Claim, Comparison, Deck, Essay, Point, Problem

FORMAT_VERSION = 2  # 2 adds [[claim]] and [[comparison]]; a version-1 deck reads as before
DECK_ID = re.compile(r"[a-z0-9_]+")

DECK_KEYS = {"format", "id", "title", "name", "summary", "tags", "card", "essay", "claim", "comparison"}
CARD_KEYS = {"id", "kind", "facet", "front", "back", "answers", "items", "tags", "source", "note", "note_colour"}
ESSAY_KEYS = {"id", "prompt", "minutes", "points"}
POINT_KEYS = {"text", "cards", "source"}
CLAIM_KEYS = {"id", "facet", "text", "cards", "source"}
COMPARISON_KEYS = {"id", "with", "dimension", "text", "cards", "with_cards", "source"}


# tomllib needs time and memory that grow with the square of a dotted key's depth (10,000 levels:
# 2 s and 400 MB) and recurses once per level of nested arrays and inline tables, so a hostile
# file is refused before it is parsed. Real decks nest three levels at most.
MAX_KEY_DEPTH = 64
# A line whose key (before `=`), or a table header, has MAX_KEY_DEPTH dots. Each part between the
# dots excludes dots, so the match is linear in the line's length.
_DEEP_KEY = re.compile(rf"^[^.=\n#]*(?:\.[^.=\n#]*){{{MAX_KEY_DEPTH},}}=|^[ \t]*\[[^.\n#]*(?:\.[^.\n#]*){{{MAX_KEY_DEPTH},}}\]",
                       re.MULTILINE)


# Characters that are invisible or move other text: Unicode's control and "format" categories (Cc, Cf:
# zero-width spaces and joiners, direction marks, overrides and isolates, the soft hyphen ...), as of
# Unicode 14, line feeds apart. In a deck's text they can only push a card's border out of line or
# reverse what it says; a tab reads as a space.
_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f"
                        "\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
                        "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
                        "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def plain_text(text: str) -> str:
    """`text` without invisible and direction-changing characters (see _INVISIBLE), tabs as spaces."""
    return _INVISIBLE.sub("", text.replace("\t", " "))


def _shown_plainly(value: object) -> object:
    """Every string in parsed TOML (keys too) through plain_text."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, dict):
        return {plain_text(k): _shown_plainly(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown_plainly(v) for v in value]
    return value


def load_toml(text: str, file: str, loads: Callable[[str], dict] | None = None) -> tuple[dict | None, Problem | None]:
    """tomllib.loads, with every way it can fail on hostile text turned into a Problem naming `file`.

    `loads` may be another parser with tomllib's API (the I/O layer passes tomli's compiled build).
    """
    if (m := _DEEP_KEY.search(text)) is not None:
        line = text.count("\n", 0, m.start()) + 1
        return None, Problem(file, line, None, None, f"a key nested {MAX_KEY_DEPTH} or more levels deep")
    try:
        data: dict = (loads or tomllib.loads)(text)
        return {plain_text(k): _shown_plainly(v) for k, v in data.items()}, None
    except ValueError as exc:  # TOMLDecodeError, from tomllib or tomli
        return None, Problem(file, _toml_line(exc), None, None, f"not valid TOML: {exc}")
    except RecursionError:
        return None, Problem(file, None, None, None, "arrays or tables nested too deeply to read")


def parse_sources(text: str, file: str = "sources.toml",
                  loads: Callable[[str], dict] | None = None) -> tuple[dict[str, str], list[Problem]]:
    """Read `sources.toml`: document key -> title."""
    data, problem = load_toml(text, file, loads)
    if data is None:
        return {}, [problem]
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        title = value.get("title") if isinstance(value, dict) else None
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(file, None, key, "title", "each source needs a title string"))
            continue
        sources[key] = title
    return sources, problems


def parse_deck(text: str, file: str, stem: str | None = None, sources: Mapping[str, str] | None = None,
               loads: Callable[[str], dict] | None = None) -> tuple[Deck | None, list[Problem]]:
    """Parse one deck file's text. Returns the deck (None if it has errors) and its problems.

    `stem` is the file name without `.toml`, which the deck id must equal.
    `sources` are the known document keys; None skips that check.
    """
    problems: list[Problem] = []
    data, problem = load_toml(text, file, loads)
    if data is None:
        return None, [problem]
    ctx = _Context(file, _LineIndex(text), problems)

    version = data.get("format")
    if version is None:
        ctx.error("missing; add `format = 1` at the top", field="format", line=1)
        return None, problems
    if not isinstance(version, int) or isinstance(version, bool):
        ctx.error(f"must be a whole number, not {version!r}", field="format", line=ctx.index.field("format"))
        return None, problems
    if version > FORMAT_VERSION:
        ctx.error(f"deck format {version} is newer than this studyapp reads ({FORMAT_VERSION}); "
                  "update studyapp to load it", field="format", line=ctx.index.field("format"))
        return None, problems
    if version < 1:
        ctx.error(f"unknown format {version}; use 1 or 2", field="format", line=ctx.index.field("format"))
        return None, problems

    deck_id = _required_str(ctx, data, "id")
    if deck_id is not None:
        if not DECK_ID.fullmatch(deck_id):
            ctx.error(f"{deck_id!r} may use only a-z, 0-9 and _", field="id", line=ctx.index.field("id"))
        elif stem is not None and deck_id != stem:
            ctx.error(f"{deck_id!r} must equal the file name's stem {stem!r}", field="id",
                      line=ctx.index.field("id"))
    title = _required_str(ctx, data, "title")
    summary = _optional_str(ctx, data, "summary")
    name = _optional_str(ctx, data, "name")
    tags = _str_list(ctx, data, "tags")
    for key in data:
        if key not in DECK_KEYS:
            ctx.error(f"unknown key {key!r} is ignored", field=key, line=ctx.index.field(key), severity="warning")

    raw_cards = data.get("card", [])
    if not isinstance(raw_cards, list):
        ctx.error("must be an array of tables: [[card]]", field="card", line=ctx.index.field("card"))
        raw_cards = []
    cards: list[Card] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_cards):
        card = _parse_card(ctx, deck_id or "", raw, ctx.index.block("card", i), sources)
        if card is None:
            continue
        if card.id in seen:
            ctx.error("card id is used twice in this deck", item=card.id, field="id", line=card.line)
            continue
        seen.add(card.id)
        cards.append(card)

    raw_essays = data.get("essay", [])
    if not isinstance(raw_essays, list):
        ctx.error("must be an array of tables: [[essay]]", field="essay", line=ctx.index.field("essay"))
        raw_essays = []
    essays: list[Essay] = []
    seen_essays: set[str] = set()
    for i, raw in enumerate(raw_essays):
        essay = _parse_essay(ctx, deck_id or "", raw, ctx.index.block("essay", i), sources, seen)
        if essay is None:
            continue
        if essay.id in seen_essays:
            ctx.error("essay id is used twice in this deck", item=essay.id, field="id", line=essay.line)
            continue
        seen_essays.add(essay.id)
        essays.append(essay)

    claims: list[Claim] = []
    comparisons: list[Comparison] = []
    for table, parse, out in (("claim", _parse_claim, claims), ("comparison", _parse_comparison, comparisons)):
        raw_items = data.get(table, [])
        if raw_items and version < 2:
            ctx.error(f"[[{table}]] needs `format = 2`", field=table, line=ctx.index.field("format"))
            continue
        if not isinstance(raw_items, list):
            ctx.error(f"must be an array of tables: [[{table}]]", field=table, line=ctx.index.field(table))
            continue
        used: set[str] = set()
        for i, raw in enumerate(raw_items):
            item = parse(ctx, raw, ctx.index.block(table, i), sources, seen)
            if item is None:
                continue
            if item.id in used:
                ctx.error(f"{table} id is used twice in this deck", item=item.id, field="id", line=item.line)
                continue
            used.add(item.id)
            out.append(item)

    if not cards and not essays and not any(p.severity == "error" for p in problems):
        ctx.error("the deck has no cards", field="card")
    if any(p.severity == "error" for p in problems) or deck_id is None or title is None:
        return None, problems
    deck = Deck(id=deck_id, title=title, summary=summary or "", tags=tuple(tags), cards=tuple(cards),
                essays=tuple(essays), path=file, claims=tuple(claims), comparisons=tuple(comparisons),
                name=(name or "").strip())
    return deck, problems


def check_comparisons(decks: Iterable[Deck]) -> list[Problem]:
    """A comparison names another deck and that deck's cards: both must exist among the loaded decks.
    A comparison that does not resolve is reported (a warning: the deck still loads) and not used."""
    by_id = {d.id: d for d in decks}
    problems: list[Problem] = []
    for deck in by_id.values():
        for comparison in deck.comparisons:
            other = by_id.get(comparison.with_deck)
            if other is None:
                problems.append(Problem(deck.path, comparison.line or None, comparison.id, "with",
                                        f"no deck {comparison.with_deck!r} is loaded; comparison not used",
                                        "warning"))
                continue
            ids = {c.id for c in other.cards}
            for cid in comparison.with_cards:
                if cid not in ids:
                    problems.append(Problem(deck.path, comparison.line or None, comparison.id, "with_cards",
                                            f"no card {cid!r} in deck {other.id!r}", "warning"))
    return problems


def check_unique_ids(decks: Iterable[Deck]) -> tuple[list[Deck], list[Problem]]:
    """Keep the first deck of each id; a later deck with a used id is reported and skipped."""
    kept: dict[str, Deck] = {}
    problems: list[Problem] = []
    for deck in decks:
        if deck.id in kept:
            problems.append(Problem(deck.path, None, None, "id",
                                    f"deck id {deck.id!r} is already used by {kept[deck.id].path}; deck skipped"))
            continue
        kept[deck.id] = deck
    return list(kept.values()), problems


def _parse_card(ctx: _Context, deck_id: str, raw: object, span: tuple[int, int] | None,
                sources: Mapping[str, str] | None) -> Card | None:
    start = _begin_item(ctx, raw, span, "card", CARD_KEYS)
    if start is None:
        return None
    card_id, err, before, line = start

    kind_raw = raw.get("kind", "basic")
    try:
        kind = CardKind(kind_raw)
    except ValueError:
        err("kind", f"must be \"basic\" or \"list\", not {kind_raw!r}")
        kind = CardKind.BASIC
    facet = raw.get("facet")
    if facet is None:
        err("facet", f"missing; one of {', '.join(FACETS)}")
    elif facet not in FACETS:
        err("facet", f"{facet!r} is not a facet; use one of {', '.join(FACETS)}")
    front = _field_str(raw, "front", err, required=True)
    back = _field_str(raw, "back", err, required=kind is CardKind.BASIC)
    note = _field_str(raw, "note", err)
    note_colour = raw.get("note_colour", False)
    if not isinstance(note_colour, bool):
        err("note_colour", f"must be true or false, not {note_colour!r}")
        note_colour = False
    answers = _field_list(raw, "answers", err)
    items = _field_list(raw, "items", err)
    tags = _field_list(raw, "tags", err)
    if kind is CardKind.LIST:
        if "items" not in raw:
            err("items", "a list card needs items")
        elif not items:
            err("items", "a list card needs at least one item")
        elif len(items) > MAX_LIST_ITEMS:
            err("items", f"{len(items)} items; a list card holds at most {MAX_LIST_ITEMS}", "warning")
    source = _field_locators(raw.get("source"), "source", err, sources, required=True)
    if len(ctx.problems) > before and any(p.severity == "error" for p in ctx.problems[before:]):
        return None
    return Card(deck_id=deck_id, id=card_id, facet=facet, front=front, kind=kind, back=back or "",
                answers=tuple(answers), items=tuple(items), tags=tuple(tags), source=source,
                note=note or "", note_colour=note_colour, line=line or 0)


def _parse_essay(ctx: _Context, deck_id: str, raw: object, span: tuple[int, int] | None,
                 sources: Mapping[str, str] | None, card_ids: set[str]) -> Essay | None:
    start = _begin_item(ctx, raw, span, "essay", ESSAY_KEYS)
    if start is None:
        return None
    essay_id, err, before, line = start
    prompt = _field_str(raw, "prompt", err, required=True)
    minutes = raw.get("minutes", 20)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
        err("minutes", f"must be a whole number of minutes from 1 to 240, not {minutes!r}")
    raw_points = raw.get("points")
    points: list[Point] = []
    if not isinstance(raw_points, list) or not raw_points:
        err("points", "an essay needs a list of points, each { text = ..., source = [...] }")
    else:
        for n, rp in enumerate(raw_points, 1):
            def perr(field: str, message: str, severity: str = "error", n: int = n) -> None:
                err("points", f"point {n}: {field}: {message}", severity)

            if not isinstance(rp, dict):
                perr("point", "must be a table { text = ..., source = [...] }")
                continue
            text = _field_str(rp, "text", perr, required=True)
            cards = _field_list(rp, "cards", perr)
            for cid in cards:
                if cid not in card_ids:
                    perr("cards", f"no card {cid!r} in this deck")
            locs = _field_locators(rp.get("source"), "source", perr, sources, required=True)
            for key in rp:
                if key not in POINT_KEYS:
                    perr(key, f"unknown key {key!r} is ignored", "warning")
            points.append(Point(text=text or "", cards=tuple(cards), source=locs))
    if any(p.severity == "error" for p in ctx.problems[before:]):
        return None
    return Essay(deck_id=deck_id, id=essay_id, prompt=prompt, minutes=minutes, points=tuple(points),
                 line=line or 0)


def _parse_claim(ctx: _Context, raw: object, span: tuple[int, int] | None, sources: Mapping[str, str] | None,
                 card_ids: set[str]) -> Claim | None:
    start = _begin_item(ctx, raw, span, "claim", CLAIM_KEYS)
    if start is None:
        return None
    claim_id, err, before, line = start
    facet = raw.get("facet")
    if facet not in FACETS:
        err("facet", f"{facet!r} is not a facet; use one of {', '.join(FACETS)}" if facet is not None
            else f"missing; one of {', '.join(FACETS)}")
    text = _field_str(raw, "text", err, required=True)
    cards = _known_cards(raw, "cards", err, card_ids, required=True)
    source = _field_locators(raw.get("source"), "source", err, sources, required=True)
    if any(p.severity == "error" for p in ctx.problems[before:]):
        return None
    return Claim(claim_id, facet, text, cards, source, line or 0)


def _parse_comparison(ctx: _Context, raw: object, span: tuple[int, int] | None,
                      sources: Mapping[str, str] | None, card_ids: set[str]) -> Comparison | None:
    start = _begin_item(ctx, raw, span, "comparison", COMPARISON_KEYS)
    if start is None:
        return None
    comparison_id, err, before, line = start
    other = _field_str(raw, "with", err, required=True)
    if other is not None and not DECK_ID.fullmatch(other):
        err("with", f"{other!r} is not a deck id")
    dimension = _field_str(raw, "dimension", err, required=True)
    text = _field_str(raw, "text", err, required=True)
    cards = _known_cards(raw, "cards", err, card_ids, required=True)
    with_cards = tuple(_field_list(raw, "with_cards", err))
    source = _field_locators(raw.get("source"), "source", err, sources, required=True)
    if any(p.severity == "error" for p in ctx.problems[before:]):
        return None
    return Comparison(comparison_id, other, dimension, text, cards, with_cards, source, line or 0)


