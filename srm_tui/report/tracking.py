"""What the report shows of the tracking: per control, and progress per assignee.

A control block fills in what is known (status set by hand, assignee, due date,
evidence, note, reason, the dated changes) and leaves lines to write on for the rest.
The executive summary counts the customer's duties as implemented, in progress, open,
overdue or accepted, for everyone and per assignee.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from srm_tui.engine.assessment import Assessment, ControlResult
from srm_tui.engine.vocabulary import PROGRESS_KEYS, STATUS_LABELS, progress
from srm_tui.report import charts

PROGRESS_LABELS = {
    "implemented": "Implemented",
    "in_progress": "In progress",
    "open": "Open",
    "overdue": "Overdue",
    "accepted": "Accepted or N/A",
}
UNASSIGNED = "Unassigned"
MAX_PEOPLE = 8  # more assignees than this are summed up as "Others"


def _changes(result: ControlResult) -> list[dict[str, str]]:
    """The dated changes, one line per day: "status Planned, assignee Jo"."""
    by_day: dict[str, list[str]] = {}
    for change in result.tracking.history if result.tracking else []:
        value = change.value
        if change.field == "confirmed":
            text = "confirmed as carried over"
        elif value in (None, []):
            text = f"{change.field} cleared"
        elif change.field == "status":
            text = f"status {STATUS_LABELS.get(str(value.value), str(value.value))}"
        elif change.field == "evidence":
            text = f"evidence ({len(value)})"
        elif change.field in ("note", "reason"):
            text = f"{change.field} written"
        else:
            text = f"{change.field} {value.isoformat() if hasattr(value, 'isoformat') else value}"
        by_day.setdefault(change.date.isoformat(), []).append(text)
    return [{"date": day, "text": ", ".join(texts)} for day, texts in by_day.items()]


def control_tracking(assessment: Assessment, result: ControlResult) -> dict[str, Any]:
    """The tracking fields of one control row, and the interview notes behind it."""
    pack = assessment.pack
    notes = [
        {"question": pack.question_by_id[q].q.title, "text": str(assessment.answers.notes[q])}
        for q in result.reasons
        if q in pack.question_by_id and assessment.answers.notes.get(q)
    ]
    entry = result.tracking
    out: dict[str, Any] = {
        "status_source": result.status_source,
        "derived_status_label": STATUS_LABELS.get(result.derived_status or "", ""),
        "overdue": result.overdue,
        "answer_notes": notes,
        "tracking": None,
    }
    if entry is not None:
        status_set = entry.changed_on("status")
        out["tracking"] = {
            "assignee": entry.assignee or "",
            "due": entry.due.isoformat() if entry.due else "",
            "evidence": list(entry.evidence),
            "note": entry.note or "",
            "reason": entry.reason or "",
            "carried": entry.carried,
            "status_set": status_set.isoformat() if status_set else "",
            "changes": _changes(result),
        }
    return out


def _tally(results: list[ControlResult]) -> dict[str, int]:
    counts = Counter(progress(r.status, r.overdue) for r in results)
    return {key: counts.get(key, 0) for key in PROGRESS_KEYS}


def progress_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """Progress of the customer's duties: everyone, then each assignee (most duties first)."""
    mine = [r for r in assessment.controls if r.status is not None]
    rows = [{"label": "All duties", "total": len(mine), **_tally(mine)}]
    people: dict[str, list[ControlResult]] = {}
    for r in mine:
        name = r.tracking.assignee if r.tracking and r.tracking.assignee else None
        people.setdefault(name or UNASSIGNED, []).append(r)
    if set(people) <= {UNASSIGNED}:
        return rows
    named = sorted((n for n in people if n != UNASSIGNED), key=lambda n: (-len(people[n]), n))
    shown, rest = named[:MAX_PEOPLE], named[MAX_PEOPLE:]
    groups = [(n, people[n]) for n in shown]
    if rest:
        others = [r for n in rest for r in people[n]]
        groups.append((f"Others ({len(rest)})", others))
    if UNASSIGNED in people:
        groups.append((UNASSIGNED, people[UNASSIGNED]))
    rows += [{"label": label, "total": len(rs), **_tally(rs)} for label, rs in groups]
    return rows


def progress_view(assessment: Assessment) -> dict[str, Any]:
    """The summary's progress chart and table (the accepted column only when used)."""
    rows = progress_rows(assessment)
    keys = tuple(k for k in PROGRESS_KEYS if k != "accepted" or rows[0]["accepted"])
    return {
        "rows": rows,
        "legend": [(k, PROGRESS_LABELS[k]) for k in keys],
        "chart": charts.progress_bars(rows, keys),
        "as_of": assessment.today.isoformat(),
    }
