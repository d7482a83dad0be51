"""``srm ask --track``: the pass over open duties, driven through prompt_toolkit pipe input."""

from __future__ import annotations

import shutil

import pytest
import yaml
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from srm_tui import prompt
from srm_tui.cli import cli
from srm_tui.engine import tracking
from srm_tui.engine.answers import load_answers
from srm_tui.engine.interview import Interview
from srm_tui.prompt.tracking import open_duties

UP, DOWN, ENTER = "\x1b[A", "\x1b[B", "\r"
CLEAR_LINE = "\x15"
SKIP, BACK, STOP = UP * 3 + ENTER, UP * 2 + ENTER, UP + ENTER  # the last entries of the list
PLANNED, RISK_ACCEPTED = DOWN * 3 + ENTER, DOWN * 6 + ENTER
NO_PDF = "n"


@pytest.fixture(autouse=True)
def _terminal(monkeypatch):
    monkeypatch.setattr(prompt, "stdin_is_terminal", lambda: True)


def run(runner, keys: str, *args: str):
    with create_pipe_input() as keyboard:
        keyboard.send_text(keys)
        keyboard.close()
        with create_app_session(input=keyboard, output=DummyOutput()):
            return runner.invoke(cli, ["ask", *args])


def answered_copy(pack, example, path) -> Interview:
    """The example with every question answered, so ``srm ask`` goes straight to the pass."""
    shutil.copy(example, path)
    interview = Interview(pack, load_answers(path, pack))
    while (cq := interview.first_unanswered()) is not None:
        interview.answer(cq.id, pack.choices(cq.q)[0].value)
    return interview


def test_track_pass_records_skips_goes_back_and_stops(runner, tmp_path, example, pack):
    path = tmp_path / "northwind.yaml"
    interview = answered_copy(pack, example, path)
    answers = dict(interview.file.answers)
    first, second, third = (r.control.id for r in open_duties(interview)[:3])
    keys = (
        PLANNED + "Priya Shah\r"
        + "2026-02-30\r"  # refused by the engine's check: the prompt stays
        + CLEAR_LINE + "2027-01-31\r" + "CHG-1042; https://wiki.example/mfa\r"
        + SKIP
        + RISK_ACCEPTED + "\r" + "\r" + "\r"
        + "\r"  # an empty reason is refused
        + "Board minute 12\r"
        + BACK  # from the fourth duty to the third
        + ENTER  # keep Risk accepted
        + ":back\r"  # start the third duty again
        + STOP
        + NO_PDF
    )  # fmt: skip
    result = run(runner, keys, str(path), "--track")
    assert result.exit_code == 0, result.output
    assert "Track duties:" in result.output and "Tracked 2 duties." in result.output
    assert "status now Risk accepted (set by hand)" in result.output
    table = tracking.entries(yaml.safe_load(path.read_text()))
    assert set(table) == {first, third}
    assert table[first].status_value == "planned" and table[first].assignee == "Priya Shah"
    assert table[first].due.isoformat() == "2027-01-31"
    assert table[first].evidence == ["CHG-1042", "https://wiki.example/mfa"]
    assert table[third].status_value == "risk_accepted"
    assert table[third].reason == "Board minute 12" and table[third].assignee is None
    assert second not in table

    assert load_answers(path, pack).answers == answers  # the answers are untouched


def test_without_track_the_pass_is_not_offered(runner, tmp_path, example, pack):
    path = tmp_path / "northwind.yaml"
    answered_copy(pack, example, path)
    result = run(runner, NO_PDF, str(path))
    assert result.exit_code == 0, result.output
    assert "Track duties" not in result.output and "tracking" not in path.read_text()
