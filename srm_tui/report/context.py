"""From an assessment to the plain data the report templates draw (pure, no I/O).

Everything the templates show is prepared here, so the templates hold layout and
wording only and every export (PDF, HTML, Markdown, CSV) reads the same facts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, TypedDict

from srm_tui import __version__
from srm_tui.engine.assessment import (
    CUSTOMER_SIDE,
    SCOPE_ORDER,
    Assessment,
    applicable,
    percent,
)
from srm_tui.engine.compare import OwnerChange, diff
from srm_tui.engine.values import display, given
from srm_tui.engine.vocabulary import (
    BELIEF_LABELS,
    MATRIX_LABELS,
    MODEL_LABELS,
    OWNER_LABELS,
    REF_LABELS,
    SIDES,
    STATUS_LABELS,
)
from srm_tui.report import charts
from srm_tui.report.config import Branding
from srm_tui.report.tracking import control_tracking, progress_view

OWNER_LETTERS = {
    "customer": "C",
    "shared": "S",
    "provider": "P",
    "third_party": "T",
    "not_applicable": "–",
}
MATRIX_LETTERS = {**OWNER_LETTERS, "mixed": "±"}
STATUS_LETTERS = {
    "implemented": "√",
    "partial": "½",
    "planned": "→",
    "alternative": "≈",
    "not_implemented": "×",
    "not_applicable": "–",
    "risk_accepted": "!",
    "unknown": "?",
}
# Statuses only a person sets by hand: counted in the summary only when someone did.
HAND_ONLY = ("not_applicable", "risk_accepted")
TOP_GAPS = 8


def anchor(prefix: str, ident: str) -> str:
    """A fragment id that is safe in HTML whatever the pack calls things."""
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_-]", "_", ident)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def meta_of(assessment: Assessment, branding: Branding) -> dict[str, str]:
    meta = {k: _text(v) for k, v in assessment.answers.meta.items()}
    return {
        "client": meta.get("client") or "Unnamed client",
        "assessor": meta.get("assessor", ""),
        "date": meta.get("date", ""),
        "scope": meta.get("scope", ""),
        "classification": meta.get("classification") or branding.classification,
    }


def scope_brief(assessment: Assessment, result: Any) -> str:
    """The scope as the checklist's meta line says it: ``scope_of``, except that where the
    owners differ by service, the longest group (more than three services) is "the other N
    services in scope", so a duty held by the provider for 12 of 13 services takes one line.
    The services in scope are listed once, in the executive summary."""
    held = {s: o for s, o in result.by_service.items() if o != "not_applicable"}
    owners = set(held.values())
    if len(owners) < 2 or len(held) != len(assessment.services):
        return assessment.scope_of(result)
    names = {s.id: s.name for s in assessment.services}
    groups = {o: [names[s] for s, v in held.items() if v == o] for o in SCOPE_ORDER if o in owners}
    longest = max(groups, key=lambda o: len(groups[o]))
    if len(groups[longest]) <= 3:
        return assessment.scope_of(result)
    return "; ".join(
        f"{OWNER_LABELS[o]}: "
        + (f"the other {len(ss)} services in scope" if o == longest else ", ".join(ss))
        for o, ss in groups.items()
    )


def control_row(assessment: Assessment, result: Any) -> dict[str, Any]:
    """One control as every export shows it."""
    pack = assessment.pack
    c = result.control
    names = {s.id: s.name for s in assessment.services}
    refs = asdict(c.refs)
    return {
        "id": c.id,
        "anchor": anchor("c", c.id),
        **control_tracking(assessment, result),
        "title": c.title,
        "domain": c.domain,
        "domain_title": pack.domain_by_id[c.domain].title,
        "layer": c.layer,
        "layer_title": pack.layer_by_id[c.layer].title,
        "priority": c.priority,
        "owner": result.owner,
        "owner_label": OWNER_LABELS[result.owner],
        "owner_letter": OWNER_LETTERS[result.owner],
        "status": result.status,
        "status_label": STATUS_LABELS[result.status] if result.status else "",
        "status_letter": STATUS_LETTERS.get(result.status, ""),
        "service_ids": list(result.services),
        "services": [names[s] for s in result.services],
        "what": c.what,
        "evidence": list(c.evidence),
        "from_provider": c.from_provider,
        "customer_part": result.customer_part,
        "provider_part": result.provider_part,
        "refs": [{"label": REF_LABELS.get(k, k), "ids": v} for k, v in refs.items() if v],
        "refs_text": " · ".join(
            f"{REF_LABELS.get(k, k)} {', '.join(v)}" for k, v in refs.items() if v
        ),
        "scope": assessment.scope_of(result),
        "scope_brief": scope_brief(assessment, result),
        "reasons": "; ".join(
            given(assessment.pack, assessment.answers.answers, q) for q in result.reasons
        ),
    }


def _domains(assessment: Assessment, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for domain in assessment.pack.domains:
        mine = [r for r in rows if r["domain"] == domain.id]
        if not mine:
            continue
        out.append(
            {
                "id": domain.id,
                "anchor": anchor("d", domain.id),
                "title": domain.title,
                "description": domain.description,
                "checklist": [r for r in mine if r["owner"] in CUSTOMER_SIDE],
                "provider_held": [r for r in mine if r["owner"] == "provider"],
                "not_applicable": [r for r in mine if r["owner"] == "not_applicable"],
            }
        )
    return out


def _providers(assessment: Assessment, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per provider in scope: where its reports are and which duties they must cover."""
    pack = assessment.pack
    by_id = {r["id"]: r for r in rows}
    out = []
    for pid in assessment.providers:
        provider = pack.provider_by_id[pid]
        mine = {s.id for s in assessment.services if s.provider == pid}
        duties = []
        for result in assessment.controls:
            held = [
                s for s, o in result.by_service.items() if s in mine and o in ("provider", "shared")
            ]
            if not held:
                continue
            row = by_id[result.control.id]
            owners = {result.by_service[s] for s in held}
            duties.append(
                {
                    **row,
                    "split": "shared"
                    if owners == {"shared"}
                    else "provider"
                    if owners == {"provider"}
                    else "mixed",
                    "held_services": [pack.service_by_id[s].name for s in held],
                }
            )
        out.append(
            {
                "id": pid,
                "anchor": anchor("p", pid),
                "name": provider.name,
                "assurance": [asdict(a) for a in provider.assurance],
                "services": [s.name for s in assessment.services if s.provider == pid],
                "duties": duties,
            }
        )
    return out


