"""The catalog as rows, for ``srm catalog`` (JSON or a plain table)."""

from __future__ import annotations

from typing import Any

from srm_tui.engine.pack import Control, Pack
from srm_tui.engine.vocabulary import MODEL_LABELS, MODELS


def rows(pack: Pack, what: str) -> list[dict[str, Any]]:
    if what == "services":
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
                "overrides": [o.model_dump() for o in s.overrides],
            }
            for s in pack.services
        ]
    if what == "controls":
        return [
            {
                "id": c.id,
                "title": c.title,
                "domain": c.domain,
                "layer": c.layer,
                "priority": c.priority,
                "owner": _owner_rules(pack, c),
                "refs": c.refs.model_dump(),
            }
            for c in pack.controls
        ]
    if what == "layers":
        return [
            {"id": x.id, "title": x.title, "explanation": x.explanation, "defaults": x.defaults}
            for x in pack.layers
        ]
    raise ValueError(what)


def _owner_rules(pack: Pack, control: Control) -> str | list[dict[str, Any]]:
    """The control's owner as the pack states it: one owner, or rules over the facts."""
    every = pack.every_model
    if every and control.id in every.controls:
        return "customer"
    if isinstance(control.owner, list):
        return [r.model_dump(by_alias=True, exclude_defaults=True) for r in control.owner]
    return control.owner or "not_applicable"


def format_table(header: list[str], body: list[list[str]]) -> str:
    """Plain aligned columns: readable in any terminal and by screen readers."""
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def table(pack: Pack, what: str) -> str:
    if what == "services":
        body = [
            [
                s["id"],
                s["name"],
                s["provider_name"],
                MODEL_LABELS[s["model"]],
                s["aws_category"] or "",
            ]
            for s in rows(pack, what)
        ]
        return format_table(["ID", "NAME", "PROVIDER", "MODEL", "AWS CATEGORY"], body)
    if what == "controls":
        body = [[c["id"], c["domain"], c["layer"], c["title"]] for c in rows(pack, what)]
        return format_table(["ID", "DOMAIN", "LAYER", "TITLE"], body)
    body = [[x["id"], x["title"], *(x["defaults"][m] for m in MODELS)] for x in rows(pack, what)]
    return format_table(["ID", "TITLE", *(MODEL_LABELS[m].upper() for m in MODELS)], body)
