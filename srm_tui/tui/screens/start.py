"""Start a new engagement, resume a recent one, or open an answers file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import events, getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from srm_tui import engagements
from srm_tui.engine.errors import InputError
from srm_tui.tui.app import SrmApp
from srm_tui.tui.widgets.footer import KeyFooter
from srm_tui.tui.widgets.text_input import TextInput

FIELDS = (
    ("client", "Client", "Organisation assessed (required)"),
    ("assessor", "Assessor", "Your name"),
    ("date", "Date", "YYYY-MM-DD"),
    ("scope", "Scope", "e.g. Production workloads"),
    ("classification", "Class.", "e.g. Confidential"),
)


def engagement_prompt(e: engagements.Engagement) -> Content:
    if e.problem:
        return Content.assemble(
            Content(e.path.name).stylize("bold"), "\n", Content(e.problem).stylize("$text-error")
        )
    return Content.assemble(
        Content(e.client).stylize("bold"),
        "\n",
        (f"{e.date} · {e.answered}/{e.total} answered", "$text-muted"),
    )


class ClientInUseScreen(ModalScreen[str | None]):
    """The client has an engagement already: resume it ("resume") or start a new one
    ("new"); Esc goes back to the form."""

    BINDINGS = [Binding("escape", "cancel", "Back to the form")]

    def __init__(self, existing: engagements.Engagement, others: int) -> None:
        super().__init__()
        self.existing = existing
        self.others = others

    def compose(self) -> ComposeResult:
        e = self.existing
        with Vertical(id="in-use") as box:
            box.border_title = "Client already has an engagement"
            yield Static(
                Content.assemble(
                    "An engagement for ",
                    Content(e.client).stylize("bold"),
                    " exists: ",
                    f"{e.date} · {e.answered}/{e.total} answered",
                    (f" (and {self.others} more)" if self.others else "", "$text-muted"),
                )
            )
            yield Static(Content(e.path.name).stylize("$text-muted"), id="in-use-path")
            with Horizontal(id="in-use-buttons"):
                yield Button("Resume it", id="in-use-resume", variant="primary", compact=True)
                yield Button("Start a new one", id="in-use-new", compact=True)
                yield Button("Cancel", id="in-use-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#in-use-resume", Button).focus()

    @on(Button.Pressed)
    def chosen(self, event: Button.Pressed) -> None:
        choice = (event.button.id or "").removeprefix("in-use-")
        self.dismiss(None if choice == "cancel" else choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StartScreen(Screen[None]):
    """The first screen of a bare ``srm``."""

    app = getters.app(SrmApp)

    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (60, "-narrow")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="start"):
            with Vertical(id="new") as new:
                new.border_title = "New engagement"
                for key, label, placeholder in FIELDS:
                    with Horizontal(classes="field"):
                        yield Label(label, classes="field-label")
                        yield TextInput(placeholder=placeholder, id=f"meta-{key}", compact=True)
                yield Static(id="start-error")
                yield Button("Start interview", id="start-new", variant="primary", compact=True)
            with Vertical(id="resume") as resume:
                resume.border_title = "Resume"
                yield OptionList(id="recent")
                yield Label("Or open an answers file:")
                yield TextInput(placeholder="path/to/answers.yaml", id="open-path", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Start"
        self.query_one("#meta-date", Input).value = self.app.today.isoformat()
        self.recent = engagements.recent(self.app.pack)
        listing = self.query_one("#recent", OptionList)
        if self.recent:
            listing.add_options(
                [Option(engagement_prompt(e), id=str(i)) for i, e in enumerate(self.recent)]
            )
        else:
            listing.add_option(Option("No saved engagements yet.", disabled=True))
        self.query_one("#meta-client", Input).focus()

    def problem(self, text: str) -> None:
        self.query_one("#start-error", Static).update(Content(text).stylize("$text-error"))

    @on(Button.Pressed, "#start-new")
    @on(Input.Submitted, "#new Input")
    def start_new(self) -> None:
        typed = {key: self.query_one(f"#meta-{key}", Input).value.strip() for key, *_ in FIELDS}
        if not typed["client"]:
            self.problem("Enter the client's name to start.")
            self.query_one("#meta-client", Input).focus()
            return
        try:
            date = dt.date.fromisoformat(typed["date"]) if typed["date"] else self.app.today
        except ValueError:
            self.problem(f"{typed['date']!r} is not a date (use YYYY-MM-DD).")
            self.query_one("#meta-date", Input).focus()
            return
        meta: dict[str, str | dt.date] = {
            k: date if k == "date" else v for k, v in typed.items() if k == "date" or v
        }
        existing = engagements.with_client(self.app.pack, typed["client"])
        if not existing:
            self.create(meta)
            return

        def decided(choice: str | None) -> None:
            if choice == "resume":
                self.open_path(existing[0].path)
            elif choice == "new":
                self.create(meta)
            else:
                self.query_one("#meta-client", Input).focus()

        self.app.push_screen(ClientInUseScreen(existing[0], len(existing) - 1), decided)

    def create(self, meta: dict[str, str | dt.date]) -> None:
        try:
            answers = engagements.create(self.app.pack, **meta)
        except (InputError, OSError) as exc:
            self.problem(getattr(exc, "message", str(exc)))
            return
        self.app.open_interview(answers)

    @on(events.DescendantFocus)
    def list_focused(self, event: events.DescendantFocus) -> None:
        """Tabbing into the recent list puts the cursor on its first engagement."""
        listing = self.query_one("#recent", OptionList)
        if event.widget is listing and listing.highlighted is None and self.recent:
            listing.highlighted = 0

    @on(OptionList.OptionSelected, "#recent")
    def resume(self, event: OptionList.OptionSelected) -> None:
        chosen = self.recent[int(event.option.id or 0)]
        self.open_path(chosen.path)

    @on(Input.Submitted, "#open-path")
    def open_typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text:
            path = Path(text).expanduser()
            if not path.is_file():
                self.problem(f"{path}: no such answers file")
                return
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        from srm_tui.engine.answers import load_answers

        try:
            answers = load_answers(path, self.app.pack)
        except InputError as exc:
            self.problem(exc.message)
            return
        self.app.open_interview(answers)
