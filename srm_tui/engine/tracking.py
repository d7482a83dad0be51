"""How each duty stands, kept by hand: status, assignee, due date, evidence, note, reason.

The answers only let the engine derive a status; a consultant or an auditor also needs
who does what, by when, proven by what. That is kept per control under ``tracking`` in
the answers file. A status set here overrides the derived one. Every change appends
a dated entry to the control's ``history`` (the audit trail the report shows). Entries
copied into next year's file by a re-assessment are marked ``carried`` until someone
looks at them again.

Every value is checked by the same models whether it comes from a file, the command
line, the app's form or the prompts, so a value one accepts the others accept.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Annotated, Any, Literal, TypedDict

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from srm_tui.engine import yamlio
from srm_tui.engine.errors import InputError
from srm_tui.engine.text import CONTROL_IN_TEXT
from srm_tui.engine.vocabulary import TRACKING_KEY


class Status(str, Enum):
    """The statuses a person may set by hand: one member per id of the vocabulary's
    ``TrackStatus``, in its order (a test holds them to it)."""

    IMPLEMENTED = "implemented"
    PARTIAL = "partial"
    PLANNED = "planned"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_APPLICABLE = "not_applicable"
    RISK_ACCEPTED = "risk_accepted"
    UNKNOWN = "unknown"


STATUS_VALUES = tuple(s.value for s in Status)
# A decision not to do the duty must say why.
NEEDS_REASON = frozenset({"not_applicable", "risk_accepted"})
# Statuses that close a duty: a past due date no longer makes it overdue.
CLOSED = frozenset({"implemented", "alternative", "not_applicable", "risk_accepted"})
TrackedField = Literal["status", "assignee", "due", "evidence", "note", "reason"]
FIELDS: tuple[TrackedField, ...] = ("status", "assignee", "due", "evidence", "note", "reason")

MAX_LINE = 200  # an assignee, one evidence reference
MAX_TEXT = 2000  # a note, a reason
MAX_EVIDENCE = 50
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class TrackingError(ValueError):
    """A tracking value that does not fit; ``field`` says which one."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def _line(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if len(value) > limit:
            raise ValueError(f"{len(value)} characters; at most {limit}")
        if _CONTROL_CHARS.search(value):
            raise ValueError("contains control characters (one line of plain text expected)")
        return value

    return check


