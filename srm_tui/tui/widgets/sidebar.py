"""Sections with their progress; choosing one jumps to it."""

from __future__ import annotations

import textwrap

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from srm_tui.engine.interview import Progress
from srm_tui.engine.pack_schema import Section


def section_prompt(
    section: Section, progress: Progress, current: bool, width: int = 0, compact: bool = False
) -> Content:
    """Mark, answered/total (left out when ``compact``) and the title, wrapped to ``width``
    with continuation lines indented under the title, never cut."""
    done = progress.total and progress.answered == progress.total
    mark = ("✓", "$success") if done else ("▸" if current else " ", "$accent")
    count = (" " if compact else f"{progress.answered:>2}/{progress.total:<2} ", "$text-muted")
    indent = 1 + len(count[0])
    lines = textwrap.wrap(section.title, max(8, width - indent)) if width else [section.title]
    text = ("\n" + " " * indent).join(lines or [""])
    title = Content(text).stylize("bold") if current else Content(text)
    return Content.assemble(mark, count, title)


class Sidebar(OptionList):
    """One line per section that has visible questions, with answered/total."""

    class Jump(Message):
        def __init__(self, section_id: str) -> None:
            super().__init__()
            self.section_id = section_id

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: list[str] = []
        self._prompts: dict[str, Content] = {}
        self._rows: list[tuple[Section, Progress]] = []
        self._current = ""
        self.compact = False  # no counts: a narrow terminal keeps its width for titles

    def on_resize(self) -> None:
        """Titles are wrapped to the width: wrap them again."""
        if self._rows:
            self._shown = []  # rebuild: a prompt's height may change
            self.show(self._rows, self._current)

    def show(self, rows: list[tuple[Section, Progress]], current: str) -> None:
        """Update counts in place; rebuild only when the set of sections changes."""
        self._rows, self._current = rows, current
        ids = [section.id for section, _ in rows]
        width = self.scrollable_content_region.width
        prompts = {
            s.id: section_prompt(s, p, s.id == current, width, self.compact) for s, p in rows
        }
        if ids != self._shown:
            self.clear_options()
            self.add_options([Option(prompts[i], id=i) for i in ids])
            self._shown = ids
        else:
            for index, sid in enumerate(ids):
                if prompts[sid] != self._prompts.get(sid):
                    self.replace_option_prompt_at_index(index, prompts[sid])
        self._prompts = prompts
        if current in ids and self.highlighted != ids.index(current):
            self.highlighted = ids.index(current)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))
