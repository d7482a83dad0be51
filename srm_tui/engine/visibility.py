"""Which questions are visible for a set of answers, and the facts conditions read."""

from __future__ import annotations

from typing import Any

from srm_tui.engine.pack import Pack
from srm_tui.engine.vocabulary import MODELS


def derived_facts(pack: Pack, service_ids: list[str]) -> dict[str, list[str]]:
    """``services``, ``models`` and ``providers`` in scope, in catalog order."""
    chosen = set(service_ids or [])
    services = [s for s in pack.services if s.id in chosen]
    models = [m for m in MODELS if any(s.model == m for s in services)]
    providers = list(dict.fromkeys(s.provider for s in services))
    return {"services": [s.id for s in services], "models": models, "providers": providers}


def evaluate(pack: Pack, answers: dict[str, Any]) -> tuple[set[str], dict[str, Any]]:
    """Visible question ids and the condition context (visible answers plus facts)."""
    context: dict[str, Any] = {"services": [], "models": [], "providers": []}
    visible: set[str] = set()
    by_id = pack.question_by_id
    for qid in pack.order:
        cq = by_id[qid]
        if cq.when is not None and not cq.when.true(context):
            continue
        visible.add(qid)
        value = answers.get(qid)
        if value is None:
            continue
        if qid == "services":
            context.update(derived_facts(pack, value))
        else:
            context[qid] = value
    return visible, context
