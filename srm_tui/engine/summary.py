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
    groups = duty_groups(change)
    for heading, lines in groups:
        parts += ["", f"{heading}: {len(lines)}", *(f"  {line}" for line in lines)]
    if not groups:
        parts += ["", NO_DUTY_MOVES]
    rows = [
        [e["id"], _status_change(e["status"])]
        for e in change["controls"]
        if "status" in e and "owner" not in e
    ]
    if rows:
        parts += ["", f"Status changes: {len(rows)}", format_table(["ID", "STATUS"], rows)]
    return "\n".join(parts)


NO_DUTY_MOVES = "No duty goes, comes or changes owner."


def _status_change(status: dict) -> str:
    shown = f"{STATUS_LABELS[status['old']]} -> {STATUS_LABELS[status['new']]}"
    return shown + (" (set by hand)" if status.get("set_by_hand") else "")


def duty_groups(change: dict, arrow: str = "->") -> list[tuple[str, list[str]]]:
    """The duties a change moves, as (heading, lines) for each non-empty group: those that
    go, those that come, and those that change owner (one wording for every front end)."""
    duties = change["duties"]
    groups = [
        ("Duties that go (no longer apply)", [
            f"{d['id']}  {d['title']} (was {OWNER_LABELS[d['owner']]})" for d in duties["gone"]
        ]),
        ("Duties that come (newly apply)", [
            f"{d['id']}  {d['title']} ({OWNER_LABELS[d['owner']]})" for d in duties["come"]
        ]),
        ("Duties that change owner", [
            f"{d['id']}  {d['title']}: {OWNER_LABELS[d['old']]} {arrow} {OWNER_LABELS[d['new']]}"
            for d in duties["owner_changed"]
        ]),
    ]  # fmt: skip
    return [(heading, lines) for heading, lines in groups if lines]


def text_disagreements(pack, disagreements) -> str:
    """Where workshop participants disagree, as a list the facilitator can read out."""
    if not disagreements:
        return "All participants agree."
    lines = [f"Disagreements to discuss: {len(disagreements)}"]
    for d in disagreements:
        lines.append(f"- [{d.kind}] {d.title} ({d.question})")
        lines += [f"    {g.by}: {d.shown(pack, g)}" for g in d.answers]
        lines.append(f"    kept: {d.kept(pack)}")
    return "\n".join(lines)
