"""The assessment as it stands: the split per service model, the layer matrix, the
controls (filterable), the belief check, a what-if for replacing a service, and export
(in the browser, also offered as downloads).

Reports are made in a child process (``export_job``), watched from a worker thread,
so the app keeps answering keys and WeasyPrint is never imported into the app.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from dataclasses import asdict, replace
from pathlib import Path

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Header,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from srm_tui.engine.assessment import Assessment, ControlResult
from srm_tui.engine.interview import Interview
from srm_tui.engine.values import given
from srm_tui.engine.vocabulary import MODEL_LABELS, OWNER_LABELS, OWNERS, REF_LABELS, STATUS_LABELS
from srm_tui.plain_text import cell_text, counted_line
from srm_tui.tui import export_job, prerender
from srm_tui.tui.app import SrmApp
from srm_tui.tui.export_job import Event, ExportRequest
from srm_tui.tui.screens import tracking as tracking_form
from srm_tui.tui.screens.export import LABELS
from srm_tui.tui.widgets.bar import ResponsibilityBar
from srm_tui.tui.widgets.beliefs import BeliefCheck
from srm_tui.tui.widgets.footer import KeyFooter
from srm_tui.tui.widgets.whatif import WhatIf

OWNER_STYLES = {
    "customer": "bold #ffffff on #b23a48",
    "shared": "bold #1b1b1b on #e0a526",
    "provider": "bold #ffffff on #2f6fb2",
    "third_party": "bold #ffffff on #7b4fa0",
    "not_applicable": "dim",
}
STATUS_STYLES = {
    "implemented": "green",
    "alternative": "green",
    "partial": "dark_orange",
    "planned": "dark_orange",
    "not_implemented": "bold red",
    "unknown": "dark_orange",
    "not_applicable": "dim",
    "risk_accepted": "magenta",
}
STEPS = {"pdf": 3}  # building, laying out, writing; the other formats: building only


def owner_cell(owner: str) -> Text:
    return Text(f" {OWNER_LABELS.get(owner, owner)} ", style=OWNER_STYLES.get(owner, ""))


def matrix_cell(row: dict, model: str) -> Text:
    """An owner, or a marker for a cell whose services disagree (listed under the table)."""
    if row[model] != "mixed":
        return owner_cell(row[model])
    return Text(" Differs * ", style="bold reverse")


def status_cell(status: str | None, width: int = 0) -> Text:
    if status is None:
        return Text("—".ljust(width), style="dim")
    label = STATUS_LABELS.get(status, status).ljust(width)
    return Text(label, style=STATUS_STYLES.get(status, ""))


def control_details(result: ControlResult, assessment: Assessment) -> Content:
    """What to do, the evidence and the references of one control, as plain text."""
    c = result.control
    pack = assessment.pack
    lines = [
        Content.assemble((f"{c.id} ", "bold"), Content(c.title).stylize("bold")),
        Content.assemble(
            ("Owner: ", "bold"),
            OWNER_LABELS.get(result.owner, result.owner),
            ("   Status: ", "bold"),
            STATUS_LABELS.get(result.status, "—") if result.status else "—",
            ("   Priority: ", "bold"),
            c.priority,
        ),
        Content.assemble(
            ("Services: ", "bold"),
            Content(assessment.scope_of(result)),
        ),
        Content.assemble(("What to do: ", "bold"), Content(c.what)),
        Content("Evidence:").stylize("bold"),
        *[Content(f"  • {item}") for item in c.evidence],
    ]
    if result.parts:
        lines.append(Content.assemble(("Your part: ", "bold"), Content(result.customer_part)))
        lines.append(Content.assemble(("Provider's part: ", "bold"), Content(result.provider_part)))
    if c.from_provider:
        lines.append(Content.assemble(("From the provider: ", "bold"), Content(c.from_provider)))
    refs = "; ".join(
        f"{REF_LABELS.get(k, k)} {', '.join(v)}" for k, v in asdict(c.refs).items() if v
    )
    lines.append(Content.assemble(("References: ", "bold"), Content(refs)))
    if result.reasons:
        answers = assessment.answers.answers
        reasons = "; ".join(given(pack, answers, q) for q in result.reasons)
        lines.append(Content.assemble(("From the answers: ", "bold"), Content(reasons)))
    if result.status is not None:
        lines += tracking_form.tracking_lines(result)
    return Content("\n").join(lines)


class ResultsScreen(Screen[str | None]):
    """Dismisses with a question id to edit (the answer behind a control) or None."""

    app = getters.app(SrmApp)

    BINDINGS = [
        Binding("t", "track", "Track duty", show=False),
        Binding("escape", "close", "Back to questions"),
        Binding("e", "edit_reason", "Edit answer", show=False),
        Binding("ctrl+e", "export", "Export"),
    ]

    def __init__(self, interview: Interview) -> None:
        super().__init__()
        self.interview = interview
        self.assessment = interview.assessment()
        self._shown: list[ControlResult] = []
        self._title_width = 0
        self._exporting = False
        self._written: list[Path] = []
        self._problems: list[str] = []
        self.export_steps: list[tuple[str, int | None]] = []  # as shown, for the record
        self._last_step = ("", "")  # format and step last shown

    def compose(self) -> ComposeResult:
        a = self.assessment
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("Split", id="tab-split"), VerticalScroll():
                yield Static(id="scope")
                yield ResponsibilityBar("Overall", label_width=13, classes="model-bar")
                for model in a.models:
                    yield ResponsibilityBar(
                        MODEL_LABELS[model], label_width=13, id=f"bar-{model}", classes="model-bar"
                    )
                yield Static(Content(counted_line(a)), id="counted")
                yield Static(id="gaps")
            with TabPane("Matrix", id="tab-matrix"), Vertical():
                yield DataTable(id="matrix", cursor_type="none", zebra_stripes=True)
                yield Static(id="matrix-mixed")
            with TabPane("Controls", id="tab-controls"), Vertical():
                with Horizontal(id="filters"):
                    yield Select(
                        [(OWNER_LABELS[o], o) for o in OWNERS],
                        prompt="Any owner",
                        id="f-owner",
                        compact=True,
                    )
                    yield Select(
                        tracking_form.status_options(),
                        prompt="Any status",
                        id="f-status",
                        compact=True,
                    )
                    yield from tracking_form.filter_selects(a)
                    yield Select(
                        [(Content(d.title), d.id) for d in a.pack.domains],
                        prompt="Any domain",
                        id="f-domain",
                        compact=True,
                    )
                yield Static(tracking_form.progress_line(a), id="track-progress")
                yield DataTable(id="controls", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="detail-box"):
                    yield Static(id="detail")
            with TabPane("Beliefs", id="tab-beliefs"):
                yield BeliefCheck(a)
            with TabPane("What-if", id="tab-whatif"):
                yield WhatIf(a)
            with TabPane("Export", id="tab-export"), Vertical(id="export"):
                yield Static(self.export_intro(), id="export-intro")
                with Horizontal(id="export-buttons"):
                    yield Button("Export…", id="export-open", variant="primary", compact=True)
                    if self.app.is_web:
                        yield Button("Answers file", id="download-answers", compact=True)
                yield ProgressBar(id="export-progress", show_eta=False)
                yield Static(id="export-step")
                yield Static(id="export-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        a = self.assessment
        self.sub_title = "Results"
        names = ", ".join(s.name for s in a.services) or "none yet (answer the services question)"
        self.query_one("#scope", Static).update(
            Content.assemble(("Services in scope: ", "bold"), Content(names))
        )
        bars = list(self.query(ResponsibilityBar))
        bars[0].shares = a.shares["overall"]
        for model, bar in zip(a.models, bars[1:], strict=True):
            bar.shares = a.shares["by_model"][model]
        gaps = a.gaps[:5]
        lines = [Content("Top open customer duties:").stylize("bold")]
        lines += [
            Content.assemble(
                "  ",
                Content.from_rich_text(status_cell(g.status, 16)),
                " ",
                Content(g.control.title),
            )
            for g in gaps
        ]
        self.query_one("#gaps", Static).update(Content("\n").join(lines) if gaps else "")
        matrix = self.query_one("#matrix", DataTable)
        matrix.add_column("Layer", key="layer")
        for model in a.models:
            matrix.add_column(MODEL_LABELS[model], key=model)
        for row in a.matrix:
            layer = a.pack.layer_by_id[row["layer"]]
            matrix.add_row(Text(layer.title), *[matrix_cell(row, m) for m in a.models])
        mixed = [
            f"* {a.pack.layer_by_id[row['layer']].title}, {MODEL_LABELS[m]}: "
            + cell_text(a, row, m)
            for row in a.matrix
            for m in a.models
            if row[m] == "mixed"
        ]
        self.query_one("#matrix-mixed", Static).update(Content("\n".join(mixed)))
        self.control_columns(self.size.width)
        self.fill_controls()
        self.query_one(ProgressBar).display = False
        self.app.prerender.soon(self.interview, prerender.SHOWN)

    # -- controls ----------------------------------------------------------------------
    def title_width(self, width: int) -> int:
        """The control's title takes the width the other columns leave."""
        results = self.assessment.controls
        fixed = (
            max((len(r.control.id) for r in results), default=2)
            + max((len(OWNER_LABELS.get(r.owner, r.owner)) + 2 for r in results), default=8)
            + max((len(STATUS_LABELS.get(r.status or "", "—")) for r in results), default=6)
        )
        return max(20, width - fixed - 2 * 4 - 2)  # cell padding, scrollbar

    def control_columns(self, width: int) -> None:
        self._title_width = self.title_width(width)
        table = self.query_one("#controls", DataTable)
        table.clear(columns=True)
        table.add_column("Id", key="id")
        table.add_column("Control", key="title", width=self._title_width)
        table.add_column("Owner", key="owner")
        table.add_column("Status", key="status")

    def on_resize(self, event) -> None:
        if self.title_width(event.size.width) != self._title_width:
            table = self.query_one("#controls", DataTable)
            row = table.cursor_row
            self.control_columns(event.size.width)
            self.fill_controls()
            if 0 <= row < table.row_count:
                table.move_cursor(row=row)

    def _filter_value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def fill_controls(self) -> None:
        owner = self._filter_value("#f-owner")
        status = self._filter_value("#f-status")
        domain = self._filter_value("#f-domain")
        assignee, due = self._filter_value("#f-assignee"), self._filter_value("#f-overdue")
        self._shown = [
            r
            for r in self.assessment.controls
            if (owner is None or r.owner == owner)
            and (status is None or r.status == status)
            and (domain is None or r.control.domain == domain)
            and tracking_form.keep(r, assignee, due)
        ]
        table = self.query_one("#controls", DataTable)
        table.clear()
        for r in self._shown:
            table.add_row(
                r.control.id,
                Text(r.control.title, no_wrap=True, overflow="ellipsis"),
                owner_cell(r.owner),
                status_cell(r.status),
                key=r.control.id,
            )
        self.show_detail(0)

    def show_detail(self, index: int) -> None:
        detail = self.query_one("#detail", Static)
        if not self._shown:
            detail.update("No control matches these filters.")
        elif 0 <= index < len(self._shown):
            detail.update(control_details(self._shown[index], self.assessment))

    @on(Select.Changed, "#filters Select")
    def filter_changed(self) -> None:
        self.fill_controls()

    @on(DataTable.RowHighlighted, "#controls")
    def control_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    @on(DataTable.RowSelected, "#controls")
    def action_track(self) -> None:
        """Open the highlighted duty's tracking form; on save, show the new assessment."""
        table = self.query_one("#controls", DataTable)
        if not self._shown or not table.has_focus:
            return
        result = self._shown[table.cursor_row]

        def saved(changed: bool | None) -> None:
            if changed:
                self.tracking_saved(result.control.id)

        self.app.push_screen(tracking_form.TrackingForm(self.interview, result), saved)

    def tracking_saved(self, control_id: str) -> None:
        self.assessment = self.interview.assessment()
        self.app.prerender.soon(self.interview, prerender.CHANGED)
        assignees = self.query_one("#f-assignee", Select)
        assignees.set_options(tracking_form.assignee_options(self.assessment))
        self.query_one("#track-progress", Static).update(
            tracking_form.progress_line(self.assessment)
        )
        self.fill_controls()
        ids = [r.control.id for r in self._shown]
        if control_id in ids:
            table = self.query_one("#controls", DataTable)
            table.move_cursor(row=ids.index(control_id))
            self.show_detail(ids.index(control_id))

    def action_edit_reason(self) -> None:
        table = self.query_one("#controls", DataTable)
        if table.has_focus and self._shown and self._shown[table.cursor_row].reasons:
            self.dismiss(self._shown[table.cursor_row].reasons[0])

    def action_close(self) -> None:
        self.dismiss(None)

    # -- export ------------------------------------------------------------------------
    def export_intro(self) -> str:
        if self.app.is_web:
            return "Write the responsibility checklist and download it, or download your answers."
        return (
            "Write the responsibility checklist (PDF, HTML, JSON, CSV or Markdown) into a "
            "folder of your choice, with your firm's name and colour."
        )

    @on(Button.Pressed, "#download-answers")
    def download_answers(self) -> None:
        """In the browser: the answers file as a download (saved first, so it is current)."""
        self.interview.save()
        path = self.interview.file.path
        assert path is not None  # in the browser every participant's answers are a file
        self.app.deliver_text(path, mime_type="application/yaml")
        self.query_one("#export-result", Static).update(
            Content.assemble(("Download started: ", "bold $text-success"), path.name)
        )

    @on(Button.Pressed, "#export-open")
    def action_export(self) -> None:
        """Open the export dialog (the folder defaults to the last one used for this
        engagement, else the folder the app was started in)."""
        from srm_tui import engagements
        from srm_tui.tui.screens.export import ExportScreen

        if self._exporting:
            return
        path = self.interview.file.path
        if self.app.is_web:
            folder = path.parent if path else Path.cwd()
        else:
            last = engagements.export_folder(path) if path else None
            folder = last if last is not None and last.is_dir() else self.app.start_dir
        dialog = ExportScreen(folder, self.app.export_formats, ask_folder=not self.app.is_web)
        self.app.push_screen(dialog, self.start_export)

    def start_export(self, request: ExportRequest | None) -> None:
        from srm_tui import engagements

        if request is None:
            return
        iv = self.interview
        iv.save()  # the PDF carries the answers file as it is on disk
        if iv.file.path is not None and not self.app.is_web:
            engagements.remember_export_folder(iv.file.path, request.folder)
        self.app.export_formats = request.formats
        self.query_one("#tabs", TabbedContent).active = "tab-export"  # where progress shows
        self._exporting = True
        self._written = []
        self._problems = []
        self.export_steps = []
        self._last_step = ("", "")
        steps = sum(STEPS.get(fmt, 1) + 1 for fmt in request.formats)  # + written
        bar = self.query_one(ProgressBar)
        bar.update(total=steps, progress=0)
        bar.display = True
        self.query_one("#export-open", Button).disabled = True
        self.query_one("#export-result", Static).update("")
        made = None  # the background render of exactly this PDF, finished or not
        if "pdf" in request.formats:
            made = self.app.prerender.matching(self.app.prerender.key_for(iv, request.branding))
        if made is None:
            self.app.prerender.hold()  # this export makes the PDF itself
        self.export(request, copy.deepcopy(iv.file.raw), made)

    @work(thread=True, exclusive=True, group="export")
    def export(self, request: ExportRequest, raw: dict, made: prerender.Render | None) -> None:
        """Runs the child process and hands on what it reports (see ``export_job``);
        a PDF rendered in the background is copied instead of made again."""
        worker = get_current_worker()
        app = self.app
        finished = threading.Event()
        app.export_jobs.append(finished)  # quitting waits for the child to be stopped
        path = self.interview.file.path
        try:
            if made is not None:
                target = request.folder / export_job.report_name(path, "pdf")
                for message in prerender.follow(made, target, lambda: worker.is_cancelled):
                    app.call_from_thread(self.export_message, *message)
                rest = tuple(f for f in request.formats if f != "pdf")
                request = replace(request, formats=rest)
            messages: Iterable[Event] = ()
            if request.formats and not worker.is_cancelled:
                messages = export_job.run(
                    app.pack.path, raw, path, request, lambda: worker.is_cancelled
                )
            for message in messages:
                app.call_from_thread(self.export_message, *message)
            if worker.is_cancelled:
                app.export_stopped = True  # said on quitting
            else:
                app.call_from_thread(self.export_done)
        finally:
            finished.set()

    def export_message(self, kind: str, fmt: str, text: str, number: int | None) -> None:
        bar = self.query_one(ProgressBar)
        label = LABELS.get(fmt, fmt)
        if kind == "step":
            from srm_tui.report import step_text

            new = self._last_step != (fmt, text)  # not just one more page laid out
            self._last_step = (fmt, text)
            self.export_steps.append((text, number))
            self.query_one("#export-step", Static).update(f"{label}: {step_text(text, number)}…")
            if new:
                bar.advance(1)
        elif kind == "written":
            written = Path(text)
            self._written.append(written)
            self.app.exported.append(written)
            bar.advance(1)
            if self.app.is_web:
                self.app.deliver_binary(written)
        else:
            self._problems.append(text)

    def export_done(self) -> None:
        self._exporting = False
        bar = self.query_one(ProgressBar)
        if bar.total is not None:  # set when the export started
            bar.update(progress=bar.total)
        self.query_one("#export-open", Button).disabled = False
        self.query_one("#export-step", Static).update("")
        lines = []
        if self._written:
            done = "Download started: " if self.app.is_web else "Written: "
            shown = [p.name if self.app.is_web else str(p) for p in self._written]
            lines.append(Content.assemble((done, "bold $text-success"), ", ".join(shown)))
            self.notify("\n".join(shown), title="Report written")
        for problem in self._problems:
            lines.append(Content(problem).stylize("$text-error"))
            self.notify(problem, severity="error")
        self.query_one("#export-result", Static).update(Content("\n").join(lines))
