"""The schemas of a pack's YAML files, one pydantic model a file and its parts.

A pack is a folder of YAML files (``pack.yaml``, ``layers.yaml``, ``facts.yaml``,
``services.yaml``, ``controls.yaml``, ``questionnaire.yaml``); each file is checked
against its model here before the pack as a whole is checked
(:mod:`srm_tui.engine.pack_checks`). The models build their validators only when
something is first validated (``defer_build``), which a cached pack never needs.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from srm_tui.engine.vocabulary import MODELS, Model, Owner, QuestionType, Status

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


def version_tuple(version: str) -> tuple[int, int, int] | None:
    match = SEMVER.match(version or "")
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)
