"""A plain-text summary of an assessment, for ``srm assess`` and ``srm ask``."""

from __future__ import annotations

from srm_tui.engine.assessment import Assessment
from srm_tui.engine.catalog import format_table
from srm_tui.engine.vocabulary import MODEL_LABELS, OWNER_LABELS, STATUS_LABELS


def pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def shares_table(result: Assessment) -> str:
    shares = result.shares
    body = [["Overall", *(pct(shares["overall"][k]) for k in ("customer", "shared", "provider"))]]
    for model, split in shares["by_model"].items():
        body.append(
            [MODEL_LABELS[model], *(pct(split[k]) for k in ("customer", "shared", "provider"))]
        )
    return format_table(["SCOPE", "CUSTOMER", "SHARED", "PROVIDER"], body)


def text_summary(result: Assessment) -> str:
    pack = result.pack
    meta = result.answers.meta
    parts = [
        f"{meta.get('client') or 'Unnamed engagement'} - {pack.ref}",
        "Services in scope: " + (", ".join(s.name for s in result.services) or "none"),
        "",
        "Who holds the duties",
        shares_table(result),
    ]
    if result.models:
        parts += ["", "Layer matrix"]
        body = [
            [pack.layer_by_id[row["layer"]].title, *(OWNER_LABELS[row[m]] for m in result.models)]
            for row in result.matrix
        ]
        parts.append(format_table(["LAYER", *(MODEL_LABELS[m] for m in result.models)], body))
    mine = [r for r in result.controls if r.status is not None]
    parts += ["", f"Your duties ({len(mine)} of {len(result.controls)} controls)"]
    body = [
        [r.control.id, OWNER_LABELS[r.owner], STATUS_LABELS[r.status], r.control.title]
        for r in mine
    ]
    parts.append(format_table(["ID", "OWNER", "STATUS", "TITLE"], body))
    gaps = result.gaps[:10]
    if gaps:
        parts += ["", "Top open gaps"]
        parts += [f"  {r.control.id}  {r.control.title} ({STATUS_LABELS[r.status]})" for r in gaps]
    return "\n".join(parts)
