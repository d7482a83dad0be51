"""Re-assessment in the app (carried over, confirmed, changed) and the workshop start."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from textual.widgets import Input, Static
from tui_support import FIXTURE_PACK, TODAY, answers_file, fixture_pack, no_blink

from srm_tui.engagements import Workshop, start_from
from srm_tui.engine.answers import load_answers
from srm_tui.engine.errors import InputError
from srm_tui.tui.app import SrmApp
from srm_tui.tui.screens.interview import InterviewScreen
from srm_tui.tui.screens.review import ReviewScreen

LAST_YEAR = {"services": ["aws.ec2"], "hosting": "hybrid", "uses_msp": "no", "mfa_all": "yes"}
NEXT = dt.date(2027, 1, 20)


def where(app) -> str:
    return str(app.screen.query_one("#where", Static).render())


async def tick(pilot, keys=()):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await pilot.pause()


async def test_reassessment_confirms_kept_and_marks_changed_answers(tmp_path):
    old = answers_file(tmp_path / "2026.yaml", LAST_YEAR, notes={"mfa_all": "SSO only"})
    before = old.read_bytes()
    pack = fixture_pack()
    new = start_from(pack, old, tmp_path / "2027.yaml", NEXT)
    no_blink()
    app = SrmApp(pack, answers=new, today=NEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.interview.current_id == "services"
        assert "carried over" in where(app)
        assert app.screen.sub_title == "Acme Ltd · 4 to confirm"
        await tick(pilot, ["ctrl+n"])  # services kept
        assert app.interview.current_id == "hosting"
        assert app.screen.sub_title == "Acme Ltd · 3 to confirm"
        await tick(pilot, ["up", "enter"])  # hosting: hybrid -> cloud, moves on
        assert app.interview.current_id == "uses_msp"
        await tick(pilot, ["ctrl+b"])
        assert "✎ changed" in where(app)
        await tick(pilot, ["ctrl+n", "ctrl+n"])  # uses_msp kept; os_patching never answered
        await tick(pilot, ["ctrl+n"])  # os_patching skipped: nothing recorded
        assert app.interview.current_id == "mfa_all"
        assert app.screen.query_one("#note", Input).value == "SSO only"
        await tick(pilot, ["ctrl+r"])
        assert isinstance(app.screen, ReviewScreen)
        summary = str(app.screen.query_one("#review-summary", Static).render())
        assert "1 carried over from last time to confirm" in summary
        await tick(pilot, ["escape"])
        assert isinstance(app.screen, InterviewScreen)
        await tick(pilot, ["ctrl+q"])
    saved = load_answers(tmp_path / "2027.yaml", pack)
    assert saved.raw["review"] == {
        "services": "confirmed",
        "hosting": "changed",
        "uses_msp": "confirmed",
    }
    assert saved.answers == {**LAST_YEAR, "hosting": "cloud"}
    assert saved.meta["date"] == NEXT and saved.meta["client"] == "Acme Ltd"
    assert old.read_bytes() == before  # last year's file is untouched


def test_reassessment_refuses_to_overwrite(tmp_path):
    old = answers_file(tmp_path / "2026.yaml", LAST_YEAR)
    taken = answers_file(tmp_path / "taken.yaml")
    with pytest.raises(InputError, match="already exists"):
        start_from(fixture_pack(), old, taken, NEXT)
    with pytest.raises(InputError, match="already exists"):
        start_from(fixture_pack(), old, old, NEXT)


def test_interview_from_without_a_new_path_goes_to_the_data_folder(tmp_path):
    """``srm interview --from`` on the command line: bad input is one line, exit 2."""
    old = answers_file(tmp_path / "2026.yaml", LAST_YEAR)
    env = {**os.environ, "SRM_DATA_DIR": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "srm_tui", "-q", str(FIXTURE_PACK), "interview"]
    out = subprocess.run(
        [*cmd, "--from", str(old), str(old)], capture_output=True, text=True, env=env
    )
    assert out.returncode == 2
    assert (
        out.stderr.strip()
        == f"srm: error: {old}: already exists; a re-assessment starts a new file"
    )


async def test_workshop_start_creates_a_participant_file(tmp_path):
    pack = fixture_pack()
    room = Workshop(tmp_path / "ws", client="Acme <b>Ltd</b>")
    room.folder.mkdir()
    no_blink()
    app = SrmApp(pack, today=TODAY, workshop=room)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Workshop for Acme <b>Ltd</b>" in str(
            app.screen.query_one("#workshop-about").render()
        )
        await tick(pilot, ["enter"])
        assert "Enter your name" in str(app.screen.query_one("#start-error").render())
        await tick(pilot, list("Ann Lee") + ["tab"] + list("SRE") + ["enter"])
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.sub_title == "Acme <b>Ltd</b>"
    files = sorted(p.name for p in room.folder.iterdir())
    assert files == ["ann-lee-2026-01-15.yaml"]
    saved = load_answers(room.folder / files[0], pack)
    assert saved.meta == {
        "participant": "Ann Lee",
        "role": "SRE",
        "client": "Acme <b>Ltd</b>",
        "date": TODAY,
    }
