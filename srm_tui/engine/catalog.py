"""The catalog as rows, for ``srm catalog`` (as JSON, or a table the command line lays out)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, TypedDict

from pydantic import TypeAdapter

from srm_tui.engine.pack import Pack
from srm_tui.engine.pack_schema import Control, Rule


class ProfileFact(TypedDict):
    value: Any
    source: str  # the source's address
    read: str  # when the source was read, ISO date


class ServiceRow(TypedDict):
    id: str
    name: str
    provider: str
    provider_name: str
    model: str
    aws_category: str | None
    description: str
    profile: dict[str, ProfileFact]
    overrides: list[dict[str, Any]]


class ControlRow(TypedDict):
    id: str
    title: str
    domain: str
    layer: str
    priority: str
    owner: str | list[dict[str, Any]]  # one owner, or the pack's rules over the facts
    refs: dict[str, Any]


class LayerRow(TypedDict):
    id: str
    title: str
    explanation: str
    defaults: dict[str, str]  # the provider's published owner, by model


CatalogRows = list[ServiceRow] | list[ControlRow] | list[LayerRow]


def rows(pack: Pack, what: str) -> CatalogRows:
    """The services, controls or layers (``what``) of the pack."""
    if what == "services":
        return services(pack)
    if what == "controls":
        return controls(pack)
    if what == "layers":
        return layers(pack)
    raise ValueError(what)


def services(pack: Pack) -> list[ServiceRow]:
    return [
        {
            "id": s.id,
            "name": s.name,
            "provider": s.provider,
            "provider_name": pack.provider_by_id[s.provider].name,
            "model": s.model,
            "aws_category": s.aws_category,
            "description": s.description,
            "profile": {
                f: {
                    "value": v.value,
                    "source": pack.source_by_id[v.source].url,
                    "read": pack.source_by_id[v.source].read.isoformat(),
                }
                for f, v in s.profile.items()
            },
            "overrides": [asdict(o) for o in s.overrides],
        }
        for s in pack.services
    ]


def controls(pack: Pack) -> list[ControlRow]:
    return [
        {
            "id": c.id,
            "title": c.title,
            "domain": c.domain,
            "layer": c.layer,
            "priority": c.priority,
            "owner": _owner_rules(pack, c),
            "refs": asdict(c.refs),
        }
        for c in pack.controls
    ]


def layers(pack: Pack) -> list[LayerRow]:
    return [
        {
            "id": x.id,
            "title": x.title,
            "explanation": x.explanation,
            "defaults": {model: owner for model, owner in x.defaults.items()},
        }
        for x in pack.layers
    ]


def _owner_rules(pack: Pack, control: Control) -> str | list[dict[str, Any]]:
    """The control's owner as the pack states it: one owner, or rules over the facts."""
    every = pack.every_model
    if every and control.id in every.controls:
        return "customer"
    if isinstance(control.owner, list):
        rule = TypeAdapter(Rule)
        return [rule.dump_python(r, by_alias=True, exclude_defaults=True) for r in control.owner]
    return control.owner or "not_applicable"
