"""Reports from an assessment: the PDF checklist, its HTML, JSON, CSV, Markdown, an
Excel workbook and an OSCAL system security plan.

``write_report`` renders one format and writes it atomically (temp file, fsync,
rename), so a failed render never leaves a half-written file behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from srm_tui.engine import yamlio
from srm_tui.engine.assessment import Assessment
from srm_tui.engine.errors import InputError
from srm_tui.report.config import Branding

FORMATS = ("pdf", "html", "json", "csv", "md", "xlsx", "oscal")
# The file ending of each format where it is not the format's name.
SUFFIXES = {"oscal": ".oscal.json"}
BUILDING = "Building the report"
Progress = Callable[[str, "int | None"], None]
REPORT_MODE = 0o600  # reports hold client findings: readable by their owner only


def _answers_bytes(assessment: Assessment) -> bytes:
    """The answers file as it is on disk, or as it would be saved."""
    path = assessment.answers.path
    if path is not None and Path(path).is_file():
        return Path(path).read_bytes()
    return yamlio.dump(assessment.answers.raw).encode("utf-8")


def render(
    assessment: Assessment,
    fmt: str = "pdf",
    *,
    branding: Branding | None = None,
    template_dir: Path | None = None,
    pdf_variant: str | None = None,
    fillable: bool = False,
    previous: Assessment | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The report as bytes, ready to write; ``previous`` adds what changed since it.

    ``progress(step, pages)`` is told each step as it starts (the PDF's steps take
    seconds: laying out, then writing ``pages`` pages).
    """
    from srm_tui.report import exports

    if fmt not in FORMATS:
        raise InputError(None, "--format", f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    step = progress or _no_progress
    step(BUILDING, None)
    if fmt == "json":
        return exports.to_json(assessment, previous).encode("utf-8")
    if fmt == "csv":
        return exports.to_csv(assessment).encode("utf-8")
    from srm_tui.report.context import build_context
    from srm_tui.report.html import render_html, template_roots

    branding = branding or Branding()
    context = build_context(
        assessment,
        branding,
        previous,
        fillable=fillable and fmt == "pdf",
        standalone=fmt == "html",
    )
    if fmt == "md":
        return exports.to_markdown(context).encode("utf-8")
    if fmt == "xlsx":
        from srm_tui.report.xlsx import to_xlsx

        return to_xlsx(context)
    if fmt == "oscal":
        from srm_tui.report.oscal import to_oscal

        return to_oscal(assessment, context)
    roots = template_roots(template_dir)
    logo = branding.logo.resolve() if branding.logo else None
    if fmt == "html":
        context["logo_url"] = _data_uri(logo) if logo else ""
        return render_html(context, roots).encode("utf-8")
    context["logo_url"] = logo.as_uri() if logo else ""
    html = render_html(context, roots)
    from srm_tui.report.pdf import render_pdf

    attachments = [
        ("answers.yaml", _answers_bytes(assessment), "The answers this report was made from"),
        ("assessment.json", exports.to_json(assessment).encode("utf-8"), "The computed assessment"),
    ]
    return render_pdf(
        html,
        base_dir=roots[-1] / "report",
        roots=roots,
        files=[logo] if logo else [],
        attachments=attachments,
        variant=pdf_variant,
        forms=fillable,
        progress=step,
        # Templates of one's own may name pages of another size: one process for them.
        parallel=template_dir is None,
    )


def suffix(fmt: str) -> str:
    """The file ending a report of ``fmt`` gets: ``.pdf``, ``.oscal.json``, …"""
    return SUFFIXES.get(fmt, f".{fmt}")


def step_text(step: str, pages: int | None) -> str:
    """A progress step in words: "Laying out pages (12 laid out)", "Writing the PDF
    (46 pages)". While laying out, the total is not known yet, so none is claimed."""
    from srm_tui.report.pdf import LAYING_OUT

    if not pages:
        return step
    return f"{step} ({pages} laid out)" if step == LAYING_OUT else f"{step} ({pages} pages)"


def _no_progress(step: str, pages: int | None) -> None:
    pass


def _data_uri(path: Path) -> str:
    import base64
    import mimetypes

    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def write_report(assessment: Assessment, out: Path, fmt: str = "pdf", **options: Any) -> Path:
    """Render ``assessment`` as ``fmt`` into ``out`` atomically; returns the path written."""
    out = Path(out)
    if out.is_dir():
        raise InputError(out, None, "is a folder; give a file name")
    if not out.parent.is_dir():
        raise InputError(out, None, "the folder does not exist")
    data = render(assessment, fmt, **options)
    try:
        yamlio.write_atomic(out, data, mode=REPORT_MODE)
    except OSError as exc:
        raise InputError(out, None, f"cannot write: {exc.strerror or exc}") from None
    return out
