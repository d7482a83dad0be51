"""Questionnaire packs: the catalog (layers, services, controls) and the questionnaire.

A pack is a folder of YAML files (``pack.yaml``, ``layers.yaml``, ``facts.yaml``,
``services.yaml``, ``controls.yaml``, ``questionnaire.yaml``; ``facts.yaml`` may be left
out by a pack whose rules only read the service model). Each file is checked against the
models below, then the pack as a whole is checked: ids are unique, references resolve,
every service states every fact with a source, ownership rules name known facts and
values, and conditions parse, stay in the sandbox and form no cycle.

A checked pack is kept in the compiled pack cache (:mod:`srm_tui.engine.pack_cache`), so
an unchanged pack is not parsed and checked again; the models build their validators
only when something is first validated (``defer_build``), which a cached pack never needs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from srm_tui.engine import pack_cache, yamlio
from srm_tui.engine.conditions import ConditionError, Expression, compile_expression
from srm_tui.engine.errors import InputError
from srm_tui.engine.vocabulary import (
    DERIVED_FACTS,
    MODELS,
    OWNERS,
    YESNO_CHOICES,
    Model,
    Owner,
    QuestionType,
    Status,
)

Loc = yamlio.Path_  # a place in a pack file: keys and list indexes

PACK_FILES = (
    "pack.yaml",
    "layers.yaml",
    "facts.yaml",
    "services.yaml",
    "controls.yaml",
    "questionnaire.yaml",
)
OPTIONAL_FILES = ("facts.yaml",)
# A rule may test the service model besides the facts of facts.yaml.
MODEL_FACT = "model"
_ID = r"^[a-z0-9][a-z0-9_.\-]*$"
_QID = r"^[a-z][a-z0-9_]*$"
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Source(_Model):
    """A public document the pack's decisions rest on."""

    id: str = Field(pattern=_ID)
    title: str
    url: str
    read: dt.date


class PackInfo(_Model):
    id: str = Field(pattern=_ID)
    version: str = Field(pattern=SEMVER.pattern)
    title: str
    description: str = ""
    sources: list[Source] = []

    @property
    def release(self) -> tuple[int, int, int]:
        """The version as numbers, for comparing."""
        parsed = version_tuple(self.version)
        assert parsed is not None, "the version field only takes SEMVER"
        return parsed


