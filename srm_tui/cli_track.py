"""The work of ``srm track``: check the values, record them, and say what is recorded.

Nothing is written unless every value is good, so bad input leaves the answers file
exactly as it was; a good change goes through the answers file's atomic save.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from srm_tui.engine import tracking
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.assessment import assess
from srm_tui.engine.errors import InputError
from srm_tui.engine.pack import Pack
from srm_tui.engine.vocabulary import OWNER_LABELS, STATUS_LABELS


def _control(pack: Pack, control_id: str) -> str:
    if control_id not in pack.control_by_id:
        problem = tracking.unknown_control(control_id, pack.control_by_id)
        raise InputError(None, "CONTROL_ID", problem)
    return control_id


def record(
    pack: Pack,
    file: AnswersFile,
    control_id: str,
    changes: dict[str, Any],
    clear_evidence: bool = False,
    confirm: bool = False,
    today: dt.date | None = None,
) -> str:
    """Apply ``changes`` (CLI values; evidence is added to the list) and save if any."""
    cid = _control(pack, control_id)
    current = tracking.entries(file.raw).get(cid)
    if "evidence" in changes:
        kept = [] if clear_evidence or current is None else list(current.evidence)
        changes = {**changes, "evidence": kept + list(changes["evidence"])}
    try:
        entry = tracking.update(current, changes, today or dt.date.today(), confirm)
    except tracking.TrackingError as exc:
        raise InputError(None, f"--{exc.field}", str(exc)) from None
    if current is None or entry.to_raw() != current.to_raw():
        tracking.store(file.raw, cid, entry)
        try:
            file.save()
        except OSError as exc:
            raise InputError(file.path, None, exc.strerror or str(exc)) from None
        return "Recorded. " + show(pack, file, cid)
    return "Nothing changed. " + show(pack, file, cid)


def show(pack: Pack, file: AnswersFile, control_id: str) -> str:
    """One duty as it stands: its status and where that comes from, and the tracking."""
    cid = _control(pack, control_id)
    result = next(r for r in assess(pack, file).controls if r.control.id == cid)
    lines = [f"{cid} {result.control.title}", f"  Owner: {OWNER_LABELS[result.owner]}"]
    if result.status is None:
        lines.append("  Status: none (not the customer's duty for the services in scope)")
    else:
        source = "set by hand" if result.status_source == "tracked" else "from the answers"
        lines.append(f"  Status: {STATUS_LABELS[result.status]} ({source})")
    entry = result.tracking
    if entry is None:
        lines.append("  Nothing tracked yet.")
        return "\n".join(lines)
    if entry.status is not None and result.status is None:
        lines.append(f"  Status set by hand, kept for later: {entry.status_value}")
    for label, value in (
        ("Assignee", entry.assignee),
        ("Due", entry.due and entry.due.isoformat() + (" (overdue)" if result.overdue else "")),
        ("Evidence", "; ".join(entry.evidence)),
        ("Note", entry.note),
        ("Reason", entry.reason),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    if entry.carried:
        lines.append("  Carried over from the previous assessment: confirm it or change it.")
    if entry.history:
        last = entry.history[-1].date.isoformat()
        lines.append(f"  Changes recorded: {len(entry.history)}, the last on {last}")
    return "\n".join(lines)
