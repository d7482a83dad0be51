"""The schemas of a pack's YAML files, one dataclass a file and its parts.

A pack is a folder of YAML files (``pack.yaml``, ``layers.yaml``, ``facts.yaml``,
``services.yaml``, ``controls.yaml``, ``questionnaire.yaml``); each file is checked
against its class here by pydantic (:func:`srm_tui.engine.pack_loader.parse_pack`)
before the pack as a whole is checked (:mod:`srm_tui.engine.pack_checks`). They are
standard-library dataclasses, not pydantic models: the checked pack is made of them and
kept in the compiled pack cache, and unpickling it must not import pydantic, the largest
part of the start-up otherwise. Pydantic reads each field's constraints from its
``metadata`` and the class's settings from ``__pydantic_config__``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from srm_tui.engine.vocabulary import MODELS, Model, Owner, QuestionType, Status

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

# A rule may test the service model besides the facts of facts.yaml.
MODEL_FACT = "model"
_ID = r"^[a-z0-9][a-z0-9_.\-]*$"
_QID = r"^[a-z][a-z0-9_]*$"
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
# Field metadata pydantic reads as constraints.
ID = {"pattern": _ID}
QID = {"pattern": _QID}
NOT_EMPTY = {"min_length": 1}


@dataclass(kw_only=True)
class _Model:
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


def _every_model(value: dict[str, str]) -> dict[str, str]:
    missing = [m for m in MODELS if m not in value]
    if missing:
        raise ValueError(f"missing owner for {', '.join(missing)}")
    return value


class EveryModelNamed:
    """Marks a mapping by service model that must name every model (for pydantic)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(_every_model, handler(source))


@dataclass(kw_only=True)
class Source(_Model):
    """A public document the pack's decisions rest on."""

    id: str = field(metadata=ID)
    title: str
    url: str
    read: dt.date


@dataclass(kw_only=True)
class PackInfo(_Model):
    id: str = field(metadata=ID)
    version: str = field(metadata={"pattern": SEMVER.pattern})
    title: str
    description: str = ""
    sources: list[Source] = field(default_factory=list)

    @property
    def release(self) -> tuple[int, int, int]:
        """The version as numbers, for comparing."""
        parsed = version_tuple(self.version)
        assert parsed is not None, "the version field only takes SEMVER"
        return parsed


@dataclass(kw_only=True)
class Layer(_Model):
    """A row of the responsibility stack; ``defaults`` is the provider's published table.

    The defaults are what the published models say for a model as a whole (shown in
    ``srm catalog layers`` and used by the belief check for models not in scope); the
    assessment's matrix is worked out from the duties of the services in scope.
    """

    id: str = field(metadata=QID)
    title: str
    explanation: str
    defaults: Annotated[dict[Model, Owner], EveryModelNamed]
    sources: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class LayersFile(_Model):
    layers: list[Layer] = field(metadata=NOT_EMPTY)


@dataclass(kw_only=True)
class Assurance(_Model):
    """Where a provider publishes its attestation reports."""

    title: str
    where: str
    url: str = ""


@dataclass(kw_only=True)
class Provider(_Model):
    id: str = field(metadata=ID)
    name: str
    assurance: list[Assurance] = field(default_factory=list)


@dataclass(kw_only=True)
class Fact(_Model):
    """One question about a service that the provider's documentation answers."""

    id: str = field(metadata=QID)
    title: str
    values: dict[str, str] = field(metadata={"min_length": 2})


@dataclass(kw_only=True)
class FactsFile(_Model):
    facts: list[Fact] = field(metadata=NOT_EMPTY)


@dataclass(kw_only=True)
class FactValue(_Model):
    """A service's answer to one fact, and the source it rests on."""

    __pydantic_config__ = {"extra": "forbid", "populate_by_name": True}
    value: str = field(metadata={"alias": "is"})
    source: str


@dataclass(kw_only=True)
class Parts(_Model):
    """What each party does of a shared duty; ``{service}`` is the service's name."""

    customer_part: str = ""
    provider_part: str = ""


@dataclass(kw_only=True)
class ControlOverride(Parts):
    """An owner a provider's document states for one service, beyond what its facts say."""

    control: str
    owner: Owner
    source: str
    why: str


