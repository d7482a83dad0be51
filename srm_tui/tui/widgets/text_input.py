"""A one-line text field whose editing keys act in the order they were typed.

Textual runs a focused widget's own bindings (Backspace, Ctrl+U, Ctrl+W, Enter, …) only
once the key has bubbled up to the app, while a typed character is inserted as soon as
the field sees it. Keys that arrive together (typing ahead while a question is swapped
in, a paste-like burst over ssh) were then applied out of order: Ctrl+U 7 0 Enter
inserted the digits, cleared them and stored nothing. This field runs its bindings
when it receives the key, in turn with the characters.

The app hands a key to whichever widget has focus when the app reads it, so in a burst
(Down then Space) the second key can reach this field after the first has moved focus
away; the field then passes it back to the app, which gives it to the new focus. Tab and
Shift+Tab are the screen's bindings, run once the key has bubbled up to it, after the keys
behind them were already typed here ("Acme", Tab, "Me" in one burst gave "AcmeMe"): the
field runs them itself, as it gets them.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input

FOCUS_KEYS = ("tab", "shift+tab")


class TextInput(Input):
    """``Input`` with its own key bindings, and the screen's focus keys, handled in typing
    order."""

    async def _on_key(self, event: events.Key) -> None:
        if self.app.focused not in (self, None):
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        bound: list[tuple[DOMNode, Binding]] = [
            (self, b) for b in self._bindings.key_to_bindings.get(event.key, ())
        ]
        if event.key in FOCUS_KEYS:
            bound += [
                (self.screen, b) for b in self.screen._bindings.key_to_bindings.get(event.key, ())
            ]
        for node, binding in bound:
            if not binding.priority and await self.app.run_action(binding.action, node):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