def _provider_duties(providers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each duty a provider holds, once, with every provider that holds it (in the order of
    the providers) and how: the evidence to ask for is the duty's, whichever provider it is."""
    merged: dict[str, dict[str, Any]] = {}
    for p in providers:
        for d in p["duties"]:
            entry = merged.setdefault(d["id"], {**d, "holders": []})
            entry["holders"].append({"name": p["name"], "split": d["split"]})
    return list(merged.values())


class _AnswerItem(TypedDict):
    id: str
    title: str
    answer: str
    answered: bool
    note: str


class _AnswerSection(TypedDict):
    title: str
    items: list[_AnswerItem]


def _answers(assessment: Assessment, visible: set[str]) -> dict[str, Any]:
    """The answers given, by section, with notes: the audit trail."""
    pack = assessment.pack
    answers = assessment.answers
    sections: list[_AnswerSection] = []
    for section in pack.sections:
        items: list[_AnswerItem] = []
        for cq in pack.questions:
            if cq.section is not section or cq.id not in visible:
                continue
            value = answers.answers.get(cq.id)
            items.append(
                {
                    "id": cq.id,
                    "title": cq.q.title,
                    "answer": display(pack, cq, value),
                    "answered": value is not None and value != [] and value != "",
                    "note": _text(answers.notes.get(cq.id, "")),
                }
            )
        if items:
            sections.append({"title": section.title, "items": items})
    retired = [
        {"id": q, "answer": _text(answers.answers[q]), "note": _text(answers.notes.get(q, ""))}
        for q in assessment.retired
    ]
    answered = sum(i["answered"] for s in sections for i in s["items"])
    total = sum(len(s["items"]) for s in sections)
    return {"sections": sections, "retired": retired, "answered": answered, "total": total}


def _owner_label(owner: Any) -> str:
    return BELIEF_LABELS.get(owner, _text(owner))


def _beliefs(assessment: Assessment) -> dict[str, Any] | None:
    """The belief check: None unless belief questions were answered, else the mismatches."""
    pack = assessment.pack
    asked = assessment.belief_answers
    if not asked:
        return None
    rows = [
        {
            "question": pack.question_by_id[b.question].q.title,
            "layer_title": pack.layer_by_id[b.layer].title,
            "model": MODEL_LABELS[b.model],
            "believed": _owner_label(b.believed),
            "actual": _owner_label(b.actual),
            "danger": b.danger,
        }
        for b in assessment.beliefs
    ]
    return {
        "asked": asked,
        "rows": rows,
        "critical": assessment.critical_beliefs,
    }


def _shown(pack: Any, qid: str, value: Any) -> str:
    """A recorded answer for people; values the pack cannot label are shown as text."""
    cq = pack.question_by_id.get(qid)
    plain = isinstance(value, (str, int, float, dt.date)) or (
        isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value)
    )
    if cq is None or not plain:
        return ", ".join(map(_text, value)) if isinstance(value, list) else _text(value)
    return display(pack, cq, value)


