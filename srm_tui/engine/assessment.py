"""The assessment: who owns each duty for the services in scope, and the shares.

Method (also written in the report's methodology appendix and ``srm assess --help``):

* A duty's owner for one service comes from :mod:`srm_tui.engine.ownership` (the
  service's security profile, the pack's rules, and overrides with their sources).
  Answers may then make a duty not applicable, or move the customer's part of it to a
  third party. The checklist's owner of a duty is the heaviest customer duty among the
  services it applies to (customer, then third party, then shared, then provider).
* A status set by hand (:mod:`srm_tui.engine.tracking`) replaces the one derived from
  the answers on a duty of the customer's side, and the result says so
  (``status_source``). A duty with a due date in the past that is not closed is overdue.
* The layer matrix: for one service, a layer is held by whoever holds all of its
  applicable duties on that layer, and ``shared`` when the parties split them; duties
  that do not apply are left out. Where services of one model disagree the cell is
  ``mixed`` and ``by_service`` says who holds it for each service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.ownership import decide, fill
from srm_tui.engine.pack import Pack
from srm_tui.engine.pack_schema import Control, Service, Source
from srm_tui.engine.visibility import evaluate
from srm_tui.engine.vocabulary import OWNER_LABELS, SHARE_METHOD, SIDES, TRACKING_KEY

if TYPE_CHECKING:
    from srm_tui.engine.tracking import Tracking

# The version of the shape `to_json` writes (`srm assess --json`, the JSON export): raised
# when a key is removed or changes meaning, so a script reading it can tell; new keys keep it.
SCHEMA_VERSION = 1
CUSTOMER_SIDE = ("customer", "shared", "third_party")
SCOPE_ORDER = ("customer", "shared", "provider", "third_party")  # as the checklist lists them
# When services disagree on a control, the checklist shows the heaviest customer duty.
_OWNER_WEIGHT = {"customer": 4, "third_party": 3, "shared": 2, "provider": 1, "not_applicable": 0}
_BUCKET = {
    "customer": "customer",
    "third_party": "customer",
    "shared": "shared",
    "provider": "provider",
}
# The matrix speaks of who holds a layer; an outsourced duty stays the customer's.
_MATRIX_OWNER = {
    "customer": "customer",
    "third_party": "customer",
    "shared": "shared",
    "provider": "provider",
}
_STATUS_ORDER = ("not_implemented", "unknown", "planned", "partial", "alternative", "implemented")
_GAP_ORDER = {"not_implemented": 0, "partial": 1, "planned": 2, "unknown": 3}
_PRIORITY = {"high": 0, "medium": 1, "low": 2}


@dataclass
class ControlResult:
    control: Control
    owner: str
    status: str | None
    by_service: dict[str, str]
    services: list[str]
    reasons: list[str] = field(default_factory=list)  # question ids whose answers acted
    # For each service where the duty is shared: (customer's part, provider's part).
    parts: dict[str, tuple[str, str]] = field(default_factory=dict)
    basis: dict[str, str] = field(default_factory=dict)  # what each service's owner rests on
    # Each party's part over all the services that share the duty, one sentence per rule.
    customer_part: str = ""
    provider_part: str = ""
    status_source: str = "answers"  # or "tracked": set by hand
    derived_status: str | None = None  # what the answers alone say
    tracking: Tracking | None = None
    overdue: bool = False

    def to_json(self, pack: Pack) -> dict[str, Any]:
        c = self.control
        shared = {
            "customer_part": self.customer_part or None,
            "provider_part": self.provider_part or None,
        }
        return {
            "id": c.id,
            "title": c.title,
            "domain": c.domain,
            "layer": c.layer,
            "priority": c.priority,
            "owner": self.owner,
            "status": self.status,
            "status_source": self.status_source,
            "derived_status": self.derived_status,
            "overdue": self.overdue,
            **(self.tracking.to_json() if self.tracking else untracked_json()),
            "services": self.services,
            "by_service": self.by_service,
            "basis": self.basis,
            **shared,
            "parts_by_service": {
                sid: {"customer": cust, "provider": prov}
                for sid, (cust, prov) in self.parts.items()
            },
            "what": c.what,
            "evidence_to_collect": c.evidence,
            "from_provider": c.from_provider,
            "refs": asdict(c.refs),
            "answered_by": self.reasons,
        }


@dataclass
class BeliefGap:
    """Where what a person believes differs from the model, and how much that matters."""

    question: str
    layer: str
    model: str
    believed: str
    actual: str
    danger: str  # critical, high, medium, low

    def to_json(self) -> dict[str, str]:
        return dict(vars(self))


_DANGER = ("critical", "high", "medium", "low")


def belief_danger(believed: str, actual: str) -> str | None:
    """None when belief and model agree; otherwise how risky the mismatch is.

    A customer duty believed to be the provider's is the root of many breaches; a
    provider duty believed to be the customer's only wastes effort.
    """
    if believed == actual:
        return None
    if believed == "provider" and actual in ("customer", "third_party"):
        return "critical"
    if believed == "provider" and actual == "shared":
        return "high"
    if actual == "provider":
        return "low"
    return "medium"


class Shares(TypedDict):
    """Who holds the applicable duties, as fractions by side (see ``SHARE_METHOD``)."""

    method: str
    overall: dict[str, float]  # customer, shared, provider
    by_model: dict[str, dict[str, float]]
    counts: dict[str, dict[str, int]]  # "overall" and each model: duties by side, and n/a


@dataclass
class Assessment:
    pack: Pack
    answers: AnswersFile
    services: list[Service]
    models: list[str]
    providers: list[str]
    controls: list[ControlResult]
    matrix: list[dict[str, Any]]  # a row per layer: its id, each model's holder, by_service
    shares: Shares
    retired: list[str]
    beliefs: list[BeliefGap] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)  # what "overdue" is measured against
    visible: frozenset[str] = frozenset()  # the questions the answers make visible

    def scope_of(self, result: ControlResult) -> str:
        """Which services a duty concerns, briefly: all of them, or who holds it where."""
        names = {s.id: s.name for s in self.services}
        held = {s: o for s, o in result.by_service.items() if o != "not_applicable"}
        owners = set(held.values())
        if not held:
            return "No service in scope"
        if len(owners) == 1:
            if len(held) == len(self.services) > 1:
                return f"All {len(self.services)} services in scope"
            return ", ".join(names[s] for s in held)
        groups = [
            f"{OWNER_LABELS[owner]}: {', '.join(names[s] for s, o in held.items() if o == owner)}"
            for owner in SCOPE_ORDER
            if owner in owners
        ]
        return "; ".join(groups)

    @property
    def asks_beliefs(self) -> bool:
        """Whether the questionnaire has a belief check at all."""
        return any(cq.q.belief is not None for cq in self.pack.questions)

    @property
    def critical_beliefs(self) -> int:
        """Customer duties believed to be the provider's: the mismatches that matter most."""
        return sum(1 for b in self.beliefs if b.danger == "critical")

    @property
    def belief_answers(self) -> int:
        """How many belief questions were answered where they are asked (visible)."""
        given = self.answers.answers
        return sum(
            1
            for cq in self.pack.questions
            if cq.q.belief is not None and cq.id in self.visible and given.get(cq.id) is not None
        )

    def holders(self, row: dict[str, Any], model: str) -> list[tuple[str, list[str]]]:
        """Who holds a matrix cell, as (owner, service names), for cells that are mixed."""
        groups: dict[str, list[str]] = {}
        for sid, owner in row["by_service"][model].items():
            if owner != "not_applicable":
                groups.setdefault(owner, []).append(self.pack.service_by_id[sid].name)
        return [(o, groups[o]) for o in SIDES if o in groups]

    @property
    def sources(self) -> list[Source]:
        """The pack's sources this assessment rests on: the layers, the duties kept by the
        customer in every model, and the profiles and overrides of the services in scope."""
        used = {ref for layer in self.pack.layers for ref in layer.sources}
        if self.pack.every_model:
            used.update(self.pack.every_model.sources)
        for service in self.services:
            used.update(service.sources)
            used.update(v.source for v in service.profile.values())
            used.update(o.source for o in service.overrides)
        return [s for s in self.pack.info.sources if s.id in used]

    @property
    def not_applicable(self) -> list[ControlResult]:
        """Duties that apply to no service in scope: listed, not counted in the shares."""
        return [r for r in self.controls if r.owner == "not_applicable"]

    @property
    def gaps(self) -> list[ControlResult]:
        """Customer-side duties not known to be done, most important first."""
        ranked = [
            ((_GAP_ORDER[r.status], _PRIORITY[r.control.priority], r.control.id), r)
            for r in self.controls
            if r.status in _GAP_ORDER
        ]
        return [r for _, r in sorted(ranked, key=lambda pair: pair[0])]

    def to_json(self) -> dict[str, Any]:
        meta = {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in self.answers.meta.items()
        }
        return {
            "schema_version": SCHEMA_VERSION,
            "questionnaire": self.pack.ref,
            "meta": meta,
            "services": [
                {"id": s.id, "name": s.name, "provider": s.provider, "model": s.model}
                for s in self.services
            ],
            "models_in_scope": self.models,
            "providers_in_scope": self.providers,
            "shares": self.shares,
            "matrix": self.matrix,
            "overdue_as_of": self.today.isoformat(),
            "controls": [r.to_json(self.pack) for r in self.controls],
            "belief_answers": self.belief_answers,  # the beliefs below are those that differ
            "beliefs": [b.to_json() for b in self.beliefs],
            "retired_answers": self.retired,
        }


