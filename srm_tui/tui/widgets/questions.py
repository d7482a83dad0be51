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
from textual.widgets import Input, RadioButton, RadioSet, SelectionList
from textual.widgets.selection_list import Selection

from srm_tui.engine.pack import CompiledQuestion
from srm_tui.engine.pack_schema import Choice
from srm_tui.engine.values import tick
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


class ChoiceList(SelectionList):
    """A SelectionList whose disabled ``group:`` rows are headings without a tick box."""

    def render_line(self, y: int):
        index = self.scroll_offset.y + y
        if 0 <= index < self.option_count:
            option = self.get_option_at_index(index)
            if option.id and option.id.startswith("group:"):
                return super(SelectionList, self).render_line(y)
        return super().render_line(y)


def matches(choice: Choice, words: list[str]) -> bool:
    hay = f"{choice.label} {choice.value} {choice.help}".lower()
    return all(w in hay for w in words)


class FilterInput(TextInput):
    """The filter above a long list. Down is its own binding, run as the key arrives, so a
    key typed right after it (Down and Space in one burst) reaches the list, not the filter."""

    BINDINGS = [Binding("down", "to_list", "To the list", show=False)]

    def action_to_list(self) -> None:
        self.query_ancestor(MultiEditor).to_list()


class MultiEditor(Editor):
    """multi: a SelectionList; long lists get a type-to-search filter above them and
    catalog choices are grouped under their provider."""

    FILTER_FROM = 8

    def __init__(self, cq: CompiledQuestion, choices: list[Choice], value: Any) -> None:
        super().__init__(cq, choices, value)
        self.chosen: set[str] = set(value or [])
        self.grouped = not isinstance(cq.q.choices, list)
        self._shown: list[str] = []

    def compose(self) -> ComposeResult:
        if self.grouped or len(self.choices) >= self.FILTER_FROM:
            yield FilterInput(placeholder="Type to filter…", id="filter", compact=True)
        yield ChoiceList(*self._selections(self.choices), id="choices")

    def _selections(self, choices: list[Choice]) -> list[Selection]:
        self._shown = [c.value for c in choices]
        if not self.grouped:
            return [Selection(Content(c.label), c.value, c.value in self.chosen) for c in choices]
        groups: dict[str, list[Choice]] = {}
        for c in choices:
            groups.setdefault(c.help, []).append(c)
        out: list[Selection] = []
        for name, members in groups.items():
            heading = Content(name).stylize("bold $text-accent")
            out.append(Selection(heading, f"group:{name}", id=f"group:{name}", disabled=True))
            out += [Selection(Content(c.label), c.value, c.value in self.chosen) for c in members]
        return out

    def filter(self, text: str) -> None:
        words = text.lower().split()
        shown = [c for c in self.choices if matches(c, words)]
        box = self.query_one(ChoiceList)
        box.clear_options()
        box.add_options(self._selections(shown))
        self._highlight_first()

    def _highlight_first(self) -> None:
        box = self.query_one(ChoiceList)
        box.highlighted = next(
            (i for i in range(box.option_count) if not box.get_option_at_index(i).disabled),
            None,
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.to_list()

    def to_list(self) -> None:
        # Focus now, not through focus()'s deferred callback, so the next key finds the list.
        box = self.query_one(ChoiceList)
        self.screen.set_focus(box)
        current = box.highlighted
        if current is None or box.get_option_at_index(current).disabled:
            self._highlight_first()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        box = event.selection_list
        selected = {v for v in box.selected if not v.startswith("group:")}
        chosen = (self.chosen - set(self._shown)) | selected
        if chosen == self.chosen:
            return
        order = [c.value for c in self.choices]
        before = [v for v in order if v in self.chosen]
        value = tick(self.choices, before, [v for v in order if v in chosen])
        self.chosen = set(value)
        with box.prevent(SelectionList.SelectedChanged):
            for v in selected - self.chosen:
                box.deselect(v)
        self.edited(value)


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
    "multi": MultiEditor,
    "text": LineEditor,
    "number": LineEditor,
    "date": LineEditor,
    "multiline": TextEditor,
}


def make_editor(cq: CompiledQuestion, choices: list[Choice], value: Any) -> Editor:
    return EDITORS[cq.q.type](cq, choices, value)
