"""Checking one deck table's fields (see studyapp.core.decks): each problem reported against its item,
its field and the line that field is on."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from studyapp.core.models import Locator, Problem

FieldError = Callable[..., None]  # err(field, message, severity="error"): one problem with one field of an item
MAX_LIST_ITEMS = 8
CARD_ID = re.compile(r"[a-z0-9_-]+")
LOCATOR = re.compile(r"([a-z0-9-]+):(\d+)(?:-(\d+))?")
_TOML_LINE = re.compile(r"at line (\d+)")
_HEADER = re.compile(r"^\s*\[\[\s*(card|essay|claim|comparison)\s*\]\]")


class _LineIndex:
    """Finds the line of a field in the raw text, since tomllib keeps no positions."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.blocks: dict[str, list[int]] = {"card": [], "essay": [], "claim": [], "comparison": []}
        for number, line in enumerate(self.lines, 1):
            if m := _HEADER.match(line):
                self.blocks[m.group(1)].append(number)
        starts = sorted(n for numbers in self.blocks.values() for n in numbers)
        self.top_end = starts[0] - 1 if starts else len(self.lines)
        self._starts = starts

    def block(self, table: str, index: int) -> tuple[int, int] | None:
        numbers = self.blocks[table]
        if index >= len(numbers):
            return None
        start = numbers[index]
        # The next block's start, by bisection: a scan here made a 500-card deck quadratic (20% of its parse).
        after = bisect.bisect_right(self._starts, start)
        return start, (self._starts[after] - 1 if after < len(self._starts) else len(self.lines))

    def field(self, key: str, span: tuple[int, int] | None = None) -> int | None:
        first, last = span if span else (1, self.top_end)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(first, last + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return first if span else None


@dataclass
class _Context:
    file: str
    index: _LineIndex
    problems: list[Problem]

    def error(
        self,
        message: str,
        *,
        line: int | None = None,
        item: str | None = None,
        field: str | None = None,
        severity: str = "error",
    ) -> None:
        self.problems.append(Problem(self.file, line, item, field, message, severity))


def _known_cards(raw: dict, key: str, err: FieldError, card_ids: set[str], *, required: bool) -> tuple[str, ...]:
    cards = _field_list(raw, key, err)
    if required and not cards and key in raw:
        err(key, "name at least one card of this deck that teaches it")
    elif required and key not in raw:
        err(key, "missing; name the cards of this deck that teach it")
    for cid in cards:
        if cid not in card_ids:
            err(key, f"no card {cid!r} in this deck")
    return tuple(cards)


def _begin_item(ctx: _Context, raw: object, span: tuple[int, int] | None, table: str, keys: set[str]):  # noqa: ANN202
    """Check a [[card]] or [[essay]] table's id and keys; returns (id, err, problems so far, line).

    `err(field, message)` reports a problem against this item, at the line of its field.
    """
    line = span[0] if span else None
    if not isinstance(raw, dict):
        ctx.error(f"each [[{table}]] must be a table", line=line, field=table)
        return None
    before = len(ctx.problems)
    item_id = raw.get("id")
    label = item_id if isinstance(item_id, str) else f"{table} at line {line}" if line else table

    def err(field: str, message: str, severity: str = "error") -> None:
        ctx.error(
            message, item=label, field=field, line=ctx.index.field(field, span) if span else line, severity=severity
        )

    if not isinstance(item_id, str) or not item_id:
        err("id", f"missing; every {table} needs an id")
    elif not CARD_ID.fullmatch(item_id):
        err("id", f"{item_id!r} may use only a-z, 0-9, _ and -")
    for key in raw:
        if key not in keys:
            err(key, f"unknown key {key!r} is ignored", "warning")
    return item_id, err, before, line


def parse_locator(text: str) -> Locator | None:
    m = LOCATOR.fullmatch(text.strip())
    if not m:
        return None
    start = int(m.group(2))
    end = int(m.group(3) or start)
    if start < 1 or end < start:
        return None
    return Locator(m.group(1), start, end)


def _field_str(raw: dict, key: str, err: FieldError, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            err(key, "missing")
        return None
    if not isinstance(value, str):
        err(key, f"must be a string, not {type(value).__name__}")
        return None
    if required and not value.strip():
        err(key, "is empty")
        return None
    return value.strip()


def _field_list(raw: dict, key: str, err: FieldError) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        err(key, "must be a list of non-empty strings")
        return []
    return [v.strip() for v in value]


def _field_locators(
    value: object, key: str, err: FieldError, sources: Mapping[str, str] | None, *, required: bool
) -> tuple[Locator, ...]:
    if value is None:
        if required:
            err(key, 'missing; cite the lines, e.g. ["lecture-slides:981-985"]')
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        err(key, 'must be a list of locators like "lecture-slides:981-985"')
        return ()
    locs: list[Locator] = []
    for entry in value:
        loc = parse_locator(entry) if isinstance(entry, str) else None
        if loc is None:
            err(key, f"{entry!r} is not a locator key:START-END with 1 <= START <= END")
            continue
        if sources is not None and loc.key not in sources:
            err(key, f"unknown source document {loc.key!r}; name it in sources.toml")
            continue
        locs.append(loc)
    return tuple(locs)


def _required_str(ctx: _Context, data: dict, key: str) -> str | None:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        ctx.error(
            "missing; a deck needs it" if value is None else "must be a non-empty string",
            field=key,
            line=ctx.index.field(key) or 1,
        )
        return None
    return value.strip()


def _optional_str(ctx: _Context, data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        ctx.error("must be a string", field=key, line=ctx.index.field(key))
        return None
    return value


def _str_list(ctx: _Context, data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        ctx.error("must be a list of strings", field=key, line=ctx.index.field(key))
        return []
    return value


def _toml_line(exc: ValueError) -> int | None:
    m = _TOML_LINE.search(str(exc))
    return int(m.group(1)) if m else None
