"""Start-up: the first question is on screen and takes keys before the rest of the
interview screen is built; the rest follows with the right content; keys typed before
the question has focus reach it, in order."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
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

    release.calls = calls  # type: ignore[attr-defined]
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
        assert screen.query_one(Header)
        for absent in (Sidebar, ResponsibilityBar, Footer, Markdown):
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
        for _ in range(50):  # a loaded machine may take a while; nothing here is timed
            await pilot.pause(0.1)
            if app.interview.current_id != "hosting" and editor_of(app) is not None:
                break
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


def test_the_first_question_of_a_new_engagement_needs_no_jinja2_yaml_or_markdown():
    """From the compiled pack cache to the first question with focus, in a fresh process."""
    script = textwrap.dedent(
        """
        import asyncio, sys
        from srm_tui.engine.answers import AnswersFile
        from srm_tui.engine.pack_loader import load_pack
        from srm_tui.tui.app import SrmApp
        from srm_tui.tui.screens.interview import InterviewScreen

        InterviewScreen._furnish = lambda self: None  # the rest of the screen: not here

        async def main():
            pack = load_pack()
            app = SrmApp(pack, answers=AnswersFile.new(pack))
            async with app.run_test(size=(80, 24)) as pilot:
                while app.focused is None:
                    await pilot.pause(0.01)
                await pilot.pause(0.1)
                print(app.interview.current_id)
            print(" ".join(sorted(m.split(".")[0] for m in sys.modules)))

        asyncio.run(main())
        """
    )
    run = [sys.executable, "-c", "from srm_tui.engine.pack_loader import load_pack; load_pack()"]
    subprocess.run(run, check=True)  # the compiled cache
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "engagement_purpose"
    loaded = set(out[1].split())
    assert "textual" in loaded
    assert not loaded & {"jinja2", "yaml", "markdown_it", "pydantic"}, loaded


async def test_quitting_while_the_screen_is_being_built_ends_cleanly(tmp_path):
    """Ctrl+Q at moments spread over the start-up: the parts still to come are not built
    on a screen being taken down (the app would end with an error)."""
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="hosting")
    for step in range(20):
        app = make_app(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await asyncio.sleep(step * 0.005)
            burst(app, "ctrl+q")
            await pilot.pause(0.2)
        assert app.return_code == 0, step


async def test_the_help_pane_shows_the_question_moved_to_while_it_was_built(tmp_path, monkeypatch):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="hosting")
    build_help = hold(monkeypatch, "_build_help")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if build_help.calls:
                break
        screen = app.screen
        build_help()
        screen.call_later(screen.action_next)  # right behind the pane's mount
        await pilot.pause(0.2)
        assert app.interview.current_id == "uses_msp"
        assert screen.query_one("#help-text", Markdown).source == NO_HELP  # not hosting's
