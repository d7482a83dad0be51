"""A one-line text field whose editing keys act in the order they were typed.

Textual runs a focused widget's own bindings (Backspace, Ctrl+U, Ctrl+W, Enter, …) only
once the key has bubbled up to the app, while a typed character is inserted as soon as
the field sees it. Keys that arrive together (typing ahead while a question is swapped
in, a paste-like burst over ssh) were then applied out of order: Ctrl+U 7 0 Enter
inserted the digits, cleared them and stored nothing. This field runs its bindings
when it receives the key, in turn with the characters.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextInput(Input):
    """``Input`` with its own key bindings handled in typing order."""

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
