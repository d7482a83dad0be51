"""The checks of a pack as a whole, and the assembly of its checked files into a Pack.

Each file has passed its schema (:mod:`srm_tui.engine.pack_schema`); here ids are found
unique, references resolve, every service states every fact with a source, ownership
rules name known facts and values, and conditions parse, stay in the sandbox and form no
cycle. Every problem is collected, so one run of ``srm validate`` lists them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from srm_tui.engine import yamlio
from srm_tui.engine.conditions import ConditionError, Expression, compile_expression
from srm_tui.engine.errors import InputError
from srm_tui.engine.pack import CompiledQuestion, Pack
from srm_tui.engine.pack_schema import (
    MODEL_FACT,
    Control,
    ControlsFile,
    FactsFile,
    LayersFile,
    PackInfo,
    Parts,
    Question,
    QuestionnaireFile,
    Service,
    ServicesFile,
)
from srm_tui.engine.vocabulary import DERIVED_FACTS, MODELS, OWNERS

Loc = yamlio.Path_  # a place in a pack file: keys and list indexes


def _unique(doc: yamlio.Document, key: str, items: list[Any], problems: list[InputError]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(doc.error((key, i, "id"), f"duplicate id {item.id!r}"))
        seen.add(item.id)


def assemble(
    path: Path,
    docs: dict[str, yamlio.Document],
    info: PackInfo,
    layers: LayersFile,
    facts: FactsFile | None,
    services: ServicesFile,
    controls: ControlsFile,
    questionnaire: QuestionnaireFile,
    problems: list[InputError],
) -> Pack:
    """The pack made of its validated files; each problem found is added to ``problems``."""
    d_pack, d_layers, d_services = docs["pack.yaml"], docs["layers.yaml"], docs["services.yaml"]
    d_controls, d_q = docs["controls.yaml"], docs["questionnaire.yaml"]
    source_ids = {s.id for s in info.sources}
    _unique(d_pack, "sources", info.sources, problems)
    _unique(d_layers, "layers", layers.layers, problems)
    _unique(d_services, "providers", services.providers, problems)
    _unique(d_services, "services", services.services, problems)
    _unique(d_controls, "domains", controls.domains, problems)
    _unique(d_controls, "controls", controls.controls, problems)
    layer_ids = {x.id for x in layers.layers}
    provider_ids = {x.id for x in services.providers}
    domain_ids = {x.id for x in controls.domains}
    control_ids = {x.id for x in controls.controls}

    def check_sources(doc: yamlio.Document, loc: Loc, refs: list[str]) -> None:
        for j, ref in enumerate(refs):
            if ref not in source_ids:
                problems.append(doc.error((*loc, "sources", j), f"unknown source {ref!r}"))

    for i, layer in enumerate(layers.layers):
        check_sources(d_layers, ("layers", i), layer.sources)
    fact_list = facts.facts if facts else []
    if facts:
        _unique(docs["facts.yaml"], "facts", fact_list, problems)
    allowed = {f.id: set(f.values) for f in fact_list}
    for i, svc in enumerate(services.services):
        loc = ("services", i)
        if svc.provider not in provider_ids:
            problems.append(
                d_services.error((*loc, "provider"), f"unknown provider {svc.provider!r}")
            )
        _check_profile(d_services, loc, svc, allowed, source_ids, problems)
        for j, ov in enumerate(svc.overrides):
            oloc = (*loc, "overrides", j)
            if ov.control not in control_ids:
                problems.append(
                    d_services.error((*oloc, "control"), f"unknown control {ov.control!r}")
                )
            if ov.source not in source_ids:
                problems.append(
                    d_services.error((*oloc, "source"), f"unknown source {ov.source!r}")
                )
            _check_parts(d_services, oloc, ov.owner, ov, problems)
        check_sources(d_services, loc, svc.sources)
    every = controls.customer_in_every_model
    always = set(every.controls) if every else set()
    if every:
        eloc = ("customer_in_every_model",)
        check_sources(d_controls, eloc, every.sources)
        for j, cid in enumerate(every.controls):
            if cid not in control_ids:
                problems.append(
                    d_controls.error((*eloc, "controls", j), f"unknown control {cid!r}")
                )
    for i, ctl in enumerate(controls.controls):
        _check_owner(d_controls, ("controls", i), ctl, always, allowed, problems)
        if ctl.domain not in domain_ids:
            problems.append(
                d_controls.error(("controls", i, "domain"), f"unknown domain {ctl.domain!r}")
            )
        if ctl.layer not in layer_ids:
            problems.append(
                d_controls.error(("controls", i, "layer"), f"unknown layer {ctl.layer!r}")
            )

    questions = _compile_questions(d_q, questionnaire, control_ids, layer_ids, problems)
    order = _evaluation_order(d_q, questions, problems)
    return Pack(
        path=path,
        info=info,
        layers=layers.layers,
        facts=fact_list,
        every_model=every,
        providers=services.providers,
        services=services.services,
        domains=controls.domains,
        controls=controls.controls,
        sections=questionnaire.sections,
        questions=questions,
        order=order,
    )


def _check_profile(
    doc: yamlio.Document,
    loc: Loc,
    svc: Service,
    allowed: dict[str, set[str]],
    source_ids: set[str],
    problems: list[InputError],
) -> None:
    """Every fact stated, with a value the fact allows and a known source."""
    for fact_id, given in svc.profile.items():
        floc = (*loc, "profile", fact_id)
        if fact_id not in allowed:
            problems.append(doc.error(floc, f"unknown fact {fact_id!r}"))
            continue
        if given.value not in allowed[fact_id]:
            choices = ", ".join(sorted(allowed[fact_id]))
            problems.append(
                doc.error((*floc, "is"), f"{given.value!r} is not a value of {fact_id} ({choices})")
            )
        if given.source not in source_ids:
            problems.append(doc.error((*floc, "source"), f"unknown source {given.source!r}"))
    missing = [f for f in allowed if f not in svc.profile]
    if missing:
        problems.append(doc.error((*loc, "profile"), "missing facts: " + ", ".join(missing)))


def _check_parts(
    doc: yamlio.Document, loc: Loc, owner: str, parts: Parts, problems: list[InputError]
) -> None:
    if owner == "shared" and not (parts.customer_part.strip() and parts.provider_part.strip()):
        problems.append(
            doc.error(
                loc, "a shared owner needs customer_part and provider_part, one sentence each"
            )
        )


def _check_owner(
    doc: yamlio.Document,
    loc: Loc,
    ctl: Control,
    always: set[str],
    allowed: dict[str, set[str]],
    problems: list[InputError],
) -> None:
    """A control's owner is stated once: in customer_in_every_model or as rules."""
    if ctl.id in always:
        if ctl.owner is not None:
            problems.append(
                doc.error((*loc, "owner"), "listed in customer_in_every_model; drop this owner")
            )
        return
    if ctl.owner is None:
        problems.append(
            doc.error(loc, "no owner: give owner rules or list it in customer_in_every_model")
        )
        return
    if isinstance(ctl.owner, str):
        if ctl.owner == "shared":
            problems.append(doc.error((*loc, "owner"), "a shared owner needs rules with parts"))
        return
    facts = {**allowed, MODEL_FACT: set(MODELS)}
    for j, rule in enumerate(ctl.owner):
        rloc = (*loc, "owner", j)
        for fact_id, wanted in rule.when.items():
            if fact_id not in facts:
                problems.append(doc.error((*rloc, "if", fact_id), f"unknown fact {fact_id!r}"))
                continue
            for value in [wanted] if isinstance(wanted, str) else wanted:
                if value not in facts[fact_id]:
                    choices = ", ".join(sorted(facts[fact_id]))
                    problems.append(
                        doc.error(
                            (*rloc, "if", fact_id),
                            f"{value!r} is not a value of {fact_id} ({choices})",
                        )
                    )
        _check_parts(doc, rloc, rule.owner, rule, problems)
        last = j == len(ctl.owner) - 1
        if last and rule.when:
            problems.append(
                doc.error(rloc, "the last rule needs no 'if': it holds when no other rule does")
            )
        if not last and not rule.when:
            problems.append(doc.error(rloc, "a rule without 'if' must come last"))


