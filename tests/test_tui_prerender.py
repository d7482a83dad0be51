"""The default PDF made in the background: Export copies it when nothing went into it
changed since, renders again when something did, and shows real progress (pages laid
out) when it renders; ``srm report`` shows its steps on a terminal only."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from textual.widgets import Static
from tui_support import FIXTURE_PACK, TODAY, answers_file, make_app

from srm_tui.tui import export_job
from srm_tui.tui.screens.results import ResultsScreen

SRM = Path(sys.executable).with_name("srm")
WAIT = 180  # seconds: a limit for a loaded machine, not a measure of speed


@pytest.fixture
def renders(monkeypatch) -> list[export_job.ExportRequest]:
    """Every request handed to the report child process, in order."""
    seen: list[export_job.ExportRequest] = []
    real = export_job.run

    def spy(pack_path, raw, answers_path, request, cancelled):
        seen.append(request)
        yield from real(pack_path, raw, answers_path, request, cancelled)

    monkeypatch.setattr(export_job, "run", spy)
    return seen


def pdf_renders(requests) -> int:
    return sum("pdf" in r.formats for r in requests)


def engagement(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    return answers_file(data / "acme.yaml", {"services": ["aws.ec2"], "mfa_all": "no"})


async def until(pilot, condition, what: str) -> None:
    """Let the app run until ``condition()`` holds (or fail after WAIT seconds)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        await pilot.pause(0.05)


async def results(app, pilot) -> ResultsScreen:
    await pilot.pause()
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
    return app.screen


def background_done(app) -> bool:
    render = app.prerender.current
    return render is not None and render.done.is_set()


async def export_default(app, pilot, screen: ResultsScreen) -> None:
    await pilot.press("ctrl+e")
    await until(pilot, lambda: type(app.screen).__name__ == "ExportScreen", "the dialog")
    await pilot.click("#export-go")
    await until(pilot, lambda: app.screen is screen and not screen._exporting, "the export")


def has_text(pdf: Path, text: str) -> bool:
    return text in pypdf.PdfReader(pdf).pages[0].extract_text()


async def test_export_copies_the_finished_background_render(tmp_path, here, renders):
    app = make_app(engagement(tmp_path), prerender=True)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await results(app, pilot)
        await until(pilot, lambda: background_done(app), "the background render")
        made = app.prerender.current
        assert made.pdf is not None and made.pdf.is_file()
        assert (made.pdf.parent.parent.stat().st_mode & 0o777) == 0o700  # private folder
        await export_default(app, pilot, screen)
        assert app.exported == [here / "acme-report.pdf"]
        folder = made.pdf.parent.parent
    assert pdf_renders(renders) == 1  # the background one; Export rendered nothing
    assert renders[0].folder != here
    assert has_text(here / "acme-report.pdf", "Acme Ltd")
    assert sorted(p.name for p in here.iterdir()) == ["acme-report.pdf"]  # no temp file
    assert not folder.exists()  # the private folder goes with the app


async def test_export_during_the_background_render_waits_for_it(tmp_path, here, renders):
    app = make_app(engagement(tmp_path), prerender=True)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await results(app, pilot)
        await until(pilot, lambda: app.prerender.current is not None, "a background render")
        await export_default(app, pilot, screen)
    assert pdf_renders(renders) == 1
    assert has_text(here / "acme-report.pdf", "Acme Ltd")


async def test_a_change_after_the_render_renders_again(tmp_path, here, renders):
    app = make_app(engagement(tmp_path), prerender=True)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await results(app, pilot)
        await until(pilot, lambda: background_done(app), "the background render")
        first = app.prerender.current
        # A duty's tracking changes (as the tracking form saves it): a new render, later
        screen.interview.set_tracking("IAM-01", {"assignee": "Sam Reed"}, TODAY)
        screen.tracking_saved("IAM-01")
        await until(
            pilot,
            lambda: app.prerender.current is not first and background_done(app),
            "the render after the change",
        )
        assert pdf_renders(renders) == 2
        assert not first.folder.exists()  # the superseded render is gone
        # A change the background has not seen yet: Export renders it itself
        screen.interview.set_tracking("IAM-01", {"assignee": "Kim Lowe"}, TODAY)
        await export_default(app, pilot, screen)
    assert pdf_renders(renders) == 3
    assert renders[-1].folder == here
    assert has_text(here / "acme-report.pdf", "Acme Ltd")


async def test_other_branding_renders_as_before(tmp_path, here, renders):
    app = make_app(engagement(tmp_path), prerender=True)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await results(app, pilot)
        await until(pilot, lambda: background_done(app), "the background render")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: type(app.screen).__name__ == "ExportScreen", "the dialog")
        app.screen.query_one("#export-firm").value = "Tern & Co"
        await pilot.click("#export-go")
        await until(pilot, lambda: app.screen is screen and not screen._exporting, "the export")
    assert pdf_renders(renders) == 2
    assert renders[-1].branding.firm == "Tern & Co"


async def test_a_rendering_export_shows_pages_laid_out(tmp_path, here, renders):
    app = make_app(engagement(tmp_path))  # no background render: Export renders
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await results(app, pilot)
        label = screen.query_one("#export-step", Static)
        shown: list[str] = []
        hand_on = screen.export_message

        def recording(*message) -> None:
            hand_on(*message)
            shown.append(str(label.render()))

        screen.export_message = recording
        assert str(label.render()) == ""
        await export_default(app, pilot, screen)
    assert shown[0] == "PDF: Building the report…"
    laid_out = [text for text in shown if "laid out" in text]
    assert laid_out[0] == "PDF: Laying out pages (1 laid out)…"
    assert shown.index(laid_out[-1]) < shown.index(next(t for t in shown if "Writing" in t))
    pages = len(pypdf.PdfReader(here / "acme-report.pdf").pages)
    assert laid_out[-1] == f"PDF: Laying out pages ({pages} laid out)…"
    assert f"PDF: Writing the PDF ({pages} pages)…" in shown
    assert pdf_renders(renders) == 1


def report_command(tmp_path) -> list[str]:
    answers = engagement(tmp_path)
    return [str(SRM), "-q", str(FIXTURE_PACK), "report", str(answers), "-o", "out.pdf"]


@pytest.mark.skipif(not SRM.exists(), reason="the srm script is not installed")
def test_srm_report_shows_progress_on_a_terminal(tmp_path):
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        report_command(tmp_path), cwd=tmp_path, stdin=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    said = b""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the child has ended
                break
            if not chunk:
                break
            said += chunk
    assert child.wait(timeout=WAIT) == 0
    os.close(leader)
    text = said.decode("utf-8")
    assert "Laying out pages (1 laid out)…" in text
    assert "Writing the PDF (" in text
    assert text.rstrip().endswith("\x1b[Kwrote out.pdf")  # the line cleared first


@pytest.mark.skipif(not SRM.exists(), reason="the srm script is not installed")
def test_srm_report_piped_prints_only_what_it_wrote(tmp_path):
    done = subprocess.run(report_command(tmp_path), cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stderr == "wrote out.pdf\n"
    assert done.stdout == ""
