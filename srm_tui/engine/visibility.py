"""Which questions are visible for a set of answers, and the facts conditions read."""

from __future__ import annotations

import copy
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
    if not answers and pack.blank is not None:
        visible_ids, blank_context = pack.blank
        return set(visible_ids), copy.deepcopy(blank_context)
    context: dict[str, Any] = derived_facts(pack, [])
    visible: set[str] = set()
    _decide(pack, answers, pack.order, visible, context)
    return visible, context


def reevaluate(
    pack: Pack, answers: dict[str, Any], visible: set[str], context: dict[str, Any], changed: str
) -> tuple[set[str], dict[str, Any]]:
    """:func:`evaluate` after the answer to ``changed`` changed: only that question and the
    ones whose conditions read it (``Pack.readers``) are decided again; same result."""
    again = pack.readers[changed] | {changed}
    visible, context = set(visible), dict(context)
    _decide(pack, answers, [qid for qid in pack.order if qid in again], visible, context)
    return visible, context


def _decide(
    pack: Pack,
    answers: dict[str, Any],
    order: list[str],
    visible: set[str],
    context: dict[str, Any],
) -> None:
    """Decide ``order`` (dependency order) in place: shown or not, and what it adds."""
    by_id = pack.question_by_id
    for qid in order:
        cq = by_id[qid]
        shown = cq.when is None or cq.when.true(context)
        value = answers.get(qid) if shown else None
        if shown:
            visible.add(qid)
        else:
            visible.discard(qid)
        if qid == "services":
            context.update(derived_facts(pack, value or []))
        elif value is None:
            context.pop(qid, None)
        else:
            context[qid] = value