def combine_status(statuses: list[str]) -> str:
    """One status from several answers: agreement keeps it, a mixed picture is partial."""
    unique = set(statuses)
    if len(unique) == 1:
        return statuses[0]
    if unique & {"implemented", "alternative"} and unique & {
        "not_implemented",
        "planned",
        "partial",
    }:
        return "partial"
    return min(unique, key=_STATUS_ORDER.index)


def assess(pack: Pack, answers: AnswersFile, today: dt.date | None = None) -> Assessment:
    """Compute the assessment of one answers file; ``today`` is the day due dates are
    compared with."""
    visible, context = evaluate(pack, answers.answers)
    scope = set(context["services"])
    services = [s for s in pack.services if s.id in scope]

    # What the answers do, gathered per control.
    not_applicable: dict[str, list[str]] = {}
    owner_moves: dict[str, tuple[str, str]] = {}
    statuses: dict[str, list[tuple[str, str]]] = {}
    for cq in pack.questions:
        value = answers.answers.get(cq.id)
        if cq.id not in visible or value is None or not cq.effects:
            continue
        ctx = {**context, "answer": value}
        for effect, expr in cq.effects:
            if not expr.true(ctx):
                continue
            for cid in effect.controls:
                if effect.applicable is False:
                    not_applicable.setdefault(cid, []).append(cq.id)
                if effect.owner is not None:
                    owner_moves[cid] = (effect.owner, cq.id)
                if effect.status is not None:
                    statuses.setdefault(cid, []).append((effect.status, cq.id))

    tracked = _tracked(answers)
    today = today or dt.date.today()
    results: list[ControlResult] = []
    for control in pack.controls:
        by_service: dict[str, str] = {}
        templates: dict[tuple[str, str], list[Service]] = {}
        basis: dict[str, str] = {}
        reasons: list[str] = []
        for service in services:
            decision = decide(pack, control, service)
            owner = decision.owner
            basis[service.id] = decision.basis
            if control.id in not_applicable:
                owner = "not_applicable"
                basis[service.id] = "answers"
            elif control.id in owner_moves and owner in ("customer", "shared"):
                owner = owner_moves[control.id][0]
                basis[service.id] = "answers"
            by_service[service.id] = owner
            if owner == "shared":
                pair = (decision.customer_part, decision.provider_part)
                templates.setdefault(pair, []).append(service)
        if control.id in not_applicable:
            reasons += not_applicable[control.id]
        elif control.id in owner_moves:
            reasons.append(owner_moves[control.id][1])
        owner = heaviest(by_service.values())
        status = None
        if owner in CUSTOMER_SIDE:
            given = statuses.get(control.id, [])
            status = combine_status([s for s, _ in given]) if given else "unknown"
            reasons += [q for _, q in given]
        applies = [sid for sid, o in by_service.items() if o != "not_applicable"]
        parts = {
            s.id: (fill(cust, [s.name]), fill(prov, [s.name]))
            for (cust, prov), group in templates.items()
            for s in group
        }
        joined = [
            (fill(cust, [s.name for s in group]), fill(prov, [s.name for s in group]))
            for (cust, prov), group in templates.items()
        ]
        result = ControlResult(
            control,
            owner,
            status,
            by_service,
            applies,
            list(dict.fromkeys(reasons)),
            parts,
            basis,
            " ".join(c for c, _ in joined),
            " ".join(p for _, p in joined),
            derived_status=status,
        )
        _track(result, tracked.get(control.id), today)
        results.append(result)

    models = context["models"]
    matrix = _matrix(pack, services, models, results)
    return Assessment(
        pack=pack,
        answers=answers,
        services=services,
        models=models,
        providers=context["providers"],
        controls=results,
        matrix=matrix,
        shares=_shares(results, services, models),
        retired=answers.retired(pack),
        beliefs=_beliefs(pack, answers, visible, matrix),
        today=today,
        visible=frozenset(visible),
    )


