"""One editor per question type. Editors only report what was typed or chosen.

The screen checks and stores values through the engine's ``Interview``; an editor
never validates or saves. Every text from the pack is shown as plain text (``Content``),
never parsed as markup.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, RadioButton, RadioSet

from srm_tui.engine.pack import CompiledQuestion
from srm_tui.engine.pack_schema import Choice
from srm_tui.tui.widgets.text_input import TextInput


class Edited(Message):
    """A value for question ``qid``; ``final`` when it should be stored at once."""

    def __init__(self, qid: str, value: Any, final: bool = True, advance: bool = False):
        super().__init__()
        self.qid = qid
        self.value = value
        self.final = final
        self.advance = advance


class Editor(Vertical):
    """Base of the editors: knows its question, reports ``Edited``."""

    DEFAULT_CSS = "Editor { height: auto; }"

    def __init__(self, cq: CompiledQuestion, choices: list[Choice], value: Any) -> None:
        super().__init__(classes=f"editor editor-{cq.q.type}")
        self.cq = cq
        self.choices = choices
        self.initial = value

    def edited(self, value: Any, final: bool = True, advance: bool = False) -> None:
        """Straight to the screen: bubbling would wait a turn in each container's queue."""
        self.screen.post_message(Edited(self.cq.id, value, final, advance))

    def show_value(self, value: Any) -> None:
        """Show a stored value the editor did not draw itself (see ``ChoiceSet``)."""

    def focus_first(self) -> None:
        target = next(iter(self.query("Input, RadioSet, SelectionList, TextArea")), None)
        if target is not None:  # at once, not after the queue: the old editor goes next
            self.screen.set_focus(target)


class ChoiceSet(RadioSet):
    """A RadioSet where Enter chooses the highlighted option and moves on."""

    BINDINGS = [Binding("enter", "choose_and_next", "Choose", show=False)]

    def on_mount(self) -> None:
        self.call_after_refresh(self._start_on_answer)

    def _start_on_answer(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index  # start on the answer given, not the first

    def action_choose_and_next(self) -> None:
        index = self._selected
        if index is None:
            return
        button = list(self.query(RadioButton))[index]
        editor = next(a for a in self.ancestors if isinstance(a, Editor))
        # The button is not pressed here: the next question replaces this editor, and
        # restyling the set first would delay it. The screen shows it if it stays.
        editor.edited(button.name, final=True, advance=True)


class OptionButton(RadioButton):
    """A radio button whose label wraps under itself instead of being cut short."""

    def _lines(self, width: int) -> list[str]:
        return textwrap.wrap(self.label.plain, max(8, width - 5)) or [""]

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        style = self.get_visual_style("toggle--label")
        first, *rest = self._lines(self.size.width)
        lines = [Content.assemble(self._button, Content(f" {first} ").stylize_before(style))]
        lines += [
            Content.assemble("   ", Content(f" {line} ").stylize_before(style)) for line in rest
        ]
        return Content("\n").join(lines)


class SingleEditor(Editor):
    """single and yesno: one RadioButton per choice."""

    def compose(self) -> ComposeResult:
        with ChoiceSet():
            for choice in self.choices:
                yield OptionButton(
                    Content(choice.label), value=choice.value == self.initial, name=choice.value
                )

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.edited(event.pressed.name)

    def show_value(self, value: Any) -> None:
        for button in self.query(RadioButton):
            if button.name == value and not button.value:
                with self.prevent(RadioSet.Changed):
                    button.value = True


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


PLACEHOLDERS = {"number": "A number", "date": "YYYY-MM-DD", "text": ""}


class LineEditor(Editor):
    """text, number and date: one Input; Enter stores and moves on."""

    def compose(self) -> ComposeResult:
        placeholder = self.cq.q.placeholder or PLACEHOLDERS.get(self.cq.q.type, "")
        yield TextInput(as_text(self.initial), placeholder=placeholder, id="value")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited(event.value, final=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.edited(event.value, final=True, advance=True)


class TextEditor(Editor):
    """multiline: a TextArea (imported when first needed)."""

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        yield TextArea(as_text(self.initial), id="value", soft_wrap=True, show_line_numbers=False)

    def on_text_area_changed(self, event) -> None:
        event.stop()
        self.edited(event.text_area.text, final=False)


EDITORS: dict[str, type[Editor]] = {
    "single": SingleEditor,
    "yesno": SingleEditor,
    "text": LineEditor,
    "number": LineEditor,
    "date": LineEditor,
    "multiline": TextEditor,
}


def make_editor(cq: CompiledQuestion, choices: list[Choice], value: Any) -> Editor:
    if cq.q.type == "multi":  # imported with the first one (SelectionList)
        from srm_tui.tui.widgets.multi import MultiEditor

        return MultiEditor(cq, choices, value)
    return EDITORS[cq.q.type](cq, choices, value)