def _given(pack: Any, qid: str, item: dict[str, Any]) -> str:
    """One participant's answer in a disagreement; without a value, why there is none."""
    value = item.get("value")
    if value not in (None, "", []):
        return _shown(pack, qid, value)
    shown = item.get("shown")
    return _text(shown) if isinstance(shown, str) and shown else "not answered"


def _disagreements(assessment: Assessment) -> dict[str, Any] | None:
    """Where a merged workshop file records that participants answered differently.

    The file is edited by hand at times, so every field is read defensively.
    """
    raw = assessment.answers.raw
    items = raw.get("disagreements")
    names = raw.get("participants")
    items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    names = [_text(n) for n in names] if isinstance(names, list) else []
    if not items and not names:
        return None
    pack = assessment.pack
    rows = []
    for item in items:
        qid = _text(item.get("question"))
        cq = pack.question_by_id.get(qid)
        given = item.get("answers") if isinstance(item.get("answers"), list) else []
        kept = assessment.answers.answers.get(qid)
        rows.append(
            {
                "id": qid,
                "title": cq.q.title if cq else _text(item.get("title")) or qid,
                "kind": "belief" if item.get("kind") == "belief" else "fact",
                "answers": [
                    {"by": _text(a.get("by")), "answer": _given(pack, qid, a)}
                    for a in given
                    if isinstance(a, dict)
                ],
                "kept": _shown(pack, qid, kept) if kept not in (None, "", []) else "",
                "changed": "merged" in item and item["merged"] != kept,
            }
        )
    return {"participants": names, "rows": rows}


def _old_new(labels: Mapping[str, str], change: OwnerChange) -> list[str]:
    """An owner or status change in words; "–" for a side without the duty."""
    return ["–" if v is None else labels.get(v, "–") for v in (change["old"], change["new"])]


def _changes(previous: Assessment, assessment: Assessment) -> dict[str, Any]:
    """What changed since an earlier assessment, in the words the report uses."""
    change = diff(previous, assessment)
    pack = assessment.pack
    services = {s.id: s.name for s in [*previous.services, *assessment.services]}

    def duty(cid: str) -> dict[str, str]:
        control = pack.control_by_id.get(cid)
        return {"id": cid, "anchor": anchor("c", cid), "title": control.title if control else ""}

    shares = []
    scopes = [("All services", change["shares"]["overall"])]
    scopes += [(MODEL_LABELS[m], v) for m, v in change["shares"]["by_model"].items()]
    for label, split in scopes:
        cells = []
        for side in SIDES:
            before, after = split[side]["old"], split[side]["new"]
            points = round(split[side]["change"] * 100)
            moved = f"{points:+d} pts" if points else "no change"
            cells.append(
                {
                    "old": percent(before),
                    "new": percent(after),
                    "change": "out of scope"
                    if after is None
                    else "new"
                    if before is None
                    else moved,
                }
            )
        shares.append({"label": label, "cells": cells})
    controls = []
    for entry in change["controls"]:
        owner, status = entry.get("owner"), entry.get("status")
        controls.append(
            {
                **duty(entry["id"]),
                "title": entry["title"],
                "owner": owner and _old_new(OWNER_LABELS, owner),
                "status": status and _old_new(STATUS_LABELS, status),
            }
        )
    return {
        "since": _text(change["old"]["date"]) or "the previous assessment",
        "services_added": [services.get(s, s) for s in change["services"]["added"]],
        "services_removed": [services.get(s, s) for s in change["services"]["removed"]],
        "shares": shares,
        "duties_added": [duty(c) for c in change["customer_duties"]["added"]],
        "duties_removed": [duty(c) for c in change["customer_duties"]["removed"]],
        "controls": controls,
    }