def _tracked(answers: AnswersFile) -> dict[str, Tracking]:
    """What was set by hand; the tracking models (pydantic) load only when there is some."""
    if answers.raw.get(TRACKING_KEY) is None:
        return {}
    from srm_tui.engine.tracking import entries

    return entries(answers.raw)


def untracked_json() -> dict[str, Any]:
    """The tracking fields of a duty nobody tracks, as ``Tracking().to_json()`` has them,
    without loading the tracking models for a file that has no tracking."""
    return {
        "assignee": None,
        "due": None,
        "evidence": [],
        "note": None,
        "reason": None,
        "carried": False,
        "changes": [],
    }


def _track(result: ControlResult, entry: Tracking | None, today: dt.date) -> None:
    """Apply what was set by hand: its status wins on a duty of the customer's side."""
    if entry is None:
        return
    result.tracking = entry
    if result.status is not None and entry.status is not None:
        result.status = entry.status_value
        result.status_source = "tracked"
    result.overdue = result.status is not None and entry.overdue(result.status, today)


def _beliefs(
    pack: Pack, answers: AnswersFile, visible: set[str], matrix: list[dict[str, Any]]
) -> list[BeliefGap]:
    """Belief answers that differ from the model, most dangerous first."""
    rows = {row["layer"]: row for row in matrix}
    gaps = []
    for cq in pack.questions:
        belief, believed = cq.q.belief, answers.answers.get(cq.id)
        if belief is None or cq.id not in visible or believed is None:
            continue
        layer = pack.layer_by_id[belief.layer]
        actual = rows[layer.id].get(belief.model, layer.defaults[belief.model])
        if actual == "mixed":
            actual = heaviest(rows[layer.id]["by_service"][belief.model].values())
        danger = "medium" if believed == "dont_know" else belief_danger(believed, actual)
        if danger:
            gaps.append(BeliefGap(cq.id, layer.id, belief.model, believed, actual, danger))
    return sorted(gaps, key=lambda g: _DANGER.index(g.danger))


