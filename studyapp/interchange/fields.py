"""Anki's note fields as plain text: HTML to text, an HTML list as items, media counted, cloze deletions."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# --- HTML to text -------------------------------------------------------------------------------------

_BREAKS = {"br", "div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


class _TextOf(HTMLParser):
    """Text of an Anki field: tags dropped, a line break for <br> and each block, list items gathered."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.items: list[list[str]] = []
        self.in_item = 0
        self.skip = 0  # inside <script> or <style>
        self.media = 0  # <img>, [sound:...] are counted, never kept

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "img":
            self.media += 1
        elif tag == "li":
            self.in_item += 1
            self.items.append([])
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BREAKS:
            self._block_break()

    def _block_break(self) -> None:
        """A block starts or ends on a line of its own: one break, not one per tag (</div><div> is one)."""
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "li":
            self.in_item = max(0, self.in_item - 1)
        if tag in _BREAKS and tag != "br":
            self._block_break()

    def handle_startendtag(self, tag: str, attrs) -> None:  # noqa: ANN001
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.parts.append(data)
        if self.in_item and self.items:
            self.items[-1].append(data)


_SOUND = re.compile(r"\[sound:[^\]]*\]")


def _tidy(text: str) -> str:
    text = text.replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:  # no blank line runs: a block inside a block makes two breaks
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def html_to_text(value: str) -> str:
    """An Anki field's HTML as plain text (entities decoded, <br> and blocks as line breaks)."""
    if "<" not in value and "&" not in value and "[sound:" not in value:
        return _tidy(value)  # most fields are plain text: no parser (a third of a large import's time)
    parser = _TextOf()
    parser.feed(_SOUND.sub("", value))
    parser.close()
    return _tidy("".join(parser.parts))


def html_items(value: str) -> list[str] | None:
    """The items of a field that is an HTML list (<ul><li>...), or None when it is not one."""
    parser = _TextOf()
    parser.feed(value)
    parser.close()
    if not parser.items:
        return None
    outside = _TextOf()
    outside.feed(re.sub(r"<li\b.*?</li>", "", value, flags=re.S | re.I))
    if _tidy("".join(outside.parts)):
        return None  # text beside the list: keep the field as text
    return [_tidy("".join(parts)).replace("\n", " ") for parts in parser.items]


def media_in(value: str) -> int:
    """How many pictures and sounds a field shows (they are not imported)."""
    parser = _TextOf()
    parser.feed(value)
    parser.close()
    return parser.media + len(_SOUND.findall(value))


# --- cloze --------------------------------------------------------------------------------------------

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


def cloze_numbers(text: str) -> list[int]:
    return sorted({int(m.group(1)) for m in _CLOZE.finditer(text)})


def cloze_card(text: str, number: int) -> tuple[str, str]:
    """(front, answer) of gap `number`: that gap hidden as [...] (or [hint]), the others shown."""
    answers: list[str] = []

    def fill(m: re.Match) -> str:
        if int(m.group(1)) == number:
            answers.append(m.group(2))
            return f"[{m.group(3)}]" if m.group(3) else "[...]"
        return m.group(2)

    front = _CLOZE.sub(fill, text)
    return front, " ... ".join(answers)
