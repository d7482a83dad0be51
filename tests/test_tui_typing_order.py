"""Keys that arrive together act in the order typed: a burst of editing keys and
characters (typing ahead while a question is swapped in) gives the text it spells."""

from __future__ import annotations

from textual import events
from tui_support import answers_file, make_app


def burst(app, *keys: str) -> None:
    """Hand the keys to the app at once, as a terminal read of several keys does."""
    for key in keys:
        character = {"enter": "\r", "backspace": "\x7f", "ctrl+u": "\x15"}.get(key, key)
        app._driver.send_message(events.Key(key, character))


async def test_clearing_then_typing_in_one_burst_stores_the_typed_value(tmp_path):
    path = answers_file(
        tmp_path / "a.yaml", {"services": ["aws.ec2"], "admin_count": 12}, position="admin_count"
    )
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.focused.value == "12"
        burst(app, "ctrl+u", "7", "0", "enter")
        await pilot.pause(0.2)
        assert app.interview.value("admin_count") == 70
        assert app.interview.current_id == "last_review"


async def test_a_backspace_in_a_burst_deletes_where_it_was_typed(tmp_path):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="admin_count")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        burst(app, "1", "2", "backspace", "3")
        await pilot.pause(0.2)
        assert app.focused.value == "13"
