"""What changed between two assessments: year on year, or for a planned migration (what-if).

A what-if is not a separate computation: it is :func:`diff` of the answers as given
against a copy of them whose services answer has the moves applied, exactly what
``srm diff`` reports for two such files.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, TypedDict

from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.assessment import CUSTOMER_SIDE, Assessment, Shares, assess
from srm_tui.engine.errors import InputError, did_you_mean
from srm_tui.engine.pack import Pack
from srm_tui.engine.values import coerce
from srm_tui.engine.vocabulary import SIDES


class OwnerChange(TypedDict):
    old: str | None  # None: the duty was not in the catalog on that side
    new: str | None


class StatusChange(OwnerChange, total=False):
    set_by_hand: bool  # present (True) when the new status was set by hand


class _Control(TypedDict):
    id: str
    title: str


class ControlChange(_Control, total=False):
    """A duty whose owner or status differs; only what differs is present."""

    owner: OwnerChange
    status: StatusChange


class Duty(_Control):
    owner: str | None


class OwnerMove(_Control, OwnerChange):
    pass


class DutyMoves(TypedDict):
    gone: list[Duty]  # no longer apply
    come: list[Duty]  # newly apply
    owner_changed: list[OwnerMove]


class AddedRemoved(TypedDict):
    added: list[str]
    removed: list[str]


class Label(TypedDict):
    """Which assessment one side of a diff is."""

    questionnaire: str
    client: Any  # as the answers file holds it
    date: Any  # ISO text when the file holds a date
    file: str | None


class ShareChange(TypedDict):
    old: float | None
    new: float | None
    change: float


class ShareChanges(TypedDict):
    overall: dict[str, ShareChange]  # by side: customer, shared, provider
    by_model: dict[str, dict[str, ShareChange]]


class Diff(TypedDict):
    """What :func:`diff` returns (and ``srm diff --json`` prints)."""

    old: Label
    new: Label
    services: AddedRemoved
    models: AddedRemoved
    customer_duties: AddedRemoved
    duties: DutyMoves
    controls: list[ControlChange]
    shares: ShareChanges


def diff(old: Assessment, new: Assessment) -> Diff:
    """Services, owners, statuses and shares that differ; nothing that stayed the same."""
    old_services = [s.id for s in old.services]
    new_services = [s.id for s in new.services]
    old_controls = {r.control.id: r for r in old.controls}
    new_controls = {r.control.id: r for r in new.controls}
    changes: list[ControlChange] = []
    for cid in dict.fromkeys([*old_controls, *new_controls]):
        before, after = old_controls.get(cid), new_controls.get(cid)
        either = after or before
        assert either is not None  # cid came from one side or the other
        entry: ControlChange = {"id": cid, "title": either.control.title}
        owner = (before.owner if before else None, after.owner if after else None)
        status = (before.status if before else None, after.status if after else None)
        if owner[0] != owner[1]:
            entry["owner"] = {"old": owner[0], "new": owner[1]}
        if status[0] != status[1]:
            entry["status"] = {"old": status[0], "new": status[1]}
            if after is not None and after.status_source == "tracked":
                entry["status"]["set_by_hand"] = True
        if len(entry) > 2:
            changes.append(entry)
    gone: list[Duty] = []
    come: list[Duty] = []
    owner_changed: list[OwnerMove] = []
    for entry in changes:
        moved_owner = entry.get("owner")
        if moved_owner is None:
            continue
        cid, title = entry["id"], entry["title"]
        if moved_owner["new"] in (None, "not_applicable"):
            gone.append({"id": cid, "title": title, "owner": moved_owner["old"]})
        elif moved_owner["old"] in (None, "not_applicable"):
            come.append({"id": cid, "title": title, "owner": moved_owner["new"]})
        else:
            owner_changed.append({"id": cid, "title": title, **moved_owner})
    mine_before = {c for c, r in old_controls.items() if r.owner in CUSTOMER_SIDE}
    mine_after = {c for c, r in new_controls.items() if r.owner in CUSTOMER_SIDE}
    return {
        "old": _label(old),
        "new": _label(new),
        "services": {
            "added": [s for s in new_services if s not in old_services],
            "removed": [s for s in old_services if s not in new_services],
        },
        "models": {
            "added": [m for m in new.models if m not in old.models],
            "removed": [m for m in old.models if m not in new.models],
        },
        "customer_duties": {
            "added": sorted(mine_after - mine_before),
            "removed": sorted(mine_before - mine_after),
        },
        # Duties that no longer apply, that newly apply, and that apply both times with
        # another owner: every owner change once.
        "duties": {"gone": gone, "come": come, "owner_changed": owner_changed},
        "controls": changes,
        "shares": _share_changes(old.shares, new.shares),
    }


def _label(result: Assessment) -> Label:
    meta = result.answers.meta
    date = meta.get("date")
    return {
        "questionnaire": result.pack.ref,
        "client": meta.get("client"),
        "date": date.isoformat() if isinstance(date, dt.date) else date,
        "file": str(result.answers.path) if result.answers.path else None,
    }


def _share_changes(old: Shares, new: Shares) -> ShareChanges:
    def one(a: dict[str, float] | None, b: dict[str, float] | None) -> dict[str, ShareChange]:
        return {
            side: {
                "old": a[side] if a else None,
                "new": b[side] if b else None,
                "change": round((b[side] if b else 0) - (a[side] if a else 0), 4),
            }
            for side in SIDES
        }

    models = dict.fromkeys([*old["by_model"], *new["by_model"]])
    return {
        "overall": one(old["overall"], new["overall"]),
        "by_model": {m: one(old["by_model"].get(m), new["by_model"].get(m)) for m in models},
    }


def parse_moves(pack: Pack, moves: list[str]) -> list[tuple[str, str]]:
    """``FROM=TO`` service pairs, checked against the catalog."""
    pairs = []
    for move in moves:
        source, sep, target = move.partition("=")
        if not sep or not source or not target:
            raise InputError(None, f"--what-if {move}", "expected FROM=TO, e.g. aws.ec2=aws.lambda")
        for sid in (source, target):
            if sid not in pack.service_by_id:
                hint = did_you_mean(sid, pack.service_by_id)
                raise InputError(None, f"--what-if {move}", f"unknown service {sid!r}{hint}")
        pairs.append((source, target))
    return pairs


def moved(pack: Pack, answers: AnswersFile, moves: list[tuple[str, str]]) -> AnswersFile:
    """A detached copy of ``answers`` whose services answer has each FROM replaced by TO."""
    raw = copy.deepcopy(answers.raw)
    scope = list(raw["answers"].get("services") or [])
    for source, target in moves:
        if source not in scope:
            raise InputError(answers.path, "answers.services", f"{source!r} is not in scope")
        scope = [target if sid == source else sid for sid in scope]
    raw["answers"]["services"] = coerce(pack, pack.question_by_id["services"], scope)
    return AnswersFile(raw)


def what_if(pack: Pack, answers: AnswersFile, moves: list[tuple[str, str]]) -> Diff:
    """:func:`diff` of the assessment as answered against the one with the moves made."""
    return diff(assess(pack, answers), assess(pack, moved(pack, answers, moves)))
