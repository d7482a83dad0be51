"""The assessment: who owns each duty for the services in scope, and the shares.

Method (also written in the report's methodology appendix):

* A control's owner for one service comes from, in order: the service's override for
  that control, the service's override for the control's layer, the control's owner for
  the service's model, the layer's default for that model. Answers may then make a
  control not applicable, or move the customer's part of it to a third party.
* Shares count (control, service) pairs that apply: each pair adds one to the customer
  (``customer`` and ``third_party``, as the customer stays accountable), to ``shared``,
  or to the provider. Each service in scope weighs the same. With nothing in scope,
  every duty stays with the customer.
* The layer matrix uses the layer defaults and service overrides; where services of the
  same model disagree the cell is ``shared``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.pack import Control, Pack, Service
from srm_tui.engine.visibility import derived_facts, evaluate
from srm_tui.engine.vocabulary import MODELS

CUSTOMER_SIDE = ("customer", "shared", "third_party")
# When services disagree on a control, the checklist shows the heaviest customer duty.
_OWNER_WEIGHT = {"customer": 4, "third_party": 3, "shared": 2, "provider": 1, "not_applicable": 0}
_BUCKET = {
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

    def to_json(self, pack: Pack) -> dict[str, Any]:
        c = self.control
        return {
            "id": c.id,
            "title": c.title,
            "domain": c.domain,
            "layer": c.layer,
            "priority": c.priority,
            "owner": self.owner,
            "status": self.status,
            "services": self.services,
            "by_service": self.by_service,
            "what": c.what,
            "evidence": c.evidence,
            "from_provider": c.from_provider,
            "refs": c.refs.model_dump(),
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


@dataclass
class Assessment:
    pack: Pack
    answers: AnswersFile
    services: list[Service]
    models: list[str]
    providers: list[str]
    controls: list[ControlResult]
    matrix: list[dict[str, str]]
    shares: dict[str, Any]
    retired: list[str]
    beliefs: list[BeliefGap] = field(default_factory=list)

    @property
    def gaps(self) -> list[ControlResult]:
        """Customer-side duties not known to be done, most important first."""
        open_ = [r for r in self.controls if r.status in _GAP_ORDER]
        return sorted(
            open_,
            key=lambda r: (_GAP_ORDER[r.status], _PRIORITY[r.control.priority], r.control.id),
        )

    def to_json(self) -> dict[str, Any]:
        meta = {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in self.answers.meta.items()
        }
        return {
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
            "controls": [r.to_json(self.pack) for r in self.controls],
            "beliefs": [b.to_json() for b in self.beliefs],
            "retired_answers": self.retired,
        }


def base_owner(pack: Pack, control: Control, service: Service) -> str:
    """Owner of ``control`` for ``service`` before any answer acts on it."""
    if control.id in service.control_overrides:
        return service.control_overrides[control.id]
    if control.layer in service.overrides:
        return service.overrides[control.layer]
    if service.model in control.owner:
        return control.owner[service.model]
    return pack.layer_by_id[control.layer].defaults[service.model]


def layer_owner(pack: Pack, layer_id: str, service: Service) -> str:
    return service.overrides.get(layer_id, pack.layer_by_id[layer_id].defaults[service.model])


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


def assess(pack: Pack, answers: AnswersFile, service_ids: list[str] | None = None) -> Assessment:
    """Compute the assessment; ``service_ids`` replaces the answered scope (what-if)."""
    visible, context = evaluate(pack, answers.answers)
    if service_ids is not None:
        context.update(derived_facts(pack, service_ids))
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

    results: list[ControlResult] = []
    counts = {m: {"customer": 0, "shared": 0, "provider": 0} for m in MODELS}
    for control in pack.controls:
        by_service: dict[str, str] = {}
        reasons: list[str] = []
        for service in services:
            owner = base_owner(pack, control, service)
            if control.id in not_applicable:
                owner = "not_applicable"
            elif control.id in owner_moves and owner in ("customer", "shared"):
                owner = owner_moves[control.id][0]
            by_service[service.id] = owner
            if owner in _BUCKET:
                counts[service.model][_BUCKET[owner]] += 1
        if control.id in not_applicable:
            reasons += not_applicable[control.id]
        elif control.id in owner_moves:
            reasons.append(owner_moves[control.id][1])
        owner = max(by_service.values(), key=_OWNER_WEIGHT.__getitem__, default="not_applicable")
        status = None
        if owner in CUSTOMER_SIDE:
            given = statuses.get(control.id, [])
            status = combine_status([s for s, _ in given]) if given else "unknown"
            reasons += [q for _, q in given]
        applies = [sid for sid, o in by_service.items() if o != "not_applicable"]
        results.append(
            ControlResult(control, owner, status, by_service, applies, list(dict.fromkeys(reasons)))
        )

    models = context["models"]
    matrix = _matrix(pack, services, models)
    return Assessment(
        pack=pack,
        answers=answers,
        services=services,
        models=models,
        providers=context["providers"],
        controls=results,
        matrix=matrix,
        shares=_shares(counts, models),
        retired=answers.retired(pack),
        beliefs=_beliefs(pack, answers, visible, matrix),
    )


def _beliefs(pack: Pack, answers: AnswersFile, visible: set[str], matrix) -> list[BeliefGap]:
    """Belief answers that differ from the model, most dangerous first."""
    rows = {row["layer"]: row for row in matrix}
    gaps = []
    for cq in pack.questions:
        belief, believed = cq.q.belief, answers.answers.get(cq.id)
        if belief is None or cq.id not in visible or believed is None:
            continue
        layer = pack.layer_by_id[belief.layer]
        actual = rows[layer.id].get(belief.model, layer.defaults[belief.model])
        danger = "medium" if believed == "dont_know" else belief_danger(believed, actual)
        if danger:
            gaps.append(BeliefGap(cq.id, layer.id, belief.model, believed, actual, danger))
    return sorted(gaps, key=lambda g: _DANGER.index(g.danger))


def _matrix(pack: Pack, services: list[Service], models: list[str]) -> list[dict[str, str]]:
    rows = []
    for layer in pack.layers:
        row = {"layer": layer.id}
        for model in models:
            owners = {layer_owner(pack, layer.id, s) for s in services if s.model == model}
            row[model] = owners.pop() if len(owners) == 1 else "shared"
        rows.append(row)
    return rows


def fractions(count: dict[str, int]) -> dict[str, float]:
    """Counts to fractions rounded to 4 places that sum to exactly 1."""
    total = sum(count.values())
    if total == 0:
        return {"customer": 1.0, "shared": 0.0, "provider": 0.0}
    out = {k: round(v / total, 4) for k, v in count.items()}
    largest = max(out, key=out.__getitem__)
    out[largest] = round(1.0 - sum(v for k, v in out.items() if k != largest), 4)
    return out


def _shares(counts: dict[str, dict[str, int]], models: list[str]) -> dict[str, Any]:
    overall = {"customer": 0, "shared": 0, "provider": 0}
    for model in models:
        for key, value in counts[model].items():
            overall[key] += value
    return {
        "overall": fractions(overall),
        "by_model": {m: fractions(counts[m]) for m in models},
        "counts": {"overall": overall, **{m: counts[m] for m in models}},
    }
