"""Tracking one duty from the results screen: a keyboard form, checked as you type.

The form shows the engine's own message for a bad value under the fields as soon as
it is typed, and Save stays off until every value is good, so the answers file only
ever receives what ``srm track`` and a loaded file would accept. Also here: the
controls list's extra filters (assignee, overdue) and the progress line.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from srm_tui.engine import tracking
from srm_tui.engine.assessment import Assessment, ControlResult
from srm_tui.engine.interview import Interview
from srm_tui.engine.tracking import TrackingError
from srm_tui.engine.vocabulary import (
    OWNER_LABELS,
    PROGRESS_KEYS,
    STATUS_LABELS,
    STATUSES,
    TRACK_STATUSES,
    progress,
)
from srm_tui.tui.app import SrmApp
from srm_tui.tui.widgets.text_input import TextInput

FROM_ANSWERS = "answers"  # the status choice that leaves the derived status in place
FILTER_STATUSES = tuple(dict.fromkeys([*STATUSES, *TRACK_STATUSES]))
UNASSIGNED = "(unassigned)"
PROGRESS_WORDS = {
    "implemented": "implemented",
    "in_progress": "in progress",
    "open": "open",
    "overdue": "overdue",
    "accepted": "accepted or N/A",
}
LABELS = {
    "status": "Status",
    "assignee": "Assignee",
    "due": "Due date",
    "evidence": "Evidence",
    "note": "Note",
    "reason": "Reason",
}


def status_options() -> list[tuple[str, str]]:
    """Every status a control can show, derived or set by hand, for the status filter."""
    return [(STATUS_LABELS[s], s) for s in FILTER_STATUSES]


def filter_selects(assessment: Assessment) -> list[Select]:
    """The assignee and overdue filters for the controls list."""
    return [
        Select(assignee_options(assessment), prompt="Anyone", id="f-assignee", compact=True),
        Select(
            [("Overdue", "overdue"), ("Not overdue", "on_time")],
            prompt="Any due date",
            id="f-overdue",
            compact=True,
        ),
    ]


def assignee_options(assessment: Assessment) -> list[tuple[str | Content, str]]:
    names = sorted(
        {r.tracking.assignee for r in assessment.controls if r.tracking and r.tracking.assignee}
    )
    return [(Content(n), n) for n in names] + [("Unassigned", UNASSIGNED)]


def keep(result: ControlResult, assignee: str | None, due: str | None) -> bool:
    """Whether a control passes the assignee and overdue filters (None: any)."""
    name = result.tracking.assignee if result.tracking else None
    if assignee is not None and (name or UNASSIGNED) != assignee:
        return False
    return due is None or result.overdue == (due == "overdue")


def progress_line(assessment: Assessment) -> Content:
    """``Progress: 11 implemented · 32 in progress · 40 open · 2 overdue`` for the results."""
    counts = Counter(
        progress(r.status, r.overdue) for r in assessment.controls if r.status is not None
    )
    shown = [k for k in PROGRESS_KEYS if counts[k] or k != "accepted"]
    parts = [f"{counts[k]} {PROGRESS_WORDS[k]}" for k in shown]
    style = "bold $error" if counts["overdue"] else "bold"
    return Content.assemble(("Progress: ", style), " · ".join(parts))


def tracking_lines(result: ControlResult) -> list[Content]:
    """What is tracked for a control, for the controls list's detail pane."""
    entry = result.tracking
    if entry is None:
        return [Content("Tracking: nothing recorded yet (Enter to track this duty)").stylize("dim")]
    head = "Tracking"
    if result.status_source == "tracked" and result.derived_status:
        head += f" (status set by hand; the answers say {STATUS_LABELS[result.derived_status]})"
    lines = [Content(head + ":").stylize("bold")]
    due = entry.due.isoformat() if entry.due else "—"
    if result.overdue:
        due += " OVERDUE"
    lines.append(Content(f"  Assignee: {entry.assignee or '—'}   Due: {due}"))
    if entry.evidence:
        lines.append(Content("  Evidence on file: " + "; ".join(entry.evidence)))
    for label, text in (("Note", entry.note), ("Reason", entry.reason)):
        if text:
            lines.append(Content(f"  {label}: {text}"))
    if entry.carried:
        lines.append(Content("  Carried over from last time: open and save to confirm."))
    return lines