@dataclass(kw_only=True)
class Service(_Model):
    id: str = field(metadata=ID)
    name: str
    provider: str
    model: Model
    aws_category: Literal["infrastructure", "container", "abstracted"] | None = None
    description: str = ""
    profile: dict[str, FactValue] = field(default_factory=dict)
    overrides: list[ControlOverride] = field(default_factory=list)
    rationale: str = ""
    sources: list[str] = field(default_factory=list)

    def fact(self, fact_id: str) -> str | None:
        if fact_id == MODEL_FACT:
            return self.model
        value = self.profile.get(fact_id)
        return value.value if value else None


@dataclass(kw_only=True)
class ServicesFile(_Model):
    providers: list[Provider] = field(metadata=NOT_EMPTY)
    services: list[Service] = field(metadata=NOT_EMPTY)


@dataclass(kw_only=True)
class Domain(_Model):
    id: str = field(metadata=ID)
    title: str
    description: str = ""


@dataclass(kw_only=True)
class Refs(_Model):
    nist_800_53: list[str] = field(metadata=NOT_EMPTY)
    iso_27001: list[str] = field(metadata=NOT_EMPTY)
    ccm_v4: list[str] = field(default_factory=list)
    cis_v8: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Rule(Parts):
    """``owner`` holds for a service whose facts match every entry of ``if``.

    A value may be one allowed value or a list of them; a rule without ``if`` matches
    every service and must come last.
    """

    __pydantic_config__ = {"extra": "forbid", "populate_by_name": True}
    when: dict[str, str | list[str]] = field(default_factory=dict, metadata={"alias": "if"})
    owner: Owner

    def matches(self, service: Service) -> bool:
        for fact_id, wanted in self.when.items():
            allowed = [wanted] if isinstance(wanted, str) else wanted
            if service.fact(fact_id) not in allowed:
                return False
        return True


@dataclass(kw_only=True)
class Control(_Model):
    id: str = field(metadata={"pattern": r"^[A-Z][A-Z0-9]*-[0-9A-Z.\-]+$"})
    title: str
    domain: str
    layer: str
    owner: Owner | list[Rule] | None = None
    what: str
    evidence: list[str] = field(metadata=NOT_EMPTY)
    from_provider: str = ""
    priority: Literal["high", "medium", "low"] = "medium"
    refs: Refs


@dataclass(kw_only=True)
class EveryModel(_Model):
    """Duties that stay with the customer whatever the service, stated once."""

    why: str
    sources: list[str] = field(metadata=NOT_EMPTY)
    controls: list[str] = field(metadata=NOT_EMPTY)


@dataclass(kw_only=True)
class ControlsFile(_Model):
    domains: list[Domain] = field(metadata=NOT_EMPTY)
    customer_in_every_model: EveryModel | None = None
    controls: list[Control] = field(metadata=NOT_EMPTY)


@dataclass(kw_only=True)
class Choice(_Model):
    value: str
    label: str
    help: str = ""
    exclusive: bool = False  # "None of these": ticking it clears the others, and back


@dataclass(kw_only=True)
class CatalogChoices(_Model):
    """Choices taken from the catalog instead of listed in the question."""

    from_: Literal["services"] = field(metadata={"alias": "from"})


@dataclass(kw_only=True)
class Effect(_Model):
    """What an answer does to the assessment, declared in the pack."""

    when: str
    controls: list[str] = field(metadata=NOT_EMPTY)
    owner: Owner | None = None
    status: Status | None = None
    applicable: bool | None = None


@dataclass(kw_only=True)
class Belief(_Model):
    """Marks a question that asks who the person *thinks* holds a layer in a model."""

    layer: str
    model: Model


@dataclass(kw_only=True)
class Question(_Model):
    id: str = field(metadata=QID)
    type: QuestionType
    title: str
    help: str = ""
    choices: list[Choice] | CatalogChoices | None = None
    default: Any = None
    when: str | None = None
    validator: str | None = None
    placeholder: str | None = None
    required: bool = False
    effects: list[Effect] = field(default_factory=list)
    belief: Belief | None = None


@dataclass(kw_only=True)
class Section(_Model):
    id: str = field(metadata=QID)
    title: str
    intro: str = ""
    questions: list[Question] = field(metadata=NOT_EMPTY)


@dataclass(kw_only=True)
class QuestionnaireFile(_Model):
    sections: list[Section] = field(metadata=NOT_EMPTY)


def version_tuple(version: str) -> tuple[int, int, int] | None:
    match = SEMVER.match(version or "")
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)