def _check_belief(
    doc: yamlio.Document, loc: Loc, q: Question, layer_ids: set[str], problems: list[InputError]
) -> None:
    if q.belief is not None and q.belief.layer not in layer_ids:
        problems.append(doc.error((*loc, "belief", "layer"), f"unknown layer {q.belief.layer!r}"))
    values = {c.value for c in q.choices} if isinstance(q.choices, list) else set()
    if q.type != "single" or not values or not values <= {*OWNERS, "dont_know"}:
        problems.append(
            doc.error(loc, "a belief question is single choice over owner ids and dont_know")
        )


def _compile_questions(
    doc: yamlio.Document,
    questionnaire: QuestionnaireFile,
    control_ids: set[str],
    layer_ids: set[str],
    problems: list[InputError],
) -> list[CompiledQuestion]:
    all_ids = [q.id for s in questionnaire.sections for q in s.questions]
    known = set(all_ids) | set(DERIVED_FACTS)
    seen: set[str] = set()
    section_ids: set[str] = set()
    out: list[CompiledQuestion] = []
    for si, section in enumerate(questionnaire.sections):
        if section.id in section_ids:
            problems.append(
                doc.error(("sections", si, "id"), f"duplicate section id {section.id!r}")
            )
        section_ids.add(section.id)
        for qi, q in enumerate(section.questions):
            loc = ("sections", si, "questions", qi)
            if q.id in seen:
                problems.append(doc.error((*loc, "id"), f"duplicate question id {q.id!r}"))
            if q.id in DERIVED_FACTS and not (q.id == "services" and q.type == "multi"):
                problems.append(doc.error((*loc, "id"), f"{q.id!r} is reserved for a derived fact"))
            seen.add(q.id)
            if q.type in ("single", "multi") and not q.choices:
                problems.append(doc.error((*loc, "choices"), f"a {q.type} question needs choices"))
            if q.type not in ("single", "multi") and q.choices:
                problems.append(
                    doc.error((*loc, "choices"), f"a {q.type} question takes no choices")
                )
            if q.belief is not None:
                _check_belief(doc, loc, q, layer_ids, problems)
            when = _compile(doc, (*loc, "when"), q.when, known, problems)
            validator = _compile(doc, (*loc, "validator"), q.validator, known | {"value"}, problems)
            effects = []
            for ei, effect in enumerate(q.effects):
                eloc = (*loc, "effects", ei)
                expr = _compile(doc, (*eloc, "when"), effect.when, known | {"answer"}, problems)
                for ci, cid in enumerate(effect.controls):
                    if cid not in control_ids:
                        problems.append(
                            doc.error((*eloc, "controls", ci), f"unknown control {cid!r}")
                        )
                if effect.owner is None and effect.status is None and effect.applicable is None:
                    problems.append(doc.error(eloc, "an effect needs owner, status or applicable"))
                if expr is not None:
                    effects.append((effect, expr))
            out.append(CompiledQuestion(q, section, len(out), when, validator, effects))
    return out


