"""Run every condition of a pack over sample answers, so ``srm validate`` finds the ones that fail.

A ``when``, a validator or an effect condition that raises while it runs is a fault of the
pack: the interview must not read it as "false" and hide a question or drop an effect. Most
such faults depend on the answers (``compute.lower()`` when ``compute`` is a list), so the
check tries each question with nothing answered, with every question at a sample value, and
with each question moved through each of its sample values in turn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from srm_tui.engine.conditions import ConditionFailed, Expression
from srm_tui.engine.errors import InputError
from srm_tui.engine.pack import CompiledQuestion, Pack
from srm_tui.engine.visibility import derived_facts

_TEXT_SAMPLES = ("", "Example text")
_NUMBER_SAMPLES = (0, 1, 2.5)


def samples(pack: Pack, cq: CompiledQuestion) -> list[Any]:
    """Values a person could give to the question, as they are stored."""
    kind = cq.q.type
    values = [c.value for c in pack.choices(cq.q)]
    if kind in ("single", "yesno"):
        return values
    if kind == "multi":
        return [[], values[:1], values]
    if kind == "number":
        return list(_NUMBER_SAMPLES)
    if kind == "date":
        return [dt.date(2026, 1, 1)]
    return list(_TEXT_SAMPLES)


def _context(pack: Pack, answers: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = {
        qid: v for qid, v in answers.items() if v is not None and qid != "services"
    }
    context.update(derived_facts(pack, answers.get("services") or []))
    return context


def _scenarios(pack: Pack) -> Iterator[dict[str, Any]]:
    typical = {cq.id: samples(pack, cq)[-1] for cq in pack.questions}
    yield {}
    yield typical
    for cq in pack.questions:
        for value in samples(pack, cq):
            yield {**typical, cq.id: value}


def trial(pack: Pack) -> list[InputError]:
    """Every condition that raised in some scenario, once each, in pack order."""
    failures: dict[tuple[str | None, str | None], InputError] = {}
    tried: set[tuple[int, str]] = set()

    def run(expr: Expression, context: dict[str, Any]) -> None:
        # An expression sees only the names it reads: try each distinct set of them once.
        key = (id(expr), repr(sorted((n, context.get(n)) for n in expr.names)))
        if expr.origin in failures or key in tried:
            return
        tried.add(key)
        try:
            expr.evaluate(context)
        except ConditionFailed as exc:
            failures[expr.origin] = exc

    for answers in _scenarios(pack):
        context = _context(pack, answers)
        for cq in pack.questions:
            if cq.when is not None:
                run(cq.when, context)
            value = answers.get(cq.id)
            if value is None:
                continue
            if cq.validator is not None:
                run(cq.validator, {**context, "value": value})
            for _effect, expr in cq.effects:
                run(expr, {**context, "answer": value})
    return list(failures.values())
