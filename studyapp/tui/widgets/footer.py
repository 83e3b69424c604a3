"""Textual's Footer, showing only the keys that fit whole: a key cut mid-word ("Weak top") helps nobody.

When the keys do not fit, the command palette's key goes first (Ctrl+P is on the home screen and in
help), then keys from the right; `? Keys` always stays, since the help it opens lists every key.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey  # the footer's own key widget: nothing public names it

KEEP_ACTIONS = {"app.toggle_help", "toggle_help"}


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _width_of(self, key: FooterKey) -> int:
        size = Size(self.size.width or self.app.size.width, 1)
        return key.get_content_width(size, self.app.size) + key.styles.gutter.width + key.styles.margin.width

    def _fit(self) -> None:
        width = self.size.width or self.app.size.width
        keys = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        palettes = list(self.query("FooterKey.-command-palette").results(FooterKey))
        widths = {key: self._width_of(key) for key in keys}
        used = sum(widths.values())
        for key in keys:
            key.display = True
        palette_width = sum(self._width_of(p) for p in palettes)
        for palette in palettes:
            palette.display = used + palette_width <= width
        for key in reversed(keys):
            if used <= width:
                break
            if key.action in KEEP_ACTIONS:
                continue
            key.display = False
            used -= widths[key]
