"""Assessments, diffs, disagreements and the catalog as plain text for the terminal.

What ``srm assess``, ``srm diff``, ``srm merge``, ``srm catalog`` and ``srm ask`` print,
and the wording the terminal app shares with them; the engine gives only the data.
"""

from __future__ import annotations

from typing import Any

from srm_tui.engine import catalog
from srm_tui.engine.assessment import Assessment, ControlResult, applicable, percent
from srm_tui.engine.compare import Diff, StatusChange
from srm_tui.engine.merge import Disagreement
from srm_tui.engine.pack import Pack
from srm_tui.engine.tracking import Disagreement as TrackingDisagreement
from srm_tui.engine.vocabulary import (
    MATRIX_LABELS,
    MODEL_LABELS,
    MODELS,
    OWNER_LABELS,
    SIDES,
    STATUS_LABELS,
)


def format_table(header: list[str], body: list[list[str]]) -> str:
    """Plain aligned columns: readable in any terminal and by screen readers."""
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def catalog_table(pack: Pack, what: str) -> str:
    """The services, controls or layers (``what``) of ``srm catalog``."""
    if what == "services":
        body = [
            [
                s["id"],
                s["name"],
                s["provider_name"],
                MODEL_LABELS[s["model"]],
                s["aws_category"] or "",
            ]
            for s in catalog.services(pack)
        ]
        return format_table(["ID", "NAME", "PROVIDER", "MODEL", "AWS CATEGORY"], body)
    if what == "controls":
        body = [[c["id"], c["domain"], c["layer"], c["title"]] for c in catalog.controls(pack)]
        return format_table(["ID", "DOMAIN", "LAYER", "TITLE"], body)
    if what == "layers":
        body = [
            [x["id"], x["title"], *(x["defaults"][m] for m in MODELS)] for x in catalog.layers(pack)
        ]
        return format_table(["ID", "TITLE", *(MODEL_LABELS[m].upper() for m in MODELS)], body)
    raise ValueError(what)


def shares_table(result: Assessment) -> str:
    shares = result.shares
    body = [["Overall", *(percent(shares["overall"][k]) for k in SIDES)]]
    for model, split in shares["by_model"].items():
        body.append([MODEL_LABELS[model], *(percent(split[k]) for k in SIDES)])
    return format_table(["SCOPE", "CUSTOMER", "SHARED", "PROVIDER"], body)


def cell_text(result: Assessment, row: dict[str, Any], model: str) -> str:
    """A matrix cell: one owner, or who holds it for which services."""
    if row[model] != "mixed":
        return MATRIX_LABELS[row[model]]
    return " · ".join(
        f"{OWNER_LABELS[o].lower()}: {', '.join(names)}" for o, names in result.holders(row, model)
    )


def counted_line(result: Assessment) -> str:
    """How many duties the shares count and how many apply to nothing in scope."""
    counts = result.shares["counts"]["overall"]
    return (
        f"Counted over {sum(applicable(counts).values())} applicable duties; "
        f"{counts['not_applicable']} do not apply to the services in scope."
    )


def belief_line(result: Assessment) -> str | None:
    """What the belief check found, in a sentence; None when the questionnaire has none."""
    given = result.belief_answers
    if not result.asks_beliefs:
        return None
    if not given:
        return (
            "No belief answers. Answer yes to the belief check question to compare "
            "who people think holds each duty with the model."
        )
    if not result.beliefs:
        if given == 1:
            return "The belief answer matches the model."
        return f"All {given} belief answers match the model."
    critical = result.critical_beliefs
    text = f"{len(result.beliefs)} of {given} belief answers differ from the model"
    return text + (f"; {critical} critical." if critical else ".")


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
    parts.append(counted_line(result))
    belief = belief_line(result)
    if belief:
        parts += ["", belief]
    counted = sum(applicable(result.shares["counts"]["overall"]).values())
    mine = [r for r in result.controls if r.status is not None]
    parts += ["", f"Your duties ({len(mine)} of {counted} applicable duties)"]
    body = [[r.control.id, OWNER_LABELS[r.owner], _status(r), r.control.title] for r in mine]
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
        parts += [f"  {r.control.id}  {r.control.title} ({_status(r)})" for r in gaps]
    return "\n".join(parts)


