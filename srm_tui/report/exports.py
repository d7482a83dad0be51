"""The assessment as JSON, as a spreadsheet-safe CSV, and as Markdown."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from srm_tui.engine.assessment import Assessment, percent
from srm_tui.engine.compare import diff
from srm_tui.engine.text import without_control
from srm_tui.engine.vocabulary import SIDES

CSV_COLUMNS = (
    "id",
    "title",
    "domain",
    "layer",
    "owner",
    "customer_part",
    "provider_part",
    "status",
    "status_source",
    "assignee",
    "due",
    "overdue",
    "evidence",
    "note",
    "reason",
    "last_changed",
    "services",
    "references",
    "evidence_to_collect",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(assessment: Assessment, previous: Assessment | None = None) -> str:
    """The assessment; with ``previous``, a "changes" key holds what differs from it."""
    data = assessment.to_json()
    if previous is not None:
        data["changes"] = diff(previous, assessment)
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def csv_cell(value: str) -> str:
    """Text a spreadsheet shows as text: a leading formula character gets an apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def references(refs: dict[str, list[str]]) -> str:
    return "; ".join(f"{k}: {', '.join(v)}" for k, v in refs.items() if v)


def csv_rows(assessment: Assessment) -> list[dict[str, str]]:
    rows = []
    for item in assessment.to_json()["controls"]:
        rows.append(
            {
                "id": item["id"],
                "title": item["title"],
                "domain": item["domain"],
                "layer": item["layer"],
                "owner": item["owner"],
                "customer_part": item["customer_part"] or "",
                "provider_part": item["provider_part"] or "",
                "status": item["status"] or "",
                "status_source": item["status_source"],
                "assignee": item["assignee"] or "",
                "due": item["due"] or "",
                "overdue": "yes" if item["overdue"] else "",
                "evidence": "; ".join(item["evidence"]),
                "note": item["note"] or "",
                "reason": item["reason"] or "",
                "last_changed": max((c["date"] for c in item["changes"]), default=""),
                "services": "; ".join(item["services"]),
                "references": references(item["refs"]),
                "evidence_to_collect": "; ".join(item["evidence_to_collect"]),
            }
        )
    return rows


