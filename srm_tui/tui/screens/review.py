"""Every visible answer in one table; choose a row to edit that answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from srm_tui.engine import reassess
from srm_tui.engine.interview import Interview
from srm_tui.engine.values import display
from srm_tui.tui.widgets.footer import KeyFooter

RESULTS = ":results"  # dismiss value: open the results instead
UNANSWERED = Text("— not answered", style="bold dark_orange")


class ReviewScreen(Screen[str | None]):
    """Dismisses with the id of the question to edit, or None to go back."""

    BINDINGS = [
        Binding("escape", "close", "Back to questions"),
        Binding("ctrl+o", "results", "Results", priority=True),
    ]

    def __init__(self, interview: Interview) -> None:
        super().__init__()
        self.interview = interview
        self._filled_for = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-summary")
        yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        iv = self.interview
        self.sub_title = "Review"
        progress = iv.progress()
        missing = progress.total - progress.answered
        summary = f"{progress.answered} of {progress.total} answered"
        if missing:
            summary += f"; {missing} not answered yet"
        if reassess.is_reassessment(iv.file):
            left = reassess.to_confirm(iv.file, [q.id for q in iv.visible])
            summary += f"; {left} carried over from last time to confirm"
        summary += ". Enter edits an answer."
        self.query_one("#review-summary", Static).update(summary)
        self.fill(self.size.width)

    def on_resize(self, event) -> None:
        if event.size.width != self._filled_for:
            self.fill(event.size.width)

    def fill(self, width: int) -> None:
        """Rows as tall as their wrapped question, answer and note: nothing is cut."""
        iv = self.interview
        self._filled_for = width
        table = self.query_one(DataTable)
        row = table.cursor_row if table.row_count else iv.position
        table.clear(columns=True)
        number = len(str(len(iv.visible)))
        room = max(30, width - number - 2 * 4 - 2)  # cell padding, scrollbar
        noted = any(iv.file.notes.get(cq.id) for cq in iv.visible)
        question = room * (45 if noted else 55) // 100
        answer = room * 35 // 100 if noted else room - question
        table.add_column("#", key="n", width=number)
        table.add_column("Question", key="question", width=question)
        table.add_column("Answer", key="answer", width=answer)
        if noted:
            table.add_column("Note", key="note", width=room - question - answer)
        for n, cq in enumerate(iv.visible, 1):
            value = iv.value(cq.id)
            shown = Text(display(iv.pack, cq, value)) if iv.is_answered(cq.id) else UNANSWERED
            cells = [str(n), Text(cq.q.title), shown]
            if noted:
                cells.append(Text(iv.file.notes.get(cq.id, "")))
            table.add_row(*cells, key=cq.id, height=None)
        if 0 <= row < table.row_count:
            table.move_cursor(row=row)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_results(self) -> None:
        self.dismiss(RESULTS)
