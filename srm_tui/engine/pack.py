"""The runtime pack: a loaded, checked pack and its questions with compiled conditions.

This is what the rest of srm works with; it is built by
:func:`srm_tui.engine.pack_loader.load_pack` and kept pickled in the compiled pack cache
(:mod:`srm_tui.engine.pack_cache`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from srm_tui.engine.conditions import Expression
from srm_tui.engine.pack_schema import (
    CatalogChoices,
    Choice,
    Control,
    Domain,
    Effect,
    EveryModel,
    Fact,
    Layer,
    PackInfo,
    Provider,
    Question,
    Section,
    Service,
    Source,
)
from srm_tui.engine.vocabulary import DERIVED_FACTS, YESNO_CHOICES


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

    @property
    def reads(self) -> frozenset[str]:
        """The names its ``when`` reads, with ``services`` where it reads a derived fact
        (models, providers), which the services answer decides."""
        names = set(self.when.names) if self.when else set()
        if names & set(DERIVED_FACTS):
            names.add("services")
        return frozenset(names)


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
    # A new engagement's visible question ids and condition context, decided when the
    # pack is checked: a cached pack starts an interview without running a condition.
    blank: tuple[frozenset[str], dict[str, Any]] | None = None

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

    @cached_property
    def readers(self) -> dict[str, frozenset[str]]:
        """For each question, the questions whose ``when`` reads its answer, directly or
        through another such question: what to decide again when that answer changes."""
        direct: dict[str, set[str]] = {q.id: set() for q in self.questions}
        for q in self.questions:
            for name in q.reads & direct.keys() - {q.id}:
                direct[name].add(q.id)
        out: dict[str, frozenset[str]] = {}
        for qid in direct:
            seen: set[str] = set()
            todo = list(direct[qid])
            while todo:
                reader = todo.pop()
                if reader not in seen:
                    seen.add(reader)
                    todo.extend(direct[reader])
            out[qid] = frozenset(seen)
        return out

    def choices(self, question: Question) -> list[Choice]:
        """The question's choices, with catalog choices expanded (grouped by provider)."""
        if isinstance(question.choices, CatalogChoices):
            return [  # built from a checked catalog: nothing to validate
                Choice(value=s.id, label=s.name, help=self.provider_by_id[s.provider].name)
                for s in self.services
            ]
        if question.type == "yesno":
            return [Choice(value=v, label=label) for v, label in YESNO_CHOICES]
        return list(question.choices or [])
