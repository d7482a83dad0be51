"""Checking one answer against its question.

Typed answers (from a front end) and answers read from a file go through the same
function, so a value the file accepts is a value the interview accepts and back.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from srm_tui.engine.errors import did_you_mean
from srm_tui.engine.pack import CompiledQuestion, Pack
from srm_tui.engine.pack_schema import Choice


class AnswerError(ValueError):
    """The value does not fit the question; the message is for the person answering.

    ``index`` is the position of the offending item in a list answer, if that is known.
    """

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        self.index = index


def coerce(pack: Pack, cq: CompiledQuestion, value: Any) -> Any:
    """Return the stored form of ``value`` for the question, or raise :class:`AnswerError`."""
    q = cq.q
    kind = q.type
    if kind in ("text", "multiline"):
        if not isinstance(value, str):
            raise AnswerError("expected text")
        if kind == "text" and "\n" in value.strip():
            raise AnswerError("expected a single line of text")
        value = value.strip() if kind == "text" else value.rstrip()
        if q.required and not value:
            raise AnswerError("an answer is required")
        return value
    if kind == "number":
        return _number(value)
    if kind == "date":
        return _date(value)
    if kind == "yesno" and isinstance(value, bool):  # YAML reads a bare yes/no as a bool
        value = "yes" if value else "no"
    allowed = [c.value for c in pack.choices(q)]
    if kind in ("single", "yesno"):
        if not isinstance(value, str) or value not in allowed:
            raise AnswerError(f"{value!r} is not one of: {', '.join(allowed[:12])}")
        return value
    # multi
    if not isinstance(value, (list, tuple)):
        raise AnswerError("expected a list of choices")
    unknown = [(i, v) for i, v in enumerate(value) if not isinstance(v, str) or v not in allowed]
    if unknown:
        noun = "service" if q.choices and not isinstance(q.choices, list) else "choice"
        index, bad = unknown[0]
        raise AnswerError(f"unknown {noun} {bad!r}{did_you_mean(bad, allowed)}", index)
    chosen = set(value)
    return [v for v in allowed if v in chosen]  # catalog order, no duplicates


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise AnswerError("expected a number")
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            value = int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                raise AnswerError(f"{value.strip()!r} is not a number") from None
    if not isinstance(value, (int, float)) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        raise AnswerError("expected a number")
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise AnswerError(f"{value.strip()!r} is not a date (use YYYY-MM-DD)") from None
    raise AnswerError("expected a date (YYYY-MM-DD)")


def display(pack: Pack, cq: CompiledQuestion, value: Any) -> str:
    """A stored answer as a person reads it (choice labels, ISO dates)."""
    if value is None:
        return ""
    if cq.q.type in ("single", "yesno", "multi"):
        labels = {c.value: c.label for c in pack.choices(cq.q)}
        if isinstance(value, list):
            return ", ".join(labels.get(v) or str(v) for v in value)
        return labels.get(value, str(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def tick(choices: list[Choice], before: list[str], after: list[str]) -> list[str]:
    """A multi answer after the person ticked or unticked: an exclusive choice just
    ticked ("None of these") clears the others; another one ticked clears it."""
    exclusive = {c.value for c in choices if c.exclusive}
    added = [v for v in after if v not in before]
    if any(v in exclusive for v in added):
        return [next(v for v in reversed(added) if v in exclusive)]
    if added:
        return [v for v in after if v not in exclusive]
    return list(after)


def given(pack: Pack, answers: dict[str, Any], qid: str) -> str:
    """An answer that acted on a duty, as given: “No” (the question it answers)."""
    cq = pack.question_by_id.get(qid)
    if cq is None:
        return qid
    return f"“{display(pack, cq, answers.get(qid))}” ({cq.q.title})"
