"""``srm ask --track``: a pass over the customer's duties that are not yet done.

For each duty: its status, who does it, by when, and the evidence (and a reason where
the status needs one). Each value is checked by the engine as it is typed; a duty is
saved when its last prompt is answered. In the status list, Skip leaves a duty as it
is, Back returns to the previous one and Stop ends the pass; in a text prompt,
``:back`` starts the duty again and Enter keeps what is shown.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import questionary
from questionary import Choice, Separator

from srm_tui.engine import tracking
from srm_tui.engine.assessment import CUSTOMER_SIDE, ControlResult
from srm_tui.engine.interview import Interview
from srm_tui.engine.tracking import NEEDS_REASON, TrackingError
from srm_tui.engine.vocabulary import OWNER_LABELS, STATUS_LABELS, TRACK_STATUSES
from srm_tui.prompt.lines import fit, say, say_wrapped
from srm_tui.prompt.lists import fit_height

KEEP = "keep"


class Step(Enum):
    SKIP = "Skip this duty"
    BACK = "Back to the previous duty"
    STOP = "Stop tracking"


class _Again(Exception):
    """``:back`` typed in a text prompt: ask this duty again from its status."""


def open_duties(interview: Interview) -> list[ControlResult]:
    """The customer's, shared and outsourced duties not yet implemented (nor closed)."""
    return [
        r
        for r in interview.assessment().controls
        if r.owner in CUSTOMER_SIDE and r.status is not None and r.status not in tracking.CLOSED
    ]


def track_duties(interview: Interview, today: dt.date | None = None) -> int:
    """Walk the open duties; returns how many were recorded."""
    today = today or dt.date.today()
    duties = open_duties(interview)
    if not duties:
        say("\nEvery duty on your side is implemented or decided; nothing to track.")
        return 0
    say()
    say_wrapped(
        f"Track duties: {len(duties)} of your duties are not implemented yet. For each, "
        "say how it stands, who does it, by when, and the evidence.\n"
        "In the status list choose Skip, Back or Stop; in a text prompt type :back to "
        "start the duty again, press Enter to keep what is shown."
    )
    recorded: set[str] = set()
    index = 0
    while 0 <= index < len(duties):
        result = duties[index]
        step = _one(interview, result.control.id, f"({index + 1}/{len(duties)})", today)
        if step is Step.STOP:
            break
        if step is Step.BACK:
            if index == 0:
                say("This is the first duty.")
            index = max(0, index - 1)
            continue
        if step is None:
            recorded.add(result.control.id)
        index += 1
    say(f"Tracked {len(recorded)} dut{'y' if len(recorded) == 1 else 'ies'}.")
    return len(recorded)


def _one(interview: Interview, cid: str, counter: str, today: dt.date) -> Step | None:
    """Ask one duty until it is saved (None) or left by Skip, Back or Stop."""
    while True:
        result = next(r for r in interview.assessment().controls if r.control.id == cid)
        current = result.tracking or tracking.EMPTY
        say()
        shown = STATUS_LABELS.get(result.status or "", "none")
        source = "set by hand" if result.status_source == "tracked" else "from the answers"
        say_wrapped(
            f"{counter} {cid} {result.control.title}\n"
            f"{OWNER_LABELS[result.owner]} duty; status now {shown} ({source})."
        )
        status = _status(current)
        if isinstance(status, Step):
            return status
        try:
            changes = _details(current, status)
        except _Again:
            continue
        try:
            interview.set_tracking(cid, changes, today, confirm=True)
        except TrackingError as exc:
            say(f"Not saved: {exc.field}: {exc}")
            continue
        return None


def _status(current: tracking.Tracking) -> str | Step:
    keep = current.status_value
    first = Choice(
        title=f"Keep {STATUS_LABELS[keep]}" if keep else "Leave it to the answers",
        value=KEEP,
    )
    choices: list[Any] = [first]
    choices += [Choice(title=STATUS_LABELS[s], value=s) for s in TRACK_STATUSES if s != keep]
    choices += [Separator(), *(Choice(title=s.value, value=s) for s in Step)]
    message = fit("Status: (arrow keys, Enter)")
    question = questionary.select(message, choices=choices, instruction=" ")
    fit_height(question, message)
    picked = question.unsafe_ask()
    if isinstance(picked, Step):
        return picked
    if picked == KEEP:
        return keep or ""
    return picked


def _details(current: tracking.Tracking, status: str) -> dict[str, Any]:
    """Assignee, due date, evidence and, for a decision not to do it, the reason."""
    changes: dict[str, Any] = {"status": status}
    changes["assignee"] = _text("Assignee (person or team):", current.assignee, "assignee")
    due = current.due.isoformat() if current.due else ""
    changes["due"] = _text("Due date (YYYY-MM-DD):", due, "due")
    evidence = _text(
        "Evidence (references separated by ;):", "; ".join(current.evidence), "evidence"
    )
    changes["evidence"] = _split(evidence)
    if status in NEEDS_REASON:
        changes["reason"] = _text("Reason (required):", current.reason, "reason", required=True)
    return changes


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _text(message: str, current: str | None, field: str, required: bool = False) -> str:
    def validate(text: str) -> bool | str:
        if text.strip() == ":back":
            return True
        if required and not text.strip():
            return "a reason is required for this status"
        try:
            tracking.check_field(field, _split(text) if field == "evidence" else text)
        except TrackingError as exc:
            return str(exc)
        return True

    text = questionary.text(fit(message), default=current or "", validate=validate).unsafe_ask()
    if text.strip() == ":back":
        raise _Again
    return text
