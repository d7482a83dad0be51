"""The app's flow between screens: review and back, a client name in use, exclusive
choices, and what the help says about going back."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable, Markdown
from tui_support import TODAY, answers_file, fixture_pack, make_app, no_blink

from srm_tui import engagements
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.pack_loader import load_pack
from srm_tui.tui.app import SrmApp
from srm_tui.tui.screens.interview import InterviewScreen
from srm_tui.tui.screens.review import ReviewScreen
from srm_tui.tui.widgets.multi import ChoiceList


async def tick(pilot, presses=()):
    for key in presses:
        await pilot.press(key)
        await pilot.pause()
    await pilot.pause()


def review_row(app, qid: str) -> int:
    table = app.screen.query_one("#review", DataTable)
    return table.get_row_index(qid)


async def test_editing_from_review_returns_to_review(tmp_path):
    path = answers_file(tmp_path / "a.yaml", {"services": ["aws.ec2"], "mfa_all": "no"})
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await tick(pilot, ["ctrl+r"])
        table = app.screen.query_one("#review", DataTable)
        table.move_cursor(row=review_row(app, "mfa_all"))
        await tick(pilot, ["enter"])
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview.current_id == "mfa_all"
        await tick(pilot, ["up", "enter"])  # Yes, and Enter stores it
        assert isinstance(app.screen, ReviewScreen)
        assert app.interview.value("mfa_all") == "yes"
        table = app.screen.query_one("#review", DataTable)
        assert table.cursor_row == review_row(app, "mfa_all")
        assert str(table.get_cell("mfa_all", "answer")) == "Yes"
        # Ctrl+N on a question opened from review also goes back to it
        table.move_cursor(row=review_row(app, "services"))
        await tick(pilot, ["enter", "ctrl+n"])
        assert isinstance(app.screen, ReviewScreen)
        # Plain interviewing still moves on to the next question
        await tick(pilot, ["escape"])
        assert isinstance(app.screen, InterviewScreen)
        here = app.interview.position
        await tick(pilot, ["ctrl+n"])
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview.position == here + 1


def existing_engagement(client: str = "Acme Ltd"):
    pack = fixture_pack()
    folder = engagements.engagements_dir()
    folder.mkdir(parents=True, exist_ok=True)
    answers_file(folder / "acme-ltd-2026-01-15.yaml", {"hosting": "cloud"})
    return pack


async def start_with_client(pilot, client: str):
    await tick(pilot, list(client) + ["enter"])


async def test_client_name_in_use_offers_resume(tmp_path):
    existing_engagement()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_with_client(pilot, "acme ltd ")
        assert type(app.screen).__name__ == "ClientInUseScreen"
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Acme Ltd" in shown and "2026-01-15" in shown
        await pilot.click("#in-use-resume")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview.value("hosting") == "cloud"
    files = sorted(p.name for p in engagements.engagements_dir().glob("*.yaml"))
    assert files == ["acme-ltd-2026-01-15.yaml"]


async def test_client_name_in_use_can_start_a_new_engagement(tmp_path):
    existing_engagement()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_with_client(pilot, "Acme Ltd")
        assert type(app.screen).__name__ == "ClientInUseScreen"
        await pilot.click("#in-use-new")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview.value("hosting") is None
    files = sorted(p.name for p in engagements.engagements_dir().glob("*.yaml"))
    assert files == ["acme-ltd-2026-01-15-2.yaml", "acme-ltd-2026-01-15.yaml"]


async def test_client_name_in_use_cancel_keeps_the_form(tmp_path):
    existing_engagement()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_with_client(pilot, "Acme Ltd")
        await tick(pilot, ["escape"])
        assert type(app.screen).__name__ == "StartScreen"
        assert app.screen.query_one("#meta-client").value == "Acme Ltd"
    assert len(list(engagements.engagements_dir().glob("*.yaml"))) == 1


async def test_tab_typed_in_a_burst_moves_on_before_the_next_keys(tmp_path):
    # All keys are queued before any is handled, as when typed fast over ssh.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is app.screen.query_one("#meta-client")
        for key, char in [*((c, c) for c in "Acme"), ("tab", "\t"), ("M", "M"), ("e", "e")]:
            app.post_message(events.Key(key, char))
        for key, char in [("shift+tab", None), ("end", None), ("!", "!")]:
            app.post_message(events.Key(key, char))
        await tick(pilot)
        assert app.screen.query_one("#meta-client").value == "Acme!"
        assert app.screen.query_one("#meta-assessor").value == "Me"


def bundled_app(tmp_path, position: str, **answers):
    pack = load_pack()
    file = AnswersFile.new(pack, tmp_path / "b.yaml", client="Acme Ltd", date=TODAY)
    file.answers.update(answers)
    file.position = position
    file.save(pack)
    no_blink()
    return SrmApp(pack, answers=load_answers(file.path, pack), today=TODAY)


def ticked(app) -> set[str]:
    return set(app.screen.query_one(ChoiceList).selected)


async def test_none_of_these_clears_the_others_and_the_others_clear_it(tmp_path):
    app = bundled_app(tmp_path, "regulated_data", regulated_data=["personal", "cards"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one(ChoiceList)
        box.focus()
        values = [box.get_option_at_index(i).value for i in range(box.option_count)]
        box.highlighted = values.index("none")
        await tick(pilot, ["space"])
        assert ticked(app) == {"none"}
        assert app.interview.value("regulated_data") == ["none"]
        box.highlighted = values.index("health")
        await tick(pilot, ["space"])
        assert ticked(app) == {"health"}
        assert app.interview.value("regulated_data") == ["health"]
    saved = load_answers(tmp_path / "b.yaml", load_pack())
    assert saved.answers["regulated_data"] == ["health"]


async def test_help_says_how_to_go_back_and_that_key_works(tmp_path):
    path = answers_file(tmp_path / "a.yaml", position="hosting")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await tick(pilot, ["f1"])
        text = app.screen.query_one(Markdown).source
        assert "`Alt+←` — previous question" in text
        assert "`Esc` — back from Review, Results or this help" in text
        await tick(pilot, ["escape"])
        await tick(pilot, ["alt+left"])
        assert app.interview.current_id == "services"
        await tick(pilot, ["ctrl+r"])
        assert isinstance(app.screen, ReviewScreen)
        await tick(pilot, ["escape"])
        assert isinstance(app.screen, InterviewScreen)
        await tick(pilot, ["ctrl+o", "escape"])
        assert isinstance(app.screen, InterviewScreen)


async def test_enter_on_the_resume_list_opens_the_first_engagement(tmp_path):
    existing_engagement()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#recent").focus()  # as Tab from the form gets there
        await tick(pilot, ["enter"])
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview.value("hosting") == "cloud"
