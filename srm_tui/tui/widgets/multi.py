"""The editor of multi questions, a SelectionList: imported when the first one is shown,
as a new engagement starts on a single question."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, SelectionList
from textual.widgets.selection_list import Selection

from srm_tui.engine.pack import CompiledQuestion
from srm_tui.engine.pack_schema import Choice
from srm_tui.engine.values import tick
from srm_tui.tui.widgets.questions import Editor
from srm_tui.tui.widgets.text_input import TextInput


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
