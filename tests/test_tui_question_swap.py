"""Moving to the next question: the focus goes once, straight to the new question's
input; an editor on its way out can no longer answer; the counts and bar follow."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from tui_support import answers_file, built, make_app

from srm_tui.tui.screens.interview import STATUS_DELAY
from srm_tui.tui.widgets.bar import ResponsibilityBar
from srm_tui.tui.widgets.questions import Edited, Editor


async def test_moving_on_focuses_the_next_input_directly(tmp_path):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="hosting")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        focus_seen = []
        screen.watch(screen, "focused", lambda widget: focus_seen.append(widget), init=False)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.pause()  # the old editor's removal
        assert app.interview.current_id == "uses_msp"
        editors = list(screen.query_one("#answer", VerticalScroll).children)
        assert len(editors) == 1 and editors[0].cq.id == "uses_msp"
        # one move, to the yes/no question's choices: not to the holder, not to nothing
        assert len(focus_seen) == 1
        holders = [a for a in focus_seen[0].ancestors if isinstance(a, Editor)]
        assert [editor.cq.id for editor in holders] == ["uses_msp"]


async def test_an_outgoing_editor_cannot_answer(tmp_path):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="uses_msp")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+n")  # on to mfa_all (msp_name is hidden)
        await pilot.pause()
        here = app.interview.current_id
        assert here != "uses_msp"
        # a key that reached the old editor while it was leaving
        app.screen.post_message(Edited("uses_msp", "yes", advance=True))
        await pilot.pause()
        assert app.interview.value("uses_msp") is None
        assert app.interview.current_id == here


@pytest.mark.parametrize(
    "keys",
    [
        ("down", "space", "ctrl+n"),  # Amazon EC2, then on to hosting
        # each move restarts the wait for the counts and bar; they still follow in the end
        ("down", "space", "ctrl+n", "ctrl+n", "ctrl+b"),
    ],
    ids=["one move", "several quick moves"],
)
async def test_counts_and_bar_follow_an_answer_after_moving_on(tmp_path, keys):
    path = answers_file(tmp_path / "a.yaml", {}, position="services")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await built(pilot)
        bar = app.screen.query_one(ResponsibilityBar)
        assert bar.shares["customer"] == 1.0  # nothing in scope yet
        await pilot.press(*keys)
        await pilot.pause(STATUS_DELAY * 3)
        assert app.interview.current_id == "hosting"
        assert bar.shares == app.interview.assessment().shares["overall"]
        assert bar.shares["provider"] > 0


async def test_a_choice_made_with_enter_shows_when_its_question_stays(tmp_path):
    """Enter answers without pressing the button first (the editor is usually replaced);
    when the question stays, here behind the review it returns to, the choice shows."""
    from textual.widgets import DataTable, RadioSet

    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"], "mfa_all": "no"})
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        table = app.screen.query_one("#review", DataTable)
        table.move_cursor(row=table.get_row_index("mfa_all"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("up", "enter")  # Yes, stored, back to review
        await pilot.pause()
        assert app.interview.value("mfa_all") == "yes"
        await pilot.press("escape")
        await pilot.pause()
        assert app.interview.current_id == "mfa_all"
        choices = app.screen.query_one("#answer").query_one(RadioSet)
        assert choices.pressed_button is not None and choices.pressed_button.name == "yes"
        assert app.focused is choices
