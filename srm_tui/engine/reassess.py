"""Re-assessment: a new engagement that starts from last year's answers.

The new file keeps a ``review`` mapping ``{question id: "confirmed" | "changed"}``. An
answer copied from the previous file and not yet in that mapping is *carried over*:
nobody has looked at it this year. Visiting a question and moving on without changing
it confirms it; changing it (or answering it for the first time) marks it changed.
The previous file is only read.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from srm_tui.engine.answers import REVIEW_KEY, AnswersFile
from srm_tui.engine.pack import Pack
from srm_tui.engine.vocabulary import TRACKING_KEY

CONFIRMED, CHANGED, CARRIED = "confirmed", "changed", "carried"
MARKS = (CONFIRMED, CHANGED)


def start_from(
    pack: Pack, previous: AnswersFile, path: str | Path | None, date: dt.date
) -> AnswersFile:
    """A new answers file with ``previous``'s answers, notes, meta (dated ``date``) and
    tracking (each entry marked carried, to confirm).

    Answers to questions the pack no longer asks, and tracking of controls it no longer
    has, are left behind: the new file is written for the current pack, which would
    refuse them.
    """
    answers = {
        qid: copy.deepcopy(value)
        for qid, value in previous.answers.items()
        if qid in pack.question_by_id
    }
    notes = {qid: str(text) for qid, text in previous.notes.items() if qid in pack.question_by_id}
    meta = {k: copy.deepcopy(v) for k, v in previous.meta.items() if k != "date"}
    meta["date"] = date
    raw: dict[str, Any] = {
        "questionnaire": pack.ref,
        "meta": meta,
        "answers": answers,
        "notes": notes,
        REVIEW_KEY: {},
    }
    from srm_tui.engine import tracking  # the tracking models load pydantic: only here

    carried = tracking.carry(previous.raw, set(pack.control_by_id))
    if carried:
        raw[TRACKING_KEY] = carried
    return AnswersFile(raw, Path(path) if path else None)


def is_reassessment(file: AnswersFile) -> bool:
    return isinstance(file.raw.get(REVIEW_KEY), dict)


def marks(file: AnswersFile) -> dict[str, str]:
    """The valid marks only (a hand-edited file may hold anything)."""
    raw = file.raw.get(REVIEW_KEY)
    if not isinstance(raw, dict):
        return {}
    return {str(k): v for k, v in raw.items() if v in MARKS}


def status(file: AnswersFile, qid: str) -> str | None:
    """``carried``, ``confirmed``, ``changed``, or None (not a re-assessment, or new)."""
    if not is_reassessment(file):
        return None
    mark = marks(file).get(qid)
    if mark:
        return mark
    value = file.answers.get(qid)
    return CARRIED if value not in (None, "", []) else None


def mark(file: AnswersFile, qid: str, before: Any, after: Any) -> str | None:
    """Record a visit that started with ``before`` and left ``after``; returns the mark.

    A change sticks: revisiting a changed answer without touching it keeps "changed".
    Nothing is recorded for a question left unanswered that was unanswered before.
    """
    if not is_reassessment(file):
        return None
    current = marks(file).get(qid)
    empty: tuple[Any, ...] = (None, "", [])
    if before != after and not (before in empty and after in empty):
        new = CHANGED
    elif after in empty:
        return current
    else:
        new = current or CONFIRMED
    file.raw[REVIEW_KEY][qid] = new
    return new


def to_confirm(file: AnswersFile, qids: Iterable[str]) -> int:
    """How many of ``qids`` still hold a carried-over answer."""
    return sum(1 for qid in qids if status(file, qid) == CARRIED)