def _matrix(assessment: Assessment) -> dict[str, Any]:
    pack = assessment.pack
    models = [{"id": m, "label": MODEL_LABELS[m]} for m in assessment.models]
    rows = []
    for row in assessment.matrix:
        layer = pack.layer_by_id[row["layer"]]
        cells = [
            {
                "owner": row[m],
                "label": MATRIX_LABELS[row[m]],
                "letter": MATRIX_LETTERS[row[m]],
                "holders": [
                    {"owner": o, "label": OWNER_LABELS[o], "services": ", ".join(names)}
                    for o, names in assessment.holders(row, m)
                ]
                if row[m] == "mixed"
                else [],
            }
            for m in assessment.models
        ]
        rows.append({"title": layer.title, "explanation": layer.explanation, "cells": cells})
    return {"models": models, "rows": rows}


def _status_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = []
    for status, label in STATUS_LABELS.items():
        n = sum(1 for r in rows if r["status"] == status)
        if status in HAND_ONLY and not n:
            continue
        counts.append(
            {"status": status, "label": label, "letter": STATUS_LETTERS[status], "count": n}
        )
    return counts


def build_context(
    assessment: Assessment,
    branding: Branding | None = None,
    previous: Assessment | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """All the data the report templates use; ``previous`` adds what changed since it."""
    branding = branding or Branding()
    pack = assessment.pack
    visible = set(assessment.visible)
    rows = [control_row(assessment, r) for r in assessment.controls]
    providers = _providers(assessment, rows)
    by_id = {r["id"]: r for r in rows}
    customer_side = [r for r in rows if r["owner"] in CUSTOMER_SIDE]
    shares = assessment.shares
    share_rows = [
        {
            "label": "All services",
            **shares["overall"],
            "count": sum(applicable(shares["counts"]["overall"]).values()),
        }
    ]
    for model in assessment.models:
        share_rows.append(
            {
                "label": MODEL_LABELS[model],
                **shares["by_model"][model],
                "count": sum(applicable(shares["counts"][model]).values()),
            }
        )
    return {
        "meta": meta_of(assessment, branding),
        "branding": {"firm": branding.firm, "accent": branding.accent},
        "accent_light": charts.tint(branding.accent, 0.82),
        "accent_mid": charts.tint(branding.accent, 0.45),
        "tool_version": __version__,
        "pack": {
            "ref": pack.ref,
            "title": pack.info.title,
            "version": pack.info.version,
            "description": pack.info.description,
            "sources": [asdict(s) for s in assessment.sources],
        },
        "services": [
            {
                "name": s.name,
                "id": s.id,
                "provider": pack.provider_by_id[s.provider].name,
                "model": MODEL_LABELS[s.model],
            }
            for s in assessment.services
        ],
        "models": [{"id": m, "label": MODEL_LABELS[m]} for m in assessment.models],
        "shares": share_rows,
        "share_method": shares["method"],
        "chart": charts.share_bars(share_rows),
        "gaps": [by_id[r.control.id] for r in assessment.gaps[:TOP_GAPS]],
        "gap_total": len(assessment.gaps),
        "status_counts": _status_counts(customer_side),
        "progress": progress_view(assessment),
        "counts": {
            "controls": len(rows),
            "applicable": share_rows[0]["count"],
            "checklist": len(customer_side),
            "provider": sum(1 for r in rows if r["owner"] == "provider"),
            "not_applicable": sum(1 for r in rows if r["owner"] == "not_applicable"),
        },
        "owner_legend": [
            {"owner": o, "label": OWNER_LABELS[o], "letter": OWNER_LETTERS[o]}
            for o in OWNER_LETTERS
        ],
        "matrix": _matrix(assessment),
        "domains": _domains(assessment, rows),
        "providers": providers,
        "provider_duties": _provider_duties(providers),
        "answers": _answers(assessment, visible),
        "beliefs": _beliefs(assessment),
        "disagreements": _disagreements(assessment),
        "changes": _changes(previous, assessment) if previous is not None else None,
        "controls": rows,
        "fillable": False,
        "standalone": False,
        "logo_url": "",
        **extra,
    }
