"""The interview screen on a pack whose validator raises for some answers: fail closed.

The number's validator divides by the answer minus 7, the text's compares the text
with a number (always a TypeError), the choice's divides by its value's length minus
6 ("nobody"). An answer the validator cannot check is refused like a wrong one: the
engine's message (the pack file, the place, the error) shows under the question, the
question stays, and the file never holds the value.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from textual.widgets import Static
from tui_support import FIXTURE_PACK, TODAY, answers_file, no_blink

from srm_tui.engine.answers import load_answers
from srm_tui.engine.pack_loader import load_pack
from srm_tui.tui.app import SrmApp

VALIDATORS = {
    "admin_count": "'odd' if 10 // (value - 7) > 100 else ''",
    "msp_name": "'too short' if value < 3 else ''",
    "os_patching": "'' if 1 / ((value|length) - 6) else ''",
}


def pack_with(tmp_path: Path, key: str, expressions: dict[str, str]):
    """The fixture pack with ``key`` (validator, when) set on the questions named."""
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    path = pack / "questionnaire.yaml"
    data = yaml.safe_load(path.read_text())
    for section in data["sections"]:
        for q in section["questions"]:
            if q["id"] in expressions:
                q[key] = expressions[q["id"]]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_pack(pack)


def faulty_pack(tmp_path: Path):
    return pack_with(tmp_path, "validator", VALIDATORS)


def app_at(tmp_path: Path, position: str, answers: dict | None = None):
    pack = faulty_pack(tmp_path)
    path = answers_file(tmp_path / "a.yaml", answers, position=position)
    no_blink()
    return SrmApp(pack, answers=load_answers(path, pack), today=TODAY), path


def error_text(app) -> str:
    return str(app.screen.query_one("#error", Static).render())


async def tick(pilot, presses=()):
    for key in presses:
        await pilot.press(key)
        await pilot.pause()
    await pilot.pause()


def assert_could_not_check(shown: str, qid: str, error: str) -> None:
    assert shown.startswith(f"this answer could not be checked: {error}"), shown
    assert "questionnaire.yaml" in shown and ".validator" in shown, shown
    assert f"failed: {error}" in shown, shown


async def test_a_number_the_validator_cannot_check_is_refused_with_the_reason(tmp_path):
    app, path = app_at(tmp_path, "admin_count")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await tick(pilot, ["7"])
        assert_could_not_check(error_text(app), "admin_count", "ZeroDivisionError")
        await tick(pilot, ["enter"])
        assert app.interview.current_id == "admin_count"  # refused: stays
        assert "admin_count" not in app.interview.file.answers
        await tick(pilot, ["ctrl+u", "1", "2"])
        assert error_text(app) == ""
        await tick(pilot, ["enter"])
        assert app.interview.value("admin_count") == 12
        assert app.interview.current_id == "last_review"
    assert load_answers(path, app.pack).answers["admin_count"] == 12


async def test_a_text_the_validator_cannot_check_is_never_saved(tmp_path):
    """Typed text is saved after a pause; text the validator cannot check is not,
    neither while typing nor on Enter."""
    app, path = app_at(tmp_path, "msp_name", {"uses_msp": "yes"})
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await tick(pilot, list("Acme MSP"))
        assert_could_not_check(error_text(app), "msp_name", "TypeError")
        await pilot.pause(1.0)  # past the idle save (0.6 s)
        await tick(pilot, ["enter"])
        assert app.interview.current_id == "msp_name"
        assert_could_not_check(error_text(app), "msp_name", "TypeError")
        assert "msp_name" not in app.interview.file.answers
    assert "msp_name" not in load_answers(path, app.pack).answers


async def test_a_choice_the_validator_cannot_check_is_refused(tmp_path):
    app, path = app_at(tmp_path, "os_patching", {"services": ["aws.ec2"], "hosting": "cloud"})
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.interview.current_id == "os_patching"
        await tick(pilot, ["down", "enter"])  # "nobody": six letters, the validator raises
        assert_could_not_check(error_text(app), "os_patching", "ZeroDivisionError")
        assert app.interview.current_id == "os_patching"
        assert "os_patching" not in app.interview.file.answers
        await tick(pilot, ["up", "enter"])  # "internal" is checked as usual
        assert app.interview.value("os_patching") == "internal"
        assert error_text(app) == ""
    assert load_answers(path, app.pack).answers["os_patching"] == "internal"


async def test_an_answer_that_makes_a_when_fail_is_refused_and_the_app_goes_on(tmp_path):
    """The next question's `when` divides by the answer minus 7: 7 cannot be taken."""
    when = "admin_count is not defined or 10 // (admin_count - 7) > -100"
    pack = pack_with(tmp_path, "when", {"last_review": when})
    answers = answers_file(tmp_path / "a.yaml", position="admin_count")
    saved = answers.read_bytes()
    no_blink()
    app = SrmApp(pack, answers=load_answers(answers, pack), today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await tick(pilot, ["7", "enter"])
        shown = error_text(app)
        assert shown.startswith("this answer could not be taken: ZeroDivisionError"), shown
        assert "questionnaire.yaml" in shown and ".when" in shown, shown
        assert app.interview.current_id == "admin_count"  # refused: stays
        assert "admin_count" not in app.interview.file.answers
        await tick(pilot, ["ctrl+u", "1", "2", "enter"])
        assert app.interview.value("admin_count") == 12
        assert app.interview.current_id == "last_review"
    assert load_answers(answers, pack).answers["admin_count"] == 12
    assert saved != answers.read_bytes()
