"""The app's tracking form, driven with the keyboard through Pilot."""

from __future__ import annotations

import datetime as dt
import shutil

from textual.widgets import Button, DataTable, Select, Static
from tui_support import TODAY, no_blink

from srm_tui.engine import tracking
from srm_tui.engine.answers import load_answers
from srm_tui.engine.pack_loader import load_pack
from srm_tui.tui.app import SrmApp
from srm_tui.tui.screens.results import ResultsScreen
from srm_tui.tui.screens.tracking import TrackingForm

PAST = (dt.date.today() - dt.timedelta(days=3)).isoformat()


def northwind(tmp_path, example):
    path = tmp_path / "northwind.yaml"
    shutil.copy(example, path)
    pack = load_pack()
    return pack, load_answers(path, pack)


async def controls_of(app, pilot) -> ResultsScreen:
    await pilot.pause()
    await pilot.press("ctrl+o")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ResultsScreen)
    screen.query_one("#tabs").active = "tab-controls"
    await pilot.pause()
    screen.query_one("#controls", DataTable).focus()
    await pilot.pause()
    return screen


def text_of(widget) -> str:
    return str(widget.render())


async def test_the_form_records_a_duty_and_the_list_follows(tmp_path, example):
    pack, file = northwind(tmp_path, example)
    no_blink()
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await controls_of(app, pilot)
        first = screen._shown[0]
        before = text_of(screen.query_one("#track-progress", Static))
        assert "0 overdue" in before
        await pilot.press("enter")  # open the highlighted duty
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrackingForm)
        await pilot.press("enter", "down", "down", "down", "enter")  # status: Planned
        await pilot.press("tab", *"Priya Shah", "tab", *PAST, "tab")
        await pilot.press(*"CHG-1042", "enter", *"https://wiki.example/x", "tab")
        await pilot.press(*"<b>first</b>")
        await pilot.pause()
        assert text_of(form.query_one("#track-problem", Static)) == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen

        app.writer.wait()  # autosaves are written off the screen's thread
        entry = tracking.entries(load_answers(file.path, pack).raw)[first.control.id]
        assert entry.status_value == "planned" and entry.assignee == "Priya Shah"
        assert entry.due.isoformat() == PAST and entry.note == "<b>first</b>"
        assert entry.evidence == ["CHG-1042", "https://wiki.example/x"]
        assert {c.date for c in entry.history} == {TODAY}

        assert "1 overdue" in text_of(screen.query_one("#track-progress", Static))
        detail = text_of(screen.query_one("#detail", Static))
        assert "Priya Shah" in detail and "OVERDUE" in detail and "CHG-1042" in detail
        screen.query_one("#f-assignee", Select).value = "Priya Shah"
        await pilot.pause()
        assert [r.control.id for r in screen._shown] == [first.control.id]
        screen.query_one("#f-assignee", Select).clear()
        screen.query_one("#f-overdue", Select).value = "overdue"
        await pilot.pause()
        assert [r.control.id for r in screen._shown] == [first.control.id]
        screen.query_one("#f-overdue", Select).clear()
        screen.query_one("#f-status", Select).value = "planned"
        await pilot.pause()
        assert first.control.id in [r.control.id for r in screen._shown]
        assert all(r.status == "planned" for r in screen._shown)


async def test_bad_values_are_shown_as_typed_and_nothing_is_saved(tmp_path, example):
    pack, file = northwind(tmp_path, example)
    no_blink()
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await controls_of(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        problem = form.query_one("#track-problem", Static)
        save = form.query_one("#track-save", Button)
        await pilot.press("tab", "tab", *"2026-02-3")
        await pilot.pause()
        assert "Due date: '2026-02-3' is not a date" in text_of(problem) and save.disabled
        await pilot.press("0")
        await pilot.pause()
        assert "day is out of range for month" in text_of(problem)
        assert form.query_one("#track-due").has_class("-invalid")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not saved, still open
        await pilot.press("backspace", "backspace")
        await pilot.press(*"15")
        await pilot.pause()
        assert text_of(problem) == "" and not save.disabled

        await pilot.press("shift+tab", "shift+tab", "enter", *["down"] * 6, "enter")
        await pilot.pause()  # status: Risk accepted, with no reason yet
        assert "Reason: a reason is required" in text_of(problem) and save.disabled
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
    assert tracking.entries(load_answers(file.path, pack).raw) == {}


async def test_saving_a_carried_entry_unchanged_confirms_it(tmp_path, example):
    pack, file = northwind(tmp_path, example)
    entry = tracking.update(None, {"status": "partial", "assignee": "Jo"}, dt.date(2025, 12, 1))
    tracking.store(file.raw, "GOV-01", entry.model_copy(update={"carried": True}))
    file.save()
    no_blink()
    app = SrmApp(pack, answers=load_answers(file.path, pack), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await controls_of(app, pilot)
        assert screen._shown[0].control.id == "GOV-01"
        assert "Carried over" in text_of(screen.query_one("#detail", Static))
        await pilot.press("enter")
        await pilot.pause()
        assert "saving confirms it" in text_of(app.screen.query_one("#track-about", Static))
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = tracking.entries(load_answers(file.path, pack).raw)["GOV-01"]
    assert not saved.carried and saved.history[-1].field == "confirmed"
    assert saved.history[-1].date == TODAY and saved.assignee == "Jo"


def test_form_looks(snap_compare, tmp_path):
    from tui_support import answers_file, make_app

    path = answers_file(tmp_path / "acme.yaml", {"services": ["aws.ec2", "saas.m365"]})

    async def open_form(pilot):
        await controls_of(pilot.app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab", *"Jo", "tab", *"2026-13-01")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=(80, 24), run_before=open_form)