def _text(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise ValueError(f"{len(value)} characters; at most {MAX_TEXT}")
    if CONTROL_IN_TEXT.search(value):
        raise ValueError("contains control characters")
    return value


def _date(value: Any) -> Any:
    """A real calendar date, as a YAML date or the text YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date without a time (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.match(text):
            raise ValueError(f"{_shown(text)} is not a date (use YYYY-MM-DD)")
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{text} is not a date ({exc})") from None
    raise ValueError("expected a date (YYYY-MM-DD)")


def _status(value: Any) -> Any:
    if isinstance(value, str) and value not in STATUS_VALUES:
        raise ValueError(f"{_shown(value)} is not a status; use one of: {', '.join(STATUS_VALUES)}")
    return value


def _shown(text: str) -> str:
    short = text if len(text) <= 40 else text[:40] + "..."
    return repr(short)


OneLine = Annotated[str, AfterValidator(_line(MAX_LINE))]
Text = Annotated[str, AfterValidator(_text)]
Date = Annotated[dt.date, BeforeValidator(_date)]
StatusValue = Annotated[Status, BeforeValidator(_status)]


def _evidence(items: list[str]) -> list[str]:
    kept = list(dict.fromkeys(i for i in items if i))
    if len(kept) > MAX_EVIDENCE:
        raise ValueError(f"{len(kept)} references; at most {MAX_EVIDENCE}")
    return kept


Evidence = Annotated[list[OneLine], AfterValidator(_evidence)]


class Change(BaseModel):
    """One dated change: the field and the value it took (None when cleared)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    date: Date
    field: Literal["status", "assignee", "due", "evidence", "note", "reason", "confirmed"]
    value: Any = None

    @model_validator(mode="after")
    def _value_fits(self) -> Change:
        if self.field == "confirmed":
            self.value = None
        else:
            self.value = _adapter(self.field).validate_python(self.value)
        return self


class Tracking(BaseModel):
    """How one duty stands. Unset fields are None (the status then comes from the answers)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    status: StatusValue | None = None
    assignee: OneLine | None = None
    due: Date | None = None
    evidence: Evidence = []
    note: Text | None = None
    reason: Text | None = None
    carried: bool = False
    history: list[Change] = []

    @model_validator(mode="after")
    def _reason_given(self) -> Tracking:
        if self.status is not None and self.status.value in NEEDS_REASON and not self.reason:
            raise ValueError(f"a reason is required when the status is {self.status.value}")
        return self

    @property
    def status_value(self) -> str | None:
        return self.status.value if self.status is not None else None

    def changed_on(self, field: str) -> dt.date | None:
        """When ``field`` last changed (from the history)."""
        dates = [c.date for c in self.history if c.field == field]
        return max(dates) if dates else None

    def overdue(self, status: str | None, today: dt.date) -> bool:
        return self.due is not None and self.due < today and status not in CLOSED

    def to_raw(self) -> dict[str, Any]:
        """The plain mapping the answers file keeps (YAML dates, no empty fields)."""
        out: dict[str, Any] = {}
        for name in FIELDS:
            value = getattr(self, name)
            if value not in (None, [], ""):
                out[name] = value.value if isinstance(value, Status) else value
        if self.carried:
            out["carried"] = True
        if self.history:
            out["history"] = [
                {
                    "date": c.date,
                    "field": c.field,
                    "value": c.value.value if isinstance(c.value, Status) else c.value,
                }
                for c in self.history
            ]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "assignee": self.assignee,
            "due": self.due.isoformat() if self.due else None,
            "evidence": list(self.evidence),
            "note": self.note,
            "reason": self.reason,
            "carried": self.carried,
            "changes": [
                {
                    "date": c.date.isoformat(),
                    "field": c.field,
                    "value": _plain(c.value),
                }
                for c in self.history
            ],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Status):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


EMPTY = Tracking.model_construct()  # the defaults, valid by definition: nothing to check

# Each field's validator is built when first used: building them all at import would
# slow every start for a form most sittings never open.
_TYPES: dict[str, Any] = {
    "status": StatusValue | None,
    "assignee": OneLine | None,
    "due": Date | None,
    "evidence": Evidence,
    "note": Text | None,
    "reason": Text | None,
}


@functools.cache
def _adapter(field: str) -> TypeAdapter[Any]:
    return TypeAdapter(_TYPES[field])


def message(err: Mapping[str, Any]) -> str:
    """A pydantic error as one short line for the person who typed the value."""
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err.get("msg", "")))
    if kind in ("string_type", "list_type", "bool_type", "bool_parsing"):
        return {"string_type": "expected text", "list_type": "expected a list"}.get(
            kind, "expected true or false"
        )
    if kind == "literal_error":
        return f"{_shown(str(err.get('input')))}: {err.get('msg')}"
    return str(err.get("msg", "invalid value"))


def check_field(field: str, value: Any) -> Any:
    """The stored form of one field's value; empty text clears it. Raises TrackingError."""
    if isinstance(value, str) and not value.strip() and field != "evidence":
        return None
    try:
        return _adapter(field).validate_python(value)
    except ValidationError as exc:
        raise TrackingError(field, message(exc.errors()[0])) from None


def _tracked_field(name: str) -> TrackedField:
    for known in FIELDS:
        if name == known:
            return known
    raise TrackingError(name, "unknown field")


def update(
    current: Tracking | None, changes: Mapping[str, Any], today: dt.date, confirm: bool = False
) -> Tracking:
    """``current`` with ``changes`` applied and dated; a change (or ``confirm``) ends carried."""
    base = current or EMPTY
    values = {name: getattr(base, name) for name in FIELDS}
    history = list(base.history)
    for given, raw in changes.items():
        name = _tracked_field(given)
        value = check_field(name, raw)
        if value != values[name]:
            values[name] = value
            history.append(Change(date=today, field=name, value=value))
    changed = len(history) > len(base.history)
    if base.carried and confirm and not changed:
        history.append(Change(date=today, field="confirmed"))
    carried = base.carried and not (changed or confirm)
    try:
        return Tracking(**values, carried=carried, history=history)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = "reason" if err.get("type") == "value_error" else str(err["loc"][0])
        raise TrackingError(field, message(err)) from None


def entries(raw: Mapping[str, Any]) -> dict[str, Tracking]:
    """The tracking kept in an answers document (already checked when it was loaded)."""
    table = raw.get(TRACKING_KEY)
    if not isinstance(table, Mapping):
        return {}
    out = {}
    for cid, entry in table.items():
        try:
            out[str(cid)] = Tracking.model_validate(entry)
        except ValidationError:
            continue  # only a document built in memory can hold one; the loader refuses it
    return out


def store(raw: dict[str, Any], control_id: str, entry: Tracking) -> None:
    """Put ``entry`` into an answers document (an entry with nothing in it is removed)."""
    table = raw.setdefault(TRACKING_KEY, {})
    data = entry.to_raw()
    if data:
        table[control_id] = data
    else:
        table.pop(control_id, None)
    if not table:
        raw.pop(TRACKING_KEY, None)


def unknown_control(control_id: str, known: Iterable[str]) -> str:
    """The message for a control id the pack does not have, with the nearest ones."""
    known = list(known)
    same = [k for k in known if _loose(k) == _loose(control_id)]
    near = same + [
        k for k in difflib.get_close_matches(control_id, known, n=3, cutoff=0.6) if k not in same
    ]
    near = near[:3]
    hint = f" (did you mean {' or '.join(near)}?)" if near else ""
    return f"unknown control {_shown(control_id)}{hint}"


def _loose(control_id: str) -> str:
    """An id compared loosely: case and leading zeros of numbers ignored (iam-1 ~ IAM-01)."""
    return re.sub(r"\d+", lambda m: str(int(m.group())), control_id.strip().upper())


def check(doc: yamlio.Document, control_ids: set[str], strict: bool) -> list[InputError]:
    """Every problem in a document's ``tracking`` mapping, each naming its place.

    ``strict`` (the file was written for this pack version) makes an unknown control an
    error; otherwise such entries are kept untouched, like answers to retired questions.
    """
    table = doc.data.get(TRACKING_KEY)
    if table is None:
        return []
    if not isinstance(table, dict):
        return [doc.error((TRACKING_KEY,), "tracking must be a mapping of control ids")]
    problems = []
    for cid, entry in table.items():
        loc = (TRACKING_KEY, cid)
        if str(cid) not in control_ids:
            if strict:
                problems.append(doc.error(loc, unknown_control(str(cid), sorted(control_ids))))
            continue
        if not isinstance(entry, dict):
            problems.append(doc.error(loc, "expected a mapping (status, assignee, due, ...)"))
            continue
        try:
            Tracking.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                where = (*loc, *err["loc"]) if err["loc"] else (*loc, "reason")
                problems.append(doc.error(where, message(err)))
    return problems


def carry(raw: Mapping[str, Any], control_ids: set[str]) -> dict[str, Any]:
    """Last time's tracking for a new engagement, each entry marked carried (to confirm)."""
    out = {}
    for cid, entry in entries(raw).items():
        if cid in control_ids:
            out[cid] = entry.model_copy(update={"carried": True}).to_raw()
    return out


class Said(TypedDict):
    by: str  # the participant
    value: Any  # as JSON: a date as ISO text


class Disagreement(TypedDict):
    """One tracking field participants set differently, and what the merge kept."""

    control: str
    field: str
    answers: list[Said]
    merged: Any


def merge(
    named: list[tuple[str, Mapping[str, Any]]],
) -> tuple[dict[str, Any], list[Disagreement]]:
    """Several participants' tracking as one, and where they differ.

    A field takes the value changed most recently (ties: the first participant's);
    evidence lists are joined; the histories are joined in date order.
    """
    tables = [(who, entries(raw)) for who, raw in named]
    merged: dict[str, Any] = {}
    disagreements: list[Disagreement] = []
    for cid in dict.fromkeys(c for _, table in tables for c in table):
        given = [(who, table[cid]) for who, table in tables if cid in table]
        values: dict[str, Any] = {}
        for name in FIELDS:
            said = [(who, e, getattr(e, name)) for who, e in given]
            said = [(who, e, v) for who, e, v in said if v not in (None, [])]
            if not said:
                continue
            if name == "evidence":
                values[name] = list(dict.fromkeys(x for _, _, v in said for x in v))
            else:
                latest = max(said, key=lambda s: s[1].changed_on(name) or dt.date.min)
                values[name] = latest[2]
            if any(v != said[0][2] for _, _, v in said):
                disagreements.append(
                    {
                        "control": cid,
                        "field": name,
                        "answers": [{"by": who, "value": _plain(v)} for who, _, v in said],
                        "merged": _plain(values[name]),
                    }
                )
        history = sorted(
            {(c.date, c.field, repr(c.value)): c for _, e in given for c in e.history}.values(),
            key=lambda c: c.date,
        )
        carried = all(e.carried for _, e in given)
        merged[cid] = Tracking(**values, carried=carried, history=history).to_raw()
    return merged, disagreements
