"""Helpers for the TUI tests: the stable fixture pack, answers files, a quiet app."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input

from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.pack_loader import load_pack

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "tui-pack"
TODAY = dt.date(2026, 1, 15)


def no_blink() -> None:
    """A steady cursor, so screenshots do not depend on timing."""
    Input.cursor_blink._default = False  # reactive default read on every new widget
    from textual.widgets import TextArea

    TextArea.cursor_blink._default = False


def fixture_pack():
    return load_pack(FIXTURE_PACK)


def answers_file(path: Path, answers=None, notes=None, position=None) -> Path:
    """Write an answers file for the fixture pack with a fixed date."""
    pack = fixture_pack()
    file = AnswersFile.new(
        pack, path, client="Acme Ltd", assessor="A. Tester", date=TODAY, scope="Production"
    )
    file.answers.update(answers or {})
    file.notes.update(notes or {})
    file.position = position
    file.save(pack)
    return path


def make_app(answers_path: Path | None = None, prerender: bool = False):
    """The app on the fixture pack; ``prerender`` turns on the background PDF render
    (off in tests otherwise, see conftest)."""
    from srm_tui.engine.answers import load_answers
    from srm_tui.tui.app import SrmApp

    no_blink()
    pack = fixture_pack()
    answers = load_answers(answers_path, pack) if answers_path else None
    app = SrmApp(pack, answers=answers, today=TODAY)
    if prerender:
        app.prerender.enabled = True
    return app


async def built(pilot) -> None:
    """Until the interview screen is complete: the sidebar, bar and help pane come after
    its first question has been painted, on a timer a single pause may end before."""
    while not pilot.app.screen.query("#help-text"):
        await pilot.pause(0.01)