def to_csv(assessment: Assessment) -> str:
    """One row per control; UTF-8 with a BOM so spreadsheets pick the right encoding."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(assessment):
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return "\ufeff" + buffer.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def md(text: Any) -> str:
    """Plain text that Markdown shows literally (no links, HTML, tables broken), without
    control characters: a Markdown file is read in terminals, where they would run."""
    flat = " ".join(without_control(str(text), " ").split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def to_markdown(context: dict[str, Any]) -> str:
    """A compact Markdown checklist for wikis and tickets."""
    meta = context["meta"]
    out = [f"# Shared-responsibility checklist: {md(meta['client'])}", ""]
    for key in ("assessor", "date", "scope", "classification"):
        if meta[key]:
            out.append(f"- **{key.capitalize()}:** {md(meta[key])}")
    out.append(f"- **Questionnaire:** {md(context['pack']['ref'])}")
    out += ["", "## Who holds the duties", "", "| Scope | Customer | Shared | Provider |"]
    out.append("| --- | ---: | ---: | ---: |")
    for row in context["shares"]:
        cells = " | ".join(percent(row[k]) for k in SIDES)
        out.append(f"| {md(row['label'])} | {cells} |")
    matrix = context["matrix"]
    if matrix["models"]:
        out += ["", "## Layer matrix", ""]
        out.append("| Layer | " + " | ".join(m["label"] for m in matrix["models"]) + " |")
        out.append("| --- |" + " --- |" * len(matrix["models"]))
        for row in matrix["rows"]:
            out.append(
                f"| {md(row['title'])} | " + " | ".join(c["label"] for c in row["cells"]) + " |"
            )
    if context["gaps"]:
        out += ["", "## Top open gaps", ""]
        out += [f"1. **{g['id']}** {md(g['title'])} ({g['status_label']})" for g in context["gaps"]]
    out += _md_progress(context["progress"])
    if context["changes"]:
        out += _md_changes(context["changes"])
    out += ["", "## Checklist"]
    for domain in context["domains"]:
        if not domain["checklist"]:
            continue
        out += ["", f"### {md(domain['title'])}", ""]
        for c in domain["checklist"]:
            done = "x" if c["status"] == "implemented" else " "
            out.append(
                f"- [{done}] **{c['id']}** {md(c['title'])} — {c['owner_label']}, "
                f"{c['status_label']}; services: {md(', '.join(c['services']) or 'none')}"
            )
            out.append(f"  - What to do: {md(c['what'])}")
            if c["customer_part"]:
                out.append(f"  - Your part: {md(c['customer_part'])}")
                out.append(f"  - Provider's part: {md(c['provider_part'])}")
            out.append(f"  - Evidence: {md('; '.join(c['evidence']))}")
            out += _md_tracking(c)
    providers = [p for p in context["providers"] if p["duties"]]
    if providers:
        out += ["", "## From the providers", ""]
        for p in providers:
            reports = "; ".join(f"{a['title']} ({a['where']})" for a in p["assurance"])
            reports = md(reports or "no reports listed")
            out.append(f"- **{md(p['name'])}**: {len(p['duties'])} duties; {reports}")
    notes = [i for s in context["answers"]["sections"] for i in s["items"] if i["note"]]
    if notes:
        out += ["", "## Notes", ""]
        out += [f"- **{md(i['title'])}** {md(i['note'])}" for i in notes]
    return "\n".join(out) + "\n"


def _md_tracking(c: dict[str, Any]) -> list[str]:
    """A control's tracking and the interview notes behind it, as sub-items."""
    out = [f"  - Note on {md(n['question'])}: {md(n['text'])}" for n in c["answer_notes"]]
    t = c["tracking"]
    if not t:
        return out
    facts = []
    if c["status_source"] == "tracked":
        facts.append(f"status set by hand{' on ' + t['status_set'] if t['status_set'] else ''}")
    if t["assignee"]:
        facts.append(f"assignee {md(t['assignee'])}")
    if t["due"]:
        facts.append(f"due {t['due']}" + (" (**overdue**)" if c["overdue"] else ""))
    if t["carried"]:
        facts.append("carried over from the previous assessment, to confirm")
    if facts:
        out.append(f"  - Tracking: {'; '.join(facts)}")
    if t["evidence"]:
        out.append(f"  - Evidence on file: {md('; '.join(t['evidence']))}")
    for key, label in (("note", "Note"), ("reason", "Reason")):
        if t[key]:
            out.append(f"  - {label}: {md(t[key])}")
    return out


def _md_progress(progress: dict[str, Any]) -> list[str]:
    keys = progress["legend"]
    head = " | ".join(label for _, label in keys)
    out = ["", "## Progress", "", f"| Assignee | {head} | Duties |"]
    out.append("| --- |" + " ---: |" * (len(keys) + 1))
    for row in progress["rows"]:
        cells = " | ".join(str(row[k]) for k, _ in keys)
        out.append(f"| {md(row['label'])} | {cells} | {row['total']} |")
    out += ["", f"Overdue: due before {progress['as_of']} and not done."]
    return out


def _md_changes(changes: dict[str, Any]) -> list[str]:
    out = ["", f"## Changes since {md(changes['since'])}", ""]
    for key, label in (
        ("services_added", "Services added"),
        ("services_removed", "Services removed"),
    ):
        if changes[key]:
            out.append(f"- **{label}:** {md(', '.join(changes[key]))}")
    out += ["", "| Scope | Customer | Shared | Provider |", "| --- | --- | --- | --- |"]
    for row in changes["shares"]:
        cells = " | ".join(f"{c['old']} → {c['new']} ({c['change']})" for c in row["cells"])
        out.append(f"| {md(row['label'])} | {cells} |")
    for key, label in (("duties_added", "Newly yours"), ("duties_removed", "No longer yours")):
        if changes[key]:
            out += ["", f"{label}:", ""]
            out += [f"- **{d['id']}** {md(d['title'])}" for d in changes[key]]
    if changes["controls"]:
        out += ["", "Owner and status changes:", ""]
        for c in changes["controls"]:
            moves = [
                f"{what} {a} → {b}"
                for what, pair in (("owner", c["owner"]), ("status", c["status"]))
                if pair
                for a, b in [pair]
            ]
            out.append(f"- **{md(c['id'])}** {md(c['title'])}: {'; '.join(moves)}")
    return out
