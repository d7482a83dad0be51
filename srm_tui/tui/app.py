"""The srm Textual app: screens over one ``Interview`` from the engine."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.background_save import BackgroundWriter
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack import Pack

if TYPE_CHECKING:
    from srm_tui.engagements import Workshop
    from srm_tui.tui.prerender import Prerender

THEMES = ("textual-dark", "textual-light")


class SrmApp(App[None]):
    """Start (or resume) an engagement and interview; ``answers`` skips the start screen.

    With ``workshop`` (a folder), the start screen only creates a new participant's
    answers file there: one app runs per browser under ``srm serve``.
    """

    CSS_PATH = "srm.tcss"
    TITLE = "srm"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

    def __init__(
        self,
        pack: Pack,
        answers: AnswersFile | None = None,
        today: dt.date | None = None,
        workshop: Workshop | None = None,
    ) -> None:
        super().__init__()
        self.pack = pack
        self.workshop = workshop
        self.answers = answers
        self.today = today or dt.date.today()
        self.interview: Interview | None = None
        self.theme = THEMES[0]
        self.start_dir = Path.cwd()  # where exports go unless the person says otherwise
        self.export_formats: tuple[str, ...] = ("pdf",)
        self.exported: list[Path] = []  # reports written this session, in order
        self.export_stopped = False  # quit while a report was still being made
        self.export_jobs: list[threading.Event] = []  # set once each export has ended
        self.writer = BackgroundWriter(on_error=self.save_failed)  # autosaves, off screen
        # Keys that arrive while an interview screen is being built, before its first
        # question has focus (typed ahead at start-up): held in order, then sent on.
        self._early_keys: list[events.Key] | None = None

    @cached_property
    def prerender(self) -> Prerender:
        """The default PDF, made in the background while results are read."""
        from srm_tui.tui.prerender import Prerender

        return Prerender(self)

    def settle(self, timeout: float = 5.0) -> None:
        """After ``run``: wait until every export has finished or been stopped."""
        for finished in self.export_jobs:
            finished.wait(timeout)

    def on_unmount(self) -> None:
        if "prerender" in self.__dict__:  # made once results were shown
            self.prerender.close()
        self.writer.close()  # every answer given is on disk before the app ends

    class SaveFailed(Message):
        """The disk refused an autosave (posted from the writer's thread)."""

        def __init__(self, path: Path, error: OSError) -> None:
            super().__init__()
            self.path = path
            self.error = error

    def save_failed(self, path: Path, exc: OSError) -> None:
        # post_message is safe from another thread and does not wait for the app, which
        # may itself be waiting for this write.
        self.post_message(self.SaveFailed(path, exc))

    def on_srm_app_save_failed(self, event: SaveFailed) -> None:
        """Say so; the answers stay in memory and the next change tries again."""
        reason = event.error.strerror or str(event.error)
        message = f"Answers not saved to {event.path}: {reason}"
        self.notify(message, severity="error", timeout=10, markup=False)

    def farewell(self) -> str:
        """The line printed on quitting: where the answers are, and the reports made."""
        if self.answers is None or self.answers.path is None:
            from srm_tui.engagements import engagements_dir

            return f"srm: engagements are kept in {engagements_dir()}"
        line = f"srm: answers: {self.answers.path}"
        if self.exported:
            line += "; reports: " + ", ".join(dict.fromkeys(str(p) for p in self.exported))
        else:
            line += "; no reports written this session"
        if self.export_stopped:
            line += " (an unfinished export was stopped)"
        return line

    def on_load(self) -> None:
        # What exists before the first app starts (modules, the pack) lives as long as the
        # process: frozen, the collector's full passes skip it; the first such pass (15 ms)
        # fell in the first question's paint. Once: frozen again for each app, the garbage
        # of the apps before would never be collected (a process running many, the tests).
        if not gc.get_freeze_count():
            gc.freeze()

    def get_default_screen(self) -> Screen:
        """The interview, when the answers are given: no blank screen is built under it."""
        if self.answers is None:
            return super().get_default_screen()
        return self._interview_screen(self.answers)

    def on_mount(self) -> None:
        if self.answers is not None:
            return  # the interview is the default screen
        if self.workshop is not None:
            from srm_tui.tui.screens.workshop import WorkshopStartScreen

            self.push_screen(WorkshopStartScreen(self.workshop))
        else:
            from srm_tui.tui.screens.start import StartScreen

            self.push_screen(StartScreen())

    async def on_event(self, event: events.Event) -> None:
        if (
            self._early_keys is not None
            and isinstance(event, events.Key)
            and not event.is_forwarded
        ):
            # Enter typed before the terminal left line mode arrives as Ctrl+J (the
            # terminal turned its CR into LF).
            key = events.Key("enter", "\r") if event.key == "ctrl+j" else event
            self._early_keys.append(key)
            return
        await super().on_event(event)

    class QuestionReady(Message):
        """The interview's question has focus: the keys held until then can go to it."""

    def question_ready(self) -> None:
        """Called by the interview screen once its first question has focus."""
        if self._early_keys is not None:
            self.post_message(self.QuestionReady())  # after the keys already queued

    async def on_srm_app_question_ready(self) -> None:
        keys, self._early_keys = self._early_keys or [], None
        for key in keys:
            await super().on_event(key)

    def open_interview(self, answers: AnswersFile) -> None:
        """From a start screen: the interview takes its place."""
        self.switch_screen(self._interview_screen(answers))

    def _interview_screen(self, answers: AnswersFile) -> Screen:
        from srm_tui.tui.screens.interview import InterviewScreen

        self._early_keys = []  # until the first question has focus
        self.answers = answers
        self.interview = Interview(self.pack, answers, autosave=True, writer=self.writer)
        return InterviewScreen(self.interview)

    def action_help(self) -> None:
        from srm_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from srm_tui.tui.screens.interview import InterviewScreen

        yield SystemCommand("Toggle light/dark theme", "Switch theme", self.action_toggle_theme)
        yield SystemCommand("Help", "Keys and how answers are kept", self.action_help)
        if isinstance(screen, InterviewScreen):
            yield SystemCommand("Review answers", "Every answer in one table", screen.action_review)
            yield SystemCommand(
                "Results", "Split, matrix, controls and export", screen.action_results
            )
        yield from super().get_system_commands(screen)
