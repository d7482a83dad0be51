"""The responsibility matrix as an Excel workbook, laid out like a customer responsibility matrix.

Auditors and consultants work in spreadsheets (the FedRAMP CRM and the CSA CAIQ are
workbooks with one row per control). Every cell is written as text or a number, never
as a formula: a client name that starts with ``=`` must not run in the reader's Excel.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from srm_tui.report.context import REF_LABELS
from srm_tui.report.exports import references

MAX_CELL = 32_767  # Excel keeps no more characters in one cell
_FORMULA_START = ("=", "+", "-", "@")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_WRAP = Alignment(wrap_text=True, vertical="top")

# (header, width in characters) of the "Responsibility matrix" sheet.
MATRIX_COLUMNS = (
    ("Control ID", 11),
    ("Title", 36),
    ("Domain", 18),
    ("Layer", 18),
    ("NIST SP 800-53 r5", 16),
    ("ISO/IEC 27001:2022", 16),
    ("Owner", 14),
    ("Customer's part", 50),
    ("Provider's part", 50),
    ("Services", 30),
    ("Held per service", 40),
    ("Status", 18),
    ("Assignee", 18),
    ("Due", 11),
    ("Evidence on file", 36),
    ("Evidence to collect", 40),
    ("Other references", 30),
    ("Note", 36),
)
OWNER_COLUMN = 1 + [title for title, _ in MATRIX_COLUMNS].index("Owner")


def text(value: Any) -> str:
    """A cell's text: no characters XML cannot hold, no more than a cell keeps."""
    out = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    return out if len(out) <= MAX_CELL else out[: MAX_CELL - 1] + "…"


def put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell; strings are always stored as strings, even ``=cmd|...``."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
        return cell
    value = text(value)
    if not value:
        return cell  # an empty cell, not an empty string
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True  # Excel keeps it text when the cell is edited, too
    return cell


def _fills(context: dict[str, Any]) -> dict[str, tuple[PatternFill, Font, Border | None]]:
    """Owner cell styles that follow the PDF's: solid accent, stripes, dots, dashed outline."""
    accent = context["branding"]["accent"].lstrip("#").upper()
    light = context["accent_light"].lstrip("#").upper()
    mid = context["accent_mid"].lstrip("#").upper()
    dashed = Side(style="dashed", color=accent)
    return {
        "customer": (PatternFill("solid", fgColor=accent), Font(bold=True, color="FFFFFF"), None),
        "shared": (PatternFill("lightUp", fgColor=mid, bgColor=light), Font(bold=True), None),
        "provider": (PatternFill("gray0625", fgColor="9A9A9A", bgColor="F1F1F1"), Font(), None),
        "third_party": (
            PatternFill(None),
            Font(bold=True),
            Border(left=dashed, right=dashed, top=dashed, bottom=dashed),
        ),
        "not_applicable": (PatternFill(None), Font(color="767676"), None),
    }


def _style_owner(cell: Any, owner: str, styles: dict[str, Any]) -> None:
    fill, font, border = styles.get(owner, styles["not_applicable"])
    cell.fill, cell.font = fill, font
    if border is not None:
        cell.border = border


def _header(ws: Worksheet, columns: tuple[tuple[str, int], ...], accent: str) -> None:
    fill = PatternFill("solid", fgColor=accent.lstrip("#").upper())
    for i, (title, width) in enumerate(columns, start=1):
        cell = put(ws, 1, i, title)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, fill, _WRAP
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B2"


def _filter_all(ws: Worksheet) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


def _parts(c: dict[str, Any]) -> tuple[str, str]:
    """The customer's and the provider's part, with the duty itself for a sole holder."""
    if c["customer_part"] or c["provider_part"]:
        return c["customer_part"], c["provider_part"]
    if c["owner"] in ("customer", "third_party"):
        return c["what"], ""
    if c["owner"] == "provider":
        return "", c["what"]
    return "", ""


