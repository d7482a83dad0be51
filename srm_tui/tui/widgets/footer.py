"""A Footer that rebuilds only when the keys it shows change.

Textual's Footer recomposes on every focus change; moving between questions changes
focus twice, and rebuilding a dozen key widgets each time was most of a step's cost.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    _shown: tuple | None = None  # the keys last drawn; None before the first time

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _tip) in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )
        if shown != self._shown:
            self._shown = shown
            super().bindings_changed(screen)
