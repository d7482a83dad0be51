"""Start-up: the first question is on screen and takes keys before the rest of the
interview screen is built; the rest follows with the right content; keys typed before
the question has focus reach it, in order."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.widgets import Footer, Header, Input, Markdown
from tui_support import answers_file, make_app

from srm_tui.tui.screens.interview import NO_HELP, STATUS_DELAY, InterviewScreen
from srm_tui.tui.widgets.bar import ResponsibilityBar
from srm_tui.tui.widgets.questions import Editor
from srm_tui.tui.widgets.sidebar import Sidebar


def hold(monkeypatch, method: str) -> Callable[[], None]:
    """Keep the interview screen's ``method`` from running until the function returned
    is called: it runs the calls held so far on the screen, and lets later ones through."""
    original = getattr(InterviewScreen, method)
    calls = []
    monkeypatch.setattr(InterviewScreen, method, lambda self, *args: calls.append((self, args)))

    def release() -> None:
        monkeypatch.setattr(InterviewScreen, method, original)
        for screen, args in calls:
            screen.call_later(original, screen, *args)

    return release


def editor_of(app) -> Editor | None:
    focused = app.focused
    return next((a for a in focused.ancestors if isinstance(a, Editor)), None) if focused else None


def burst(app, *keys: str) -> None:
    """Keys as the terminal hands them over (``ctrl+j``: Enter typed in line mode)."""
    for key in keys:
        character = {"enter": "\r", "ctrl+j": "\n"}.get(key, key)
        app._driver.send_message(events.Key(key, character))


async def test_the_first_question_takes_keys_before_the_rest_of_the_screen(tmp_path, monkeypatch):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="hosting")
    furnish = hold(monkeypatch, "_furnish")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        editor = editor_of(app)
        assert editor is not None and editor.cq.id == "hosting"
        for absent in (Header, Sidebar, ResponsibilityBar, Footer, Markdown):
            assert not screen.query(absent), absent
        assert not screen.query("#note") and not screen.query("#help")

        await pilot.press("down", "enter")  # Half and half, and on to the next question
        await pilot.pause()
        assert app.interview.value("hosting") == "hybrid"
        assert app.interview.current_id == "uses_msp"
        assert not screen.query(Sidebar)

        furnish()
        await pilot.pause(STATUS_DELAY * 3)
        await pilot.pause()
        sidebar = screen.query_one(Sidebar)
        prompts = [str(sidebar.get_option_at_index(i).prompt) for i in range(3)]
        assert "Cloud footprint" in prompts[0] and "2/2" in prompts[0]
        assert "Operations" in prompts[1] and "0/2" in prompts[1]
        assert sidebar.highlighted == 1  # the section of the question on screen
        bar = screen.query_one(ResponsibilityBar)
        assert bar.shares == app.interview.assessment().shares["overall"]
        assert screen.query_one("#note", Input).value == ""
        assert screen.query_one(Header) and screen.query_one(Footer).children
        assert screen.query_one("#help-text", Markdown).source == NO_HELP  # uses_msp has none
        assert editor_of(app).cq.id == "uses_msp"  # the focus stayed on the question


async def test_keys_typed_before_the_first_question_has_focus_reach_it(tmp_path, monkeypatch):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="hosting")
    shown = hold(monkeypatch, "_shown")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        burst(app, "down", "down", "ctrl+j", "y")
        await pilot.pause()
        assert app.focused is None and app.interview.value("hosting") is None

        shown()
        await pilot.pause(0.2)
        assert app.interview.value("hosting") == "onprem"  # down, down, Enter
        assert app.interview.current_id == "uses_msp"
        assert editor_of(app).cq.id == "uses_msp"


async def test_moving_on_before_the_rest_is_built_then_with_its_buttons(tmp_path, monkeypatch):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="hosting")
    furnish = hold(monkeypatch, "_furnish")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")  # moving on works without the buttons
        await pilot.pause()
        assert app.interview.current_id == "uses_msp"
        furnish()
        await pilot.pause()
        await pilot.pause()
        await pilot.click("#back")
        await pilot.pause()
        assert app.interview.current_id == "hosting"