class TrackingForm(ModalScreen[bool]):
    """Status, assignee, due date, evidence (one per line), note and reason for one duty.

    Dismisses with True when something was saved.
    """

    app = getters.app(SrmApp)

    DEFAULT_CSS = """
    TrackingForm { align: center middle; }
    #track-box {
        width: 100%; max-width: 84; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    #track-title { text-style: bold; }
    #track-about { color: $text-muted; margin-bottom: 1; }
    .track-row { height: auto; }
    .track-row Label { width: 10; padding-top: 0; }
    .track-row Input, .track-row Select { width: 1fr; }
    #track-evidence { width: 1fr; height: 4; }
    #track-problem { height: auto; min-height: 1; margin-top: 1; }
    #track-buttons { height: 1; margin-top: 1; }
    #track-buttons Button { margin-right: 2; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, interview: Interview, result: ControlResult) -> None:
        super().__init__()
        self.interview = interview
        self.result = result
        self.current = interview.tracking(result.control.id)

    def compose(self) -> ComposeResult:
        r, t = self.result, self.current or tracking.EMPTY
        derived = STATUS_LABELS.get(r.derived_status or "", "none")
        choices = [(f"From the answers ({derived})", FROM_ANSWERS)]
        choices += [(STATUS_LABELS[s], s) for s in TRACK_STATUSES]
        with Vertical(id="track-box"):
            yield Static(Content(f"Track {r.control.id} {r.control.title}"), id="track-title")
            about = f"Owner: {OWNER_LABELS[r.owner]}. Tab moves between fields; Ctrl+S saves."
            if t.carried:
                about += " Carried over from last time: saving confirms it."
            yield Static(about, id="track-about")
            with Horizontal(classes="track-row"):
                yield Label("Status")
                yield Select(
                    choices,
                    value=t.status_value or FROM_ANSWERS,
                    allow_blank=False,
                    id="track-status",
                    compact=True,
                )
            for field, value, hint in (
                ("assignee", t.assignee, "a person or team"),
                ("due", t.due.isoformat() if t.due else "", "YYYY-MM-DD"),
            ):
                with Horizontal(classes="track-row"):
                    yield Label(LABELS[field])
                    yield TextInput(
                        value or "", placeholder=hint, id=f"track-{field}", compact=True
                    )
            with Horizontal(classes="track-row"):
                yield Label("Evidence")
                yield TextArea(
                    "\n".join(t.evidence),
                    id="track-evidence",
                    placeholder="one reference per line: document, ticket, link",
                    compact=True,
                )
            for field, value, hint in (
                ("note", t.note, "optional"),
                ("reason", t.reason, "required for not applicable and risk accepted"),
            ):
                with Horizontal(classes="track-row"):
                    yield Label(LABELS[field])
                    yield TextInput(
                        value or "", placeholder=hint, id=f"track-{field}", compact=True
                    )
            yield Static(id="track-problem")
            with Horizontal(id="track-buttons"):
                yield Button("Save", id="track-save", variant="primary", compact=True)
                yield Button("Cancel", id="track-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#track-status", Select).focus()
        self.check()

    def values(self) -> dict[str, Any]:
        """The form as engine changes (text as typed; the engine trims and checks)."""
        status = self.query_one("#track-status", Select).value
        evidence = self.query_one("#track-evidence", TextArea).text
        out: dict[str, Any] = {
            "status": "" if status in (FROM_ANSWERS, Select.NULL) else str(status),
            "evidence": [line.strip() for line in evidence.splitlines() if line.strip()],
        }
        for field in ("assignee", "due", "note", "reason"):
            out[field] = self.query_one(f"#track-{field}", Input).value
        return out

    def check(self) -> tracking.Tracking | None:
        """Show the first problem (or none); the entry the form would save, if valid."""
        problem = self.query_one("#track-problem", Static)
        bad: str | None = None
        entry = None
        try:
            entry = tracking.update(self.current, self.values(), self.app.today)
        except TrackingError as exc:
            bad = exc.field
            problem.update(Content.assemble((f"{LABELS[exc.field]}: ", "bold $error"), str(exc)))
        else:
            problem.update("")
        for field in LABELS:
            self.query_one(f"#track-{field}").set_class(field == bad, "-invalid")
        self.query_one("#track-save", Button).disabled = entry is None
        return entry

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def changed(self) -> None:
        self.check()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#track-save")
    def action_save(self) -> None:
        if self.check() is None:
            return
        cid = self.result.control.id
        self.interview.set_tracking(cid, self.values(), self.app.today, confirm=True)
        self.dismiss(True)

    @on(Button.Pressed, "#track-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