def heaviest(owners: Iterable[str]) -> str:
    """The owner a checklist shows when services differ: the customer's duty wins."""
    return max(owners, key=_OWNER_WEIGHT.__getitem__, default="not_applicable")


def _layer_owner(owners: list[str]) -> str:
    """One service's hold on a layer: the parties that hold its applicable duties."""
    held = {_MATRIX_OWNER[o] for o in owners if o != "not_applicable"}
    if not held:
        return "not_applicable"
    return held.pop() if len(held) == 1 else "shared"


def _matrix(
    pack: Pack, services: list[Service], models: list[str], results: list[ControlResult]
) -> list[dict[str, Any]]:
    rows = []
    for layer in pack.layers:
        on_layer = [r for r in results if r.control.layer == layer.id]
        row: dict[str, Any] = {"layer": layer.id}
        by_model: dict[str, dict[str, str]] = {}
        for model in models:
            held = {
                s.id: _layer_owner([r.by_service[s.id] for r in on_layer])
                for s in services
                if s.model == model
            }
            by_model[model] = held
            owners = {o for o in held.values() if o != "not_applicable"}
            row[model] = (
                owners.pop() if len(owners) == 1 else ("mixed" if owners else "not_applicable")
            )
        row["by_service"] = by_model
        rows.append(row)
    return rows


def applicable(tally: dict[str, int]) -> dict[str, int]:
    """A share count without the duties that apply to nothing in scope."""
    return {k: v for k, v in tally.items() if k != "not_applicable"}


def fractions(count: dict[str, int]) -> dict[str, float]:
    """Counts to fractions rounded to 4 places that sum to exactly 1."""
    total = sum(count.values())
    if total == 0:
        return {side: float(side == "customer") for side in SIDES}
    out = {k: round(v / total, 4) for k, v in count.items()}
    largest = max(out, key=out.__getitem__)
    out[largest] = round(1.0 - sum(v for k, v in out.items() if k != largest), 4)
    return out


def percent(share: float | None, missing: str = "–") -> str:
    """A share as the whole percent every front end shows, so they round alike;
    ``missing`` where there is no share (a scope on one side of a diff only)."""
    return missing if share is None else f"{share * 100:.0f}%"


def _shares(results: list[ControlResult], services: list[Service], models: list[str]) -> Shares:
    """Shares of applicable duties, each duty counted once (see ``SHARE_METHOD``)."""
    model_of = {s.id: s.model for s in services}

    def count(owners_of: Callable[[ControlResult], Iterable[str]]) -> dict[str, int]:
        tally = dict.fromkeys((*SIDES, "not_applicable"), 0)
        for r in results:
            owner = heaviest(owners_of(r))
            tally[_BUCKET.get(owner, "not_applicable")] += 1
        return tally

    def on(model: str) -> Callable[[ControlResult], list[str]]:
        return lambda r: [o for sid, o in r.by_service.items() if model_of[sid] == model]

    counts = {"overall": count(lambda r: r.by_service.values())}
    for model in models:
        counts[model] = count(on(model))

    return {
        "method": SHARE_METHOD,
        "overall": fractions(applicable(counts["overall"])),
        "by_model": {m: fractions(applicable(counts[m])) for m in models},
        "counts": counts,
    }