def text_diff(change: Diff, pack: Pack) -> str:
    """Plain-text rendering of :func:`srm_tui.engine.compare.diff`."""
    names = {s.id: s.name for s in pack.services}
    parts = []
    services = change["services"]
    for ids, label in (
        (services["added"], "Services added"),
        (services["removed"], "Services removed"),
    ):
        if ids:
            parts.append(f"{label}: " + ", ".join(names.get(s, s) for s in ids))
    body = []
    for scope, split in [("Overall", change["shares"]["overall"])] + [
        (MODEL_LABELS[m], v) for m, v in change["shares"]["by_model"].items()
    ]:
        cells = []
        for side in SIDES:
            old, new = split[side]["old"], split[side]["new"]
            cells.append(f"{percent(old, '-')} -> {percent(new, '-')}")
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


def _status(result: ControlResult) -> str:
    """The status of a duty on the customer's side (the duties that have one)."""
    assert result.status is not None
    return STATUS_LABELS[result.status]


def _status_change(status: StatusChange) -> str:
    """A status that changed on a duty whose owner did not: both sides have one."""
    old, new = status["old"], status["new"]
    assert old is not None and new is not None
    shown = f"{STATUS_LABELS[old]} -> {STATUS_LABELS[new]}"
    return shown + (" (set by hand)" if status.get("set_by_hand") else "")


def duty_groups(change: Diff, arrow: str = "->") -> list[tuple[str, list[str]]]:
    """The duties a change moves, as (heading, lines) for each non-empty group: those that
    go, those that come, and those that change owner (one wording for every front end)."""
    duties = change["duties"]
    groups = [
        ("Duties that go (no longer apply)", [
            f"{d['id']}  {d['title']} (was {_owner(d['owner'])})" for d in duties["gone"]
        ]),
        ("Duties that come (newly apply)", [
            f"{d['id']}  {d['title']} ({_owner(d['owner'])})" for d in duties["come"]
        ]),
        ("Duties that change owner", [
            f"{d['id']}  {d['title']}: {_owner(d['old'])} {arrow} {_owner(d['new'])}"
            for d in duties["owner_changed"]
        ]),
    ]  # fmt: skip
    return [(heading, lines) for heading, lines in groups if lines]


def _owner(owner: str | None) -> str:
    """A duty's owner on one side of a diff. Both sides are assessed against one pack,
    so each has every duty, with an owner."""
    assert owner is not None
    return OWNER_LABELS[owner]


def text_disagreements(pack: Pack, disagreements: list[Disagreement]) -> str:
    """Where workshop participants disagree, as a list the facilitator can read out."""
    if not disagreements:
        return "All participants agree."
    lines = [f"Disagreements to discuss: {len(disagreements)}"]
    for d in disagreements:
        lines.append(f"- [{d.kind}] {d.title} ({d.question})")
        lines += [f"    {g.by}: {d.shown(pack, g)}" for g in d.answers]
        lines.append(f"    kept: {d.kept(pack)}")
    return "\n".join(lines)


def text_tracking_disagreements(items: list[TrackingDisagreement]) -> str:
    """Tracking disagreements as lines a facilitator can read out ('' when none)."""
    if not items:
        return ""
    lines = [f"Tracking that differs between participants: {len(items)}"]
    for item in items:
        shown = "; ".join(f"{a['by']}: {_listed(a['value'])}" for a in item["answers"])
        kept = _listed(item["merged"])
        lines.append(f"- {item['control']} {item['field']}: {shown} (kept: {kept})")
    return "\n".join(lines)


def _listed(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
