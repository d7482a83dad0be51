"""The export dialog: which folder, which formats, whose branding.

Everything is checked before anything is written: a folder that is missing, not a
folder or not writable, no format ticked or a colour that is not ``#rrggbb`` is said
in the dialog, which stays open. Branding starts from the config file ``srm config``
names; changes here apply to this export only.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from srm_tui.engine.errors import InputError
from srm_tui.tui.export_job import ExportRequest
from srm_tui.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from srm_tui.report.config import Branding

FORMATS = (
    ("pdf", "PDF"),
    ("html", "HTML"),
    ("json", "JSON"),
    ("csv", "CSV"),
    ("md", "Markdown"),
    ("xlsx", "Excel"),
    ("oscal", "OSCAL SSP"),
)
LABELS = dict(FORMATS)


def folder_problem(folder: Path) -> str | None:
    """Why reports cannot be written into ``folder``, or None when they can."""
    if not folder.exists():
        return f"{folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    try:  # the real test: create (and remove) a file there
        with tempfile.TemporaryFile(dir=folder, prefix=".srm-check-"):
            pass
    except OSError as exc:
        return f"cannot write to {folder}: {exc.strerror or exc}"
    return None


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Dismisses with what to export, or None (Esc, Cancel)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, folder: Path, formats: tuple[str, ...], ask_folder: bool = True) -> None:
        super().__init__()
        self.folder = folder
        self.formats = formats
        self.ask_folder = ask_folder  # in the browser the files are downloads instead
        self.branding: Branding | None = None  # loaded on mount

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as box:
            box.border_title = "Export the checklist"
            if self.ask_folder:
                with Horizontal(classes="field"):
                    yield Label("Folder", classes="field-label")
                    yield TextInput(str(self.folder), id="export-folder", compact=True)
            with Horizontal(classes="field", id="export-formats"):
                yield Label("Formats", classes="field-label")
                with Grid(id="export-format-boxes"):
                    for fmt, label in FORMATS:
                        yield Checkbox(label, fmt in self.formats, id=f"fmt-{fmt}", compact=True)
            with Horizontal(classes="field"):
                yield Label("Firm", classes="field-label")
                yield TextInput(
                    placeholder="Your firm's name (cover and footer)",
                    id="export-firm",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Accent", classes="field-label")
                yield TextInput(placeholder="#rrggbb", id="export-accent", compact=True)
            yield Static(id="export-problem")
            with Horizontal(id="export-dialog-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)

    def on_mount(self) -> None:
        from srm_tui.report.config import Branding, load_branding

        try:
            branding = load_branding()
        except InputError as exc:
            branding = Branding()
            self.problem(f"{exc.message} (using the default branding)")
        self.branding = branding
        self.query_one("#export-firm", Input).value = branding.firm
        self.query_one("#export-accent", Input).value = branding.accent
        self.query_one("#export-go", Button).focus()

    def problem(self, text: str) -> None:
        self.query_one("#export-problem", Static).update(Content(text).stylize("$text-error"))

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted)
    def export(self) -> None:
        from srm_tui.report.config import check

        formats = tuple(f for f, _ in FORMATS if self.query_one(f"#fmt-{f}", Checkbox).value)
        if not formats:
            self.problem("Tick at least one format.")
            return
        folder = self.folder
        if self.ask_folder:
            folder = Path(self.query_one("#export-folder", Input).value.strip()).expanduser()
            reason = folder_problem(folder)
            if reason:
                self.problem(reason)
                self.query_one("#export-folder", Input).focus()
                return
            folder = folder.resolve()
        assert self.branding is not None  # the dialog is mounted before it can export
        branding = replace(
            self.branding,
            firm=self.query_one("#export-firm", Input).value.strip(),
            accent=self.query_one("#export-accent", Input).value.strip(),
        )
        try:
            check(branding, None)
        except InputError as exc:
            self.problem(exc.problem)
            return
        self.dismiss(ExportRequest(folder, formats, branding))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
