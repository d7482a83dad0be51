"""The first screen of a workshop participant (``srm serve``): a name, then the interview.

Each browser runs its own app, so this screen only ever creates a new answers file in
the workshop folder; it never lists or opens anyone else's answers. The file is noted
under the browser's participant token, so a reload resumes it instead of coming here.
"""

from __future__ import annotations

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Static

from srm_tui import engagements, participants
from srm_tui.engagements import Workshop
from srm_tui.engine.errors import InputError
from srm_tui.tui.app import SrmApp
from srm_tui.tui.widgets.footer import KeyFooter
from srm_tui.tui.widgets.text_input import TextInput

INTRO = (
    "Answer the questions as you see things; there are no wrong answers. Your answers "
    "are kept for the facilitator, who compares everyone's. Results → Export lets you "
    "download your answers and a checklist."
)


class WorkshopStartScreen(Screen[None]):
    """Who is answering; starting creates their answers file in ``room``."""

    app = getters.app(SrmApp)

    def __init__(self, room: Workshop) -> None:
        super().__init__()
        self.room = room

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="workshop") as box:
            box.border_title = "Join the workshop"
            yield Static(id="workshop-about")
            yield Static(INTRO, id="workshop-intro")
            with Horizontal(classes="field"):
                yield Label("Name", classes="field-label")
                yield TextInput(placeholder="Your name (required)", id="ws-name", compact=True)
            with Horizontal(classes="field"):
                yield Label("Role", classes="field-label")
                yield TextInput(placeholder="e.g. Cloud engineer", id="ws-role", compact=True)
            yield Static(id="start-error")
            yield Button("Start", id="ws-start", variant="primary", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Workshop"
        client = self.room.client
        about = self.query_one("#workshop-about", Static)
        if client:
            about.update(Content.assemble(("Workshop for ", "bold"), Content(client)))
        about.display = bool(client)
        self.query_one("#ws-name", Input).focus()

    @on(Button.Pressed, "#ws-start")
    @on(Input.Submitted, "#workshop Input")
    def start(self) -> None:
        name = self.query_one("#ws-name", Input).value.strip()
        role = self.query_one("#ws-role", Input).value.strip()
        error = self.query_one("#start-error", Static)
        if not name:
            error.update(Content("Enter your name to start.").stylize("$text-error"))
            self.query_one("#ws-name", Input).focus()
            return
        try:
            answers = engagements.join(self.app.pack, self.room, name, self.app.today, role=role)
            if self.room.participant:
                assert answers.path is not None  # join saved the file, so it has a path
                participants.remember(self.room.folder, self.room.participant, answers.path)
        except (InputError, OSError) as exc:
            error.update(Content(getattr(exc, "message", str(exc))).stylize("$text-error"))
            return
        self.app.open_interview(answers)