def _matrix_sheet(ws: Worksheet, context: dict[str, Any], styles: dict[str, Any]) -> None:
    ws.title = "Responsibility matrix"
    accent = context["branding"]["accent"]
    _header(ws, MATRIX_COLUMNS, accent)
    for r, c in enumerate(context["controls"], start=2):
        refs = {g["label"]: g["ids"] for g in c["refs"]}
        nist, iso = REF_LABELS["nist_800_53"], REF_LABELS["iso_27001"]
        others = {k: v for k, v in refs.items() if k not in (nist, iso)}
        customer, provider = _parts(c)
        tracking = c["tracking"] or {}
        row = (
            c["id"],
            c["title"],
            c["domain_title"],
            c["layer_title"],
            ", ".join(refs.get(nist, [])),
            ", ".join(refs.get(iso, [])),
            c["owner_label"],
            customer,
            provider,
            ", ".join(c["services"]),
            c["scope"],
            c["status_label"] + (" (overdue)" if c["overdue"] else ""),
            tracking.get("assignee") or "",
            tracking.get("due") or "",
            "; ".join(tracking.get("evidence") or []),
            "; ".join(c["evidence"]),
            references(others),
            tracking.get("note") or "",
        )
        for col, value in enumerate(row, start=1):
            put(ws, r, col, value).alignment = _WRAP
        _style_owner(ws.cell(row=r, column=OWNER_COLUMN), c["owner"], styles)
    _filter_all(ws)
    legend = ws.max_row + 2
    put(ws, legend, 1, "Legend").font = Font(bold=True)
    for i, item in enumerate(context["owner_legend"], start=legend + 1):
        _style_owner(put(ws, i, 1, item["label"]), item["owner"], styles)
        put(ws, i, 2, _LEGEND[item["owner"]])


_LEGEND = {
    "customer": "The customer holds the duty for every service it applies to.",
    "shared": "Split with the provider: the two parts say who does what.",
    "provider": "The provider holds it (inherited): obtain the provider's evidence.",
    "third_party": "The customer holds it and has outsourced it to a third party.",
    "not_applicable": "Applies to nothing in scope.",
}


def _layers_sheet(ws: Worksheet, context: dict[str, Any], styles: dict[str, Any]) -> None:
    matrix = context["matrix"]
    columns = (("Layer", 30),) + tuple((m["label"], 16) for m in matrix["models"])
    _header(ws, columns + (("Explanation", 60),), context["branding"]["accent"])
    for r, row in enumerate(matrix["rows"], start=2):
        put(ws, r, 1, row["title"]).alignment = _WRAP
        for col, cell in enumerate(row["cells"], start=2):
            holders = "; ".join(f"{h['label']}: {h['services']}" for h in cell["holders"])
            shown = put(ws, r, col, cell["label"] + (f" ({holders})" if holders else ""))
            shown.alignment = _WRAP
            _style_owner(shown, cell["owner"], styles)
        put(ws, r, len(columns) + 1, row["explanation"]).alignment = _WRAP
    _filter_all(ws)


def _answers_sheet(ws: Worksheet, context: dict[str, Any]) -> None:
    columns = (("Section", 24), ("Question ID", 22), ("Question", 50), ("Answer", 40), ("Note", 40))
    _header(ws, columns, context["branding"]["accent"])
    r = 2
    for section in context["answers"]["sections"]:
        for item in section["items"]:
            answer = item["answer"] if item["answered"] else "Not answered"
            values = (section["title"], item["id"], item["title"], answer, item["note"])
            for col, value in enumerate(values, start=1):
                put(ws, r, col, value).alignment = _WRAP
            r += 1
    _filter_all(ws)


def _about_sheet(ws: Worksheet, context: dict[str, Any]) -> None:
    meta, pack = context["meta"], context["pack"]
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 12
    rows = [
        ("Client", meta["client"]),
        ("Assessor", meta["assessor"]),
        ("Date", meta["date"]),
        ("Scope", meta["scope"]),
        ("Classification", meta["classification"]),
        ("Questionnaire", f"{pack['title']} ({pack['ref']})"),
        ("Made with", f"srm {context['tool_version']}"),
        ("Services in scope", ", ".join(s["name"] for s in context["services"])),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        put(ws, r, 1, key).font = Font(bold=True)
        put(ws, r, 2, value).alignment = _WRAP
    r = len(rows) + 2
    for col, title in enumerate(("Source", "Address", "Read on"), start=1):
        put(ws, r, col, title).font = Font(bold=True)
    for i, source in enumerate(pack["sources"], start=r + 1):
        put(ws, i, 1, source["title"]).alignment = _WRAP
        put(ws, i, 2, source["url"])
        put(ws, i, 3, str(source["read"]))


def to_xlsx(context: dict[str, Any]) -> bytes:
    """The workbook's bytes; the same answers give the same sheets and cells."""
    wb = Workbook()
    styles = _fills(context)
    first = wb.active
    assert isinstance(first, Worksheet)  # a new workbook starts with one worksheet
    _matrix_sheet(first, context, styles)
    _layers_sheet(wb.create_sheet("Layers"), context, styles)
    _answers_sheet(wb.create_sheet("Answers"), context)
    _about_sheet(wb.create_sheet("About"), context)
    stamp = _stamp(context["meta"]["date"])
    wb.properties.creator = "srm"
    wb.properties.title = text(f"Responsibility matrix: {context['meta']['client']}")
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _stamp(date: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(date))
    except ValueError:
        return dt.datetime(2000, 1, 1)
