"""A plain-text summary of an assessment, for ``srm assess`` and ``srm ask``."""

from __future__ import annotations

from srm_tui.engine.assessment import Assessment, applicable
from srm_tui.engine.catalog import format_table
from srm_tui.engine.vocabulary import MATRIX_LABELS, MODEL_LABELS, OWNER_LABELS, STATUS_LABELS


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


def cell_text(result: Assessment, row: dict, model: str) -> str:
    """A matrix cell: one owner, or who holds it for which services."""
    if row[model] != "mixed":
        return MATRIX_LABELS[row[model]]
    return " · ".join(
        f"{OWNER_LABELS[o].lower()}: {', '.join(names)}" for o, names in result.holders(row, model)
    )


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
    models = result.models
    if models:
        parts += ["", "Layer matrix"]
        body = [
            [
                pack.layer_by_id[row["layer"]].title,
                *(cell_text(result, row, m) for m in models),
            ]
            for row in result.matrix
        ]
        parts.append(format_table(["LAYER", *(MODEL_LABELS[m] for m in result.models)], body))
    counts = result.shares["counts"]["overall"]
    counted = sum(applicable(counts).values())
    parts.append(
        f"Counted over {counted} applicable duties; {counts['not_applicable']} do not apply"
        " to the services in scope (listed below)."
    )
    mine = [r for r in result.controls if r.status is not None]
    parts += ["", f"Your duties ({len(mine)} of {counted} applicable duties)"]
    body = [
        [r.control.id, OWNER_LABELS[r.owner], STATUS_LABELS[r.status], r.control.title]
        for r in mine
    ]
    parts.append(format_table(["ID", "OWNER", "STATUS", "TITLE"], body))
    shared = [r for r in mine if r.parts]
    if shared:
        parts += ["", "Where a duty is shared: your part and the provider's"]
        for r in shared:
            parts += [
                f"  {r.control.id}  {r.control.title}",
                f"    You: {r.customer_part}",
                f"    Provider: {r.provider_part}",
            ]
    if result.not_applicable:
        parts += ["", "Not applicable to the services in scope"]
        parts += [f"  {r.control.id}  {r.control.title}" for r in result.not_applicable]
    gaps = result.gaps[:10]
    if gaps:
        parts += ["", "Top open gaps"]
        parts += [f"  {r.control.id}  {r.control.title} ({STATUS_LABELS[r.status]})" for r in gaps]
    return "\n".join(parts)


def _signed(value: float) -> str:
    return f"{value * 100:+.0f} pts"


def text_diff(change: dict, pack) -> str:
    """Plain-text rendering of :func:`srm_tui.engine.compare.diff`."""
    names = {s.id: s.name for s in pack.services}
    parts = []
    for key, label in (("added", "Services added"), ("removed", "Services removed")):
        if change["services"][key]:
            parts.append(f"{label}: " + ", ".join(names.get(s, s) for s in change["services"][key]))
    body = []
    for scope, split in [("Overall", change["shares"]["overall"])] + [
        (MODEL_LABELS[m], v) for m, v in change["shares"]["by_model"].items()
    ]:
        cells = []
        for side in ("customer", "shared", "provider"):
            old, new = split[side]["old"], split[side]["new"]
            shown = (
                f"{pct(old) if old is not None else '-'} -> {pct(new) if new is not None else '-'}"
            )
            cells.append(shown)
        body.append([scope, *cells])
    parts += ["Who holds the duties (before -> after)"]
    parts.append(format_table(["SCOPE", "CUSTOMER", "SHARED", "PROVIDER"], body))
    duties = change["customer_duties"]
    for key, label in (("removed", "No longer your duty"), ("added", "Newly your duty")):
        if duties[key]:
            parts += ["", f"{label}:"]
            parts += [
                f"  {cid}  {pack.control_by_id[cid].title}"
                for cid in duties[key]
                if cid in pack.control_by_id
            ]
    rows = []
    for entry in change["controls"]:
        owner, status = entry.get("owner"), entry.get("status")
        rows.append(
            [
                entry["id"],
                f"{_label(OWNER_LABELS, owner['old'])} -> {_label(OWNER_LABELS, owner['new'])}"
                if owner
                else "",
                f"{_label(STATUS_LABELS, status['old'])} -> {_label(STATUS_LABELS, status['new'])}"
                if status
                else "",
            ]
        )
    parts += ["", f"Controls that changed: {len(rows)}"]
    if rows:
        parts.append(format_table(["ID", "OWNER", "STATUS"], rows))
    return "\n".join(parts)


def _label(labels: dict[str, str], value: str | None) -> str:
    return labels.get(value, "-") if value else "-"


def text_disagreements(pack, disagreements) -> str:
    """Where workshop participants disagree, as a list the facilitator can read out."""
    if not disagreements:
        return "All participants agree."
    lines = [f"Disagreements to discuss: {len(disagreements)}"]
    for d in disagreements:
        lines.append(f"- [{d.kind}] {d.title} ({d.question})")
        lines += [f"    {g.by}: {d.shown(pack, g)}" for g in d.answers]
    return "\n".join(lines)
