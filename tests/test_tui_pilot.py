"""The interview app driven with Pilot: answering, moving, conditions, resume, export."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from textual import events
from textual.widgets import DataTable, Input, Markdown, Static
from tui_support import answers_file, built, fixture_pack, make_app

from srm_tui.engine.answers import load_answers
from srm_tui.tui.screens.interview import STATUS_DELAY, InterviewScreen
from srm_tui.tui.screens.results import ResultsScreen
from srm_tui.tui.screens.review import ReviewScreen
from srm_tui.tui.widgets.bar import ResponsibilityBar
from srm_tui.tui.widgets.multi import ChoiceList
from srm_tui.tui.widgets.sidebar import Sidebar


def current_id(app) -> str:
    return app.interview.current_id


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def tick(pilot, presses=()):
    """Press keys one by one, letting the app settle after each (as a person would)."""
    for key in presses:
        await pilot.press(key)
        await pilot.pause()
    await pilot.pause()


async def answer(pilot, presses=()):
    """Press keys that change an answer, then wait for the position line, counts and bar,
    which follow STATUS_DELAY after the next question is painted."""
    await tick(pilot, presses)
    await pilot.pause(STATUS_DELAY * 3)


async def test_back_and_next_keep_answers(tmp_path):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="hosting")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert current_id(app) == "hosting"
        await tick(pilot, ["down", "enter"])  # second choice, Enter stores and moves on
        assert current_id(app) == "uses_msp"
        await tick(pilot, ["enter"])  # Yes
        assert current_id(app) == "msp_name"
        await tick(pilot, list("Contoso"))
        await tick(pilot, ["ctrl+b", "ctrl+b"])
        assert current_id(app) == "hosting"
        radio = app.screen.query_one("RadioSet")
        assert radio.pressed_button is not None and radio.pressed_button.name == "hybrid"
        await tick(pilot, ["ctrl+n", "ctrl+n"])
        assert app.screen.query_one("#value", Input).value == "Contoso"
        app.writer.wait()  # autosaves are written off the screen's thread
        saved = load_answers(path, fixture_pack())
        assert saved.answers == {
            "services": ["aws.ec2"],
            "hosting": "hybrid",
            "uses_msp": "yes",
            "msp_name": "Contoso",
        }


async def test_condition_shows_and_hides_a_question_live(tmp_path):
    path = answers_file(tmp_path / "a.yaml", position="uses_msp")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "3 of 7" in text_of(app, "#where")
        await answer(pilot, ["space"])  # Yes: the follow-up appears
        assert "3 of 8" in text_of(app, "#where")
        assert app.interview.is_visible("msp_name")
        await answer(pilot, ["down", "space"])  # No: it goes again
        assert "3 of 7" in text_of(app, "#where")
        await tick(pilot, ["ctrl+n"])
        assert current_id(app) == "mfa_all"  # os_patching hidden too: no IaaS in scope
        await tick(pilot, ["ctrl+b", "up", "enter"])
        assert current_id(app) == "msp_name"


async def test_services_filter_as_you_type_and_keep_hidden_choices(tmp_path):
    path = answers_file(tmp_path / "a.yaml", {"services": ["saas.m365"]})
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(ChoiceList)
        assert listing.option_count == 9  # 5 services under 4 provider headings
        assert app.focused is app.screen.query_one("#filter", Input)
        await tick(pilot, list("ec2"))
        values = [listing.get_option_at_index(i).value for i in range(listing.option_count)]
        assert values == ["group:Amazon Web Services", "aws.ec2"]
        await tick(pilot, ["down", "space"])
        assert app.interview.value("services") == ["aws.ec2", "saas.m365"]
        app.screen.query_one("#filter", Input).focus()
        await tick(pilot, ["ctrl+u"] + list("azure"))
        assert listing.option_count == 2
        await answer(pilot, ["ctrl+u"])
        assert listing.option_count == 9
        assert set(listing.selected) == {"aws.ec2", "saas.m365"}
        bar = app.screen.query_one(ResponsibilityBar)
        assert bar.shares["provider"] > 0


async def test_down_and_space_typed_together_tick_the_first_match(tmp_path):
    # Both keys are queued before either is handled, as when typed fast over ssh.
    path = answers_file(tmp_path / "a.yaml", {"services": ["saas.m365"]})
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, list("ec2"))
        app.post_message(events.Key("down", None))
        app.post_message(events.Key("space", " "))
        await tick(pilot)
        assert app.screen.query_one("#filter", Input).value == "ec2"
        assert app.focused is app.screen.query_one(ChoiceList)
        assert app.interview.value("services") == ["aws.ec2", "saas.m365"]


async def test_bar_moves_as_services_change(tmp_path):
    path = answers_file(tmp_path / "a.yaml")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await built(pilot)
        bar = app.screen.query_one(ResponsibilityBar)
        assert bar.shares["customer"] == 1.0  # nothing in scope yet
        await answer(pilot, ["down", "space"])  # from the filter to Amazon EC2 (IaaS)
        ec2 = dict(bar.shares)
        await answer(pilot, ["down", "space", "up", "space"])  # Amazon RDS (PaaS) instead
        assert bar.shares["provider"] > ec2["provider"]
        assert abs(sum(bar.shares.values()) - 1) < 1e-6


async def test_resume_restores_answers_and_position(tmp_path):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]}, position="hosting")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, ["enter", "enter", "ctrl+n"])  # cloud, yes, skip the MSP name
        assert current_id(app) == "os_patching"
        await tick(pilot, ["ctrl+q"])
    again = make_app(path)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert current_id(again) == "os_patching"
        assert again.interview.value("hosting") == "cloud"
        assert again.interview.value("uses_msp") == "yes"
        await tick(pilot, ["ctrl+b", "ctrl+b"])
        assert again.screen.query_one("RadioSet").pressed_button.name == "yes"


async def test_number_and_date_show_the_engine_message(tmp_path):
    path = answers_file(tmp_path / "a.yaml", position="admin_count")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, list("-3"))
        assert "must be zero or more" in text_of(app, "#error")
        await tick(pilot, ["enter"])
        assert current_id(app) == "admin_count"  # refused: stays
        await tick(pilot, ["backspace", "backspace"] + list("abc"))
        assert "'abc' is not a number" in text_of(app, "#error")
        await tick(pilot, ["ctrl+u", "4", "enter"])
        assert app.interview.value("admin_count") == 4
        assert current_id(app) == "last_review"
        await tick(pilot, list("2026-13-01"))
        assert "is not a date" in text_of(app, "#error")
        await tick(pilot, ["ctrl+u"] + list("2025-12-01") + ["enter"])
        assert str(app.interview.value("last_review")) == "2025-12-01"


async def test_typed_text_and_notes_are_saved_after_a_pause(tmp_path):
    path = answers_file(tmp_path / "a.yaml", position="access_notes")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, list("Tickets") + ["enter"] + list("Reviews"))
        app.screen.query_one("#note", Input).focus()
        await tick(pilot, list("ask HR"))
        await pilot.pause(0.8)
        app.writer.wait()
        saved = load_answers(path, fixture_pack())
        assert saved.answers["access_notes"] == "Tickets\nReviews"
        assert saved.notes == {"access_notes": "ask HR"}


async def test_review_lists_every_visible_answer_and_jumps_back(tmp_path):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"], "mfa_all": "no"})
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, ["ctrl+r"])
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(app.interview.visible) == 8
        cells = [str(table.get_cell_at((i, 2))) for i in range(table.row_count)]
        assert cells[0] == "Amazon EC2" and cells[4] == "No"
        assert cells.count("— not answered") == 6
        table.move_cursor(row=4)
        await tick(pilot, ["enter"])
        assert isinstance(app.screen, InterviewScreen)
        assert current_id(app) == "mfa_all"


async def test_palette_jumps_to_a_question(tmp_path):
    path = answers_file(tmp_path / "a.yaml")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, ["ctrl+p"] + list("administrator rights"))
        await pilot.pause(0.3)
        await tick(pilot, ["enter"])
        await pilot.pause()
        assert current_id(app) == "admin_count"


async def test_sidebar_click_jumps_to_a_section(tmp_path):
    path = answers_file(tmp_path / "a.yaml")
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await built(pilot)
        sidebar = app.screen.query_one(Sidebar)
        assert sidebar.option_count == 3  # no IaaS yet, so Operations has uses_msp only
        await pilot.click(Sidebar, offset=(4, 2))  # the third line: Identity
        await pilot.pause()
        assert current_id(app) == "mfa_all"


async def test_help_links_are_not_opened(tmp_path, monkeypatch):
    path = answers_file(tmp_path / "a.yaml")
    app = make_app(path)
    opened = []
    monkeypatch.setattr(app, "open_url", lambda *a, **k: opened.append(a))
    async with app.run_test(size=(120, 30)) as pilot:
        await built(pilot)
        help_ = app.screen.query_one("#help-text", Markdown)
        help_.post_message(Markdown.LinkClicked(help_, "https://example.com/matrix"))
        await pilot.pause()
        assert opened == []


async def test_theme_toggle_help_and_tiny_terminal(tmp_path):
    path = answers_file(tmp_path / "a.yaml")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        theme = app.theme
        await tick(pilot, ["ctrl+t"])
        assert app.theme != theme
        await tick(pilot, ["f1"])
        assert type(app.screen).__name__ == "HelpScreen"
        await tick(pilot, ["escape"])
        await pilot.resize_terminal(40, 12)
        await tick(pilot, ["ctrl+n", "ctrl+r", "escape", "ctrl+o"])
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


async def test_full_interview_from_start_to_pdf(tmp_path, monkeypatch):
    """New engagement on the start screen, every question, review, results, PDF."""
    import pypdf

    from srm_tui import engagements

    monkeypatch.chdir(tmp_path)  # reports go to the folder the app started in
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, list("Acme <b>Ltd</b>") + ["tab"] + list("Ann") + ["enter"])
        assert isinstance(app.screen, InterviewScreen)
        assert app.focused.id == "filter"
        await tick(pilot, ["down", "space", "ctrl+n"])  # Amazon EC2
        await tick(pilot, ["enter"])  # hosting: cloud
        await tick(pilot, ["enter"])  # uses_msp: yes
        await tick(pilot, list("Contoso") + ["enter"])
        await tick(pilot, ["down", "enter"])  # os_patching: nobody
        await tick(pilot, ["down", "enter"])  # mfa: no
        await tick(pilot, list("3") + ["enter"])
        await tick(pilot, list("2025-11-30") + ["enter"])
        await tick(pilot, list("Through tickets.") + ["ctrl+n"])
        assert isinstance(app.screen, ReviewScreen)
        assert app.interview.progress().answered == 9
        await tick(pilot, ["ctrl+o"])
        assert isinstance(app.screen, ResultsScreen)
        app.screen.query_one("#tabs").active = "tab-export"
        await pilot.pause()
        await pilot.click("#export-open")
        await pilot.pause()
        await pilot.click("#export-go")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = str(app.screen.query_one("#export-result", Static).render())
    files = list(engagements.engagements_dir().glob("*.yaml"))
    assert [f.name for f in files] == ["acme-b-ltd-b-2026-01-15.yaml"]
    pdf = tmp_path / "acme-b-ltd-b-2026-01-15-report.pdf"
    assert f"Written: {pdf}" in result
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "Acme <b>Ltd</b>" in text
    saved = load_answers(files[0], fixture_pack())
    assert saved.answers["msp_name"] == "Contoso" and saved.answers["os_patching"] == "nobody"


def test_weasyprint_waits_for_an_export(tmp_path):
    """Interviewing, reviewing and looking at results never import WeasyPrint."""
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"]})
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from tui_support import make_app

        async def main():
            app = make_app({str(path)!r})
            async with app.run_test(size=(80, 24)) as pilot:
                for key in ["ctrl+n", "enter", "ctrl+r", "ctrl+o"]:
                    await pilot.press(key)
                await pilot.pause()
                assert type(app.screen).__name__ == "ResultsScreen"
            print("weasyprint" in sys.modules)

        asyncio.run(main())
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