class Layer(_Model):
    """A row of the responsibility stack; ``defaults`` is the provider's published table.

    The defaults are what the published models say for a model as a whole (shown in
    ``srm catalog layers`` and used by the belief check for models not in scope); the
    assessment's matrix is worked out from the duties of the services in scope.
    """

    id: str = Field(pattern=_QID)
    title: str
    explanation: str
    defaults: dict[Model, Owner]
    sources: list[str] = []

    @field_validator("defaults")
    @classmethod
    def _every_model(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [m for m in MODELS if m not in value]
        if missing:
            raise ValueError(f"missing owner for {', '.join(missing)}")
        return value


class LayersFile(_Model):
    layers: list[Layer] = Field(min_length=1)


class Assurance(_Model):
    """Where a provider publishes its attestation reports."""

    title: str
    where: str
    url: str = ""


class Provider(_Model):
    id: str = Field(pattern=_ID)
    name: str
    assurance: list[Assurance] = []


class Fact(_Model):
    """One question about a service that the provider's documentation answers."""

    id: str = Field(pattern=_QID)
    title: str
    values: dict[str, str] = Field(min_length=2)


class FactsFile(_Model):
    facts: list[Fact] = Field(min_length=1)


class FactValue(_Model):
    """A service's answer to one fact, and the source it rests on."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    value: str = Field(alias="is")
    source: str


class Parts(_Model):
    """What each party does of a shared duty; ``{service}`` is the service's name."""

    customer_part: str = ""
    provider_part: str = ""


class ControlOverride(Parts):
    """An owner a provider's document states for one service, beyond what its facts say."""

    control: str
    owner: Owner
    source: str
    why: str


class Service(_Model):
    id: str = Field(pattern=_ID)
    name: str
    provider: str
    model: Model
    aws_category: Literal["infrastructure", "container", "abstracted"] | None = None
    description: str = ""
    profile: dict[str, FactValue] = {}
    overrides: list[ControlOverride] = []
    rationale: str = ""
    sources: list[str] = []

    def fact(self, fact_id: str) -> str | None:
        if fact_id == MODEL_FACT:
            return self.model
        value = self.profile.get(fact_id)
        return value.value if value else None


class ServicesFile(_Model):
    providers: list[Provider] = Field(min_length=1)
    services: list[Service] = Field(min_length=1)


class Domain(_Model):
    id: str = Field(pattern=_ID)
    title: str
    description: str = ""


class Refs(_Model):
    nist_800_53: list[str] = Field(min_length=1)
    iso_27001: list[str] = Field(min_length=1)
    ccm_v4: list[str] = []
    cis_v8: list[str] = []


class Rule(Parts):
    """``owner`` holds for a service whose facts match every entry of ``if``.

    A value may be one allowed value or a list of them; a rule without ``if`` matches
    every service and must come last.
    """

    when: dict[str, str | list[str]] = Field(default={}, alias="if")
    owner: Owner

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def matches(self, service: Service) -> bool:
        for fact_id, wanted in self.when.items():
            allowed = [wanted] if isinstance(wanted, str) else wanted
            if service.fact(fact_id) not in allowed:
                return False
        return True


class Control(_Model):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*-[0-9A-Z.\-]+$")
    title: str
    domain: str
    layer: str
    owner: Owner | list[Rule] | None = None
    what: str
    evidence: list[str] = Field(min_length=1)
    from_provider: str = ""
    priority: Literal["high", "medium", "low"] = "medium"
    refs: Refs


class EveryModel(_Model):
    """Duties that stay with the customer whatever the service, stated once."""

    why: str
    sources: list[str] = Field(min_length=1)
    controls: list[str] = Field(min_length=1)


class ControlsFile(_Model):
    domains: list[Domain] = Field(min_length=1)
    customer_in_every_model: EveryModel | None = None
    controls: list[Control] = Field(min_length=1)


class Choice(_Model):
    value: str
    label: str
    help: str = ""
    exclusive: bool = False  # "None of these": ticking it clears the others, and back


class CatalogChoices(_Model):
    """Choices taken from the catalog instead of listed in the question."""

    from_: Literal["services"] = Field(alias="from")


class Effect(_Model):
    """What an answer does to the assessment, declared in the pack."""

    when: str
    controls: list[str] = Field(min_length=1)
    owner: Owner | None = None
    status: Status | None = None
    applicable: bool | None = None


class Belief(_Model):
    """Marks a question that asks who the person *thinks* holds a layer in a model."""

    layer: str
    model: Model


class Question(_Model):
    id: str = Field(pattern=_QID)
    type: QuestionType
    title: str
    help: str = ""
    choices: list[Choice] | CatalogChoices | None = None
    default: Any = None
    when: str | None = None
    validator: str | None = None
    placeholder: str | None = None
    required: bool = False
    effects: list[Effect] = []
    belief: Belief | None = None


class Section(_Model):
    id: str = Field(pattern=_QID)
    title: str
    intro: str = ""
    questions: list[Question] = Field(min_length=1)


class QuestionnaireFile(_Model):
    sections: list[Section] = Field(min_length=1)


@dataclass
class CompiledQuestion:
    """A question with its section and compiled conditions."""

    q: Question
    section: Section
    index: int
    when: Expression | None
    validator: Expression | None
    effects: list[tuple[Effect, Expression]]

    @property
    def id(self) -> str:
        return self.q.id


@dataclass
class Pack:
    """A loaded, checked pack."""

    path: Path
    info: PackInfo
    layers: list[Layer]
    facts: list[Fact]
    every_model: EveryModel | None
    providers: list[Provider]
    services: list[Service]
    domains: list[Domain]
    controls: list[Control]
    sections: list[Section]
    questions: list[CompiledQuestion]
    order: list[str]  # question ids in dependency-safe evaluation order

    @property
    def ref(self) -> str:
        """``id@version`` as stamped into answers files."""
        return f"{self.info.id}@{self.info.version}"

    @cached_property
    def layer_by_id(self) -> dict[str, Layer]:
        return {x.id: x for x in self.layers}

    @cached_property
    def fact_by_id(self) -> dict[str, Fact]:
        return {x.id: x for x in self.facts}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {x.id: x for x in self.info.sources}

    @cached_property
    def service_by_id(self) -> dict[str, Service]:
        return {x.id: x for x in self.services}

    @cached_property
    def provider_by_id(self) -> dict[str, Provider]:
        return {x.id: x for x in self.providers}

    @cached_property
    def control_by_id(self) -> dict[str, Control]:
        return {x.id: x for x in self.controls}

    @cached_property
    def domain_by_id(self) -> dict[str, Domain]:
        return {x.id: x for x in self.domains}

    @cached_property
    def question_by_id(self) -> dict[str, CompiledQuestion]:
        return {x.id: x for x in self.questions}

    def choices(self, question: Question) -> list[Choice]:
        """The question's choices, with catalog choices expanded (grouped by provider)."""
        if isinstance(question.choices, CatalogChoices):
            return [  # built from a checked catalog: nothing to validate
                Choice.model_construct(
                    value=s.id, label=s.name, help=self.provider_by_id[s.provider].name
                )
                for s in self.services
            ]
        if question.type == "yesno":
            return [Choice.model_construct(value=v, label=label) for v, label in YESNO_CHOICES]
        return list(question.choices or [])


class PackErrors(InputError):
    """Several problems found in one pack; the message is the first."""

    def __init__(self, problems: list[InputError]):
        self.problems = problems
        first = problems[0]
        super().__init__(first.path, first.place, first.problem)


def _validate(doc: yamlio.Document, model: type[_Model], problems: list[InputError]) -> Any:
    if not isinstance(doc.data, dict):
        problems.append(doc.error((), "expected a mapping at the top level"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(doc.error(err["loc"], _pydantic_message(err)))
        return None


def _pydantic_message(err: ErrorDetails) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    msg = str(err.get("msg", "invalid value"))
    value = err.get("input")
    if kind in ("literal_error", "string_pattern_mismatch", "enum") and isinstance(value, str):
        return f"{value!r}: {msg}"
    return msg


def resolve_pack_path(name_or_path: str | Path | None) -> Path:
    """A pack folder from a path, or the name of a bundled pack (default ``cloud-srm``)."""
    from srm_tui.resources import questionnaires_dir

    if name_or_path is None:
        return questionnaires_dir() / "cloud-srm"
    candidate = Path(name_or_path)
    if candidate.is_dir():
        return candidate
    bundled = questionnaires_dir() / str(name_or_path)
    if bundled.is_dir():
        return bundled
    raise InputError(name_or_path, None, "no such questionnaire pack (a folder or a bundled name)")


_CACHE: dict[tuple[object, ...], Pack] = {}


def _cache_key(path: Path) -> tuple[object, ...]:
    """A loaded pack is reused until one of its files changes."""
    stamps: list[tuple[int, int] | None] = []
    for name in PACK_FILES:
        try:
            info = (path / name).stat()
            stamps.append((info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append(None)
    return (path, *stamps)


def load_pack(name_or_path: str | Path | None = None) -> Pack:
    """Load and check a pack; raises :class:`PackErrors` listing every problem.

    A pack already loaded in this process is reused until one of its files changes;
    otherwise the compiled pack cache is tried before the files are parsed and checked.
    """
    path = resolve_pack_path(name_or_path).resolve()
    key = _cache_key(path)
    if key in _CACHE:
        return _CACHE[key]
    stored = pack_cache.entry(path, PACK_FILES)
    pack = pack_cache.read(stored)
    if pack is None:
        pack = parse_pack(path)
        pack_cache.write(stored, pack)
    _CACHE[key] = pack
    return pack


def parse_pack(path: Path) -> Pack:
    """Read and check the pack files in ``path`` (no cache); raises :class:`PackErrors`."""
    problems: list[InputError] = []
    docs: dict[str, yamlio.Document] = {}
    for name in PACK_FILES:
        if name in OPTIONAL_FILES and not (path / name).exists():
            continue
        try:
            docs[name] = yamlio.load(path / name)
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise PackErrors(problems)
    info = _validate(docs["pack.yaml"], PackInfo, problems)
    layers = _validate(docs["layers.yaml"], LayersFile, problems)
    facts = _validate(docs["facts.yaml"], FactsFile, problems) if "facts.yaml" in docs else None
    services = _validate(docs["services.yaml"], ServicesFile, problems)
    controls = _validate(docs["controls.yaml"], ControlsFile, problems)
    questionnaire = _validate(docs["questionnaire.yaml"], QuestionnaireFile, problems)
    if problems:
        raise PackErrors(problems)
    pack = _assemble(path, docs, info, layers, facts, services, controls, questionnaire, problems)
    if problems:
        raise PackErrors(problems)
    return pack


def _unique(doc: yamlio.Document, key: str, items: list[Any], problems: list[InputError]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(doc.error((key, i, "id"), f"duplicate id {item.id!r}"))
        seen.add(item.id)


def _assemble(
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
        names = set(q.when.names) if q.when else set()
        if {"models", "providers"} & names:
            names.add("services")
        deps[q.id] = (names & ids) - {q.id} if q.id != "services" else set()
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


def version_tuple(version: str) -> tuple[int, int, int] | None:
    match = SEMVER.match(version or "")
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)
