"""Keys and how answers are kept (text in ``help.md`` beside the package)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from srm_tui.tui.widgets.footer import KeyFooter

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q,question_mark", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP_FILE.read_text(encoding="utf-8"), open_links=False)
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