def _compile(
    doc: yamlio.Document,
    loc: Loc,
    source: str | None,
    known: set[str],
    problems: list[InputError],
) -> Expression | None:
    if source is None:
        return None
    try:
        return compile_expression(source, known, (str(doc.path), doc.place(loc)))
    except ConditionError as exc:
        problems.append(doc.error(loc, str(exc)))
        return None


def _evaluation_order(
    doc: yamlio.Document, questions: list[CompiledQuestion], problems: list[InputError]
) -> list[str]:
    """Question ids ordered so each ``when`` only reads questions already decided."""
    deps: dict[str, set[str]] = {}
    ids = {q.id for q in questions}
    for q in questions:
        deps[q.id] = set(q.reads & ids) - {q.id} if q.id != "services" else set()
        if q.when and q.id in q.when.names:
            problems.append(_cycle_error(doc, q, [q.id, q.id]))
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(qid: str, trail: list[str]) -> None:
        if state.get(qid) == 2:
            return
        if state.get(qid) == 1:
            cycle = trail[trail.index(qid) :] + [qid]
            problems.append(_cycle_error(doc, next(q for q in questions if q.id == qid), cycle))
            return
        state[qid] = 1
        for dep in sorted(deps[qid]):
            visit(dep, [*trail, qid])
        state[qid] = 2
        order.append(qid)

    for q in questions:
        visit(q.id, [])
    return order


def _cycle_error(doc: yamlio.Document, q: CompiledQuestion, cycle: list[str]) -> InputError:
    si = next(i for i, s in enumerate(_sections_of(doc)) if s.get("id") == q.section.id)
    qi = [x.id for x in q.section.questions].index(q.id)
    loc = ("sections", si, "questions", qi, "when")
    return doc.error(loc, "conditions form a cycle: " + " -> ".join(cycle))


def _sections_of(doc: yamlio.Document) -> list[dict[str, Any]]:
    sections = doc.data.get("sections", []) if isinstance(doc.data, dict) else []
    return [s for s in sections if isinstance(s, dict)]
