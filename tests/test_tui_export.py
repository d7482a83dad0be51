"""Export from the app: the dialog (folder, formats, branding), progress while the PDF
is made, and the line printed on quit saying where everything is."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
from textual.widgets import Checkbox, Input, ProgressBar, Static
from tui_support import FIXTURE_PACK, answers_file, make_app

from srm_tui.tui.screens.export import FORMATS as EXPORT_FORMATS
from srm_tui.tui.screens.results import ResultsScreen

FORMATS = [fmt for fmt, _ in EXPORT_FORMATS]
SRM = Path(sys.executable).with_name("srm")


@pytest.fixture
def branding_config(tmp_path, monkeypatch) -> Path:
    config = tmp_path / "config.toml"
    config.write_text('[report]\nfirm = "Harbour Security"\naccent = "#0b6e4f"\n')
    monkeypatch.setenv("SRM_CONFIG", str(config))
    return config


def engagement(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    return answers_file(data / "acme.yaml", {"services": ["aws.ec2"], "mfa_all": "no"})


async def open_dialog(app, pilot):
    await pilot.pause()
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)
    app.screen.query_one("#tabs").active = "tab-export"
    await pilot.pause()
    await pilot.click("#export-open")
    await pilot.pause()
    assert type(app.screen).__name__ == "ExportScreen"
    return app.screen


def ticked(dialog) -> list[str]:
    return [f for f in FORMATS if dialog.query_one(f"#fmt-{f}", Checkbox).value]


def set_formats(dialog, formats) -> None:
    for f in FORMATS:
        dialog.query_one(f"#fmt-{f}", Checkbox).value = f in formats


def problem(dialog) -> str:
    return str(dialog.query_one("#export-problem", Static).render())


async def run_export(app, pilot) -> None:
    await pilot.click("#export-go")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_dialog_defaults_folder_formats_and_branding(tmp_path, here, branding_config):
    app = make_app(engagement(tmp_path))
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await open_dialog(app, pilot)
        assert dialog.query_one("#export-folder", Input).value == str(here)
        assert ticked(dialog) == ["pdf"]
        assert dialog.query_one("#export-firm", Input).value == "Harbour Security"
        assert dialog.query_one("#export-accent", Input).value == "#0b6e4f"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
    assert list(here.iterdir()) == []


async def test_export_writes_the_chosen_formats_with_branding_and_remembers_folder(
    tmp_path, here, branding_config
):
    out = tmp_path / "client-folder"
    out.mkdir()
    path = engagement(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-folder", Input).value = str(out)
        set_formats(dialog, ["html", "csv", "md"])
        dialog.query_one("#export-firm", Input).value = "Tern & Co <b>"
        dialog.query_one("#export-accent", Input).value = "#aa3300"
        await run_export(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        result = str(app.screen.query_one("#export-result", Static).render())
        assert str(out / "acme-report.html") in result
    assert sorted(p.name for p in out.iterdir()) == [
        "acme-report.csv",
        "acme-report.html",
        "acme-report.md",
    ]
    html = (out / "acme-report.html").read_text()
    assert "Tern &amp; Co &lt;b&gt;" in html and "#aa3300" in html
    assert list(here.iterdir()) == []
    # The folder is remembered for this engagement, in a new app too
    again = make_app(path)
    async with again.run_test(size=(100, 32)) as pilot:
        dialog = await open_dialog(again, pilot)
        assert dialog.query_one("#export-folder", Input).value == str(out)
    assert path.read_text().count(str(out)) == 0  # not in the answers file others get


@pytest.mark.parametrize(
    "folder, formats, accent, message",
    [
        ("missing", ["csv"], "#0b6e4f", "does not exist"),
        ("a-file.txt", ["csv"], "#0b6e4f", "is not a folder"),
        ("ok", [], "#0b6e4f", "Tick at least one format"),
        ("ok", ["csv"], "blue", "'blue' is not a #rrggbb colour"),
    ],
)
async def test_dialog_refuses_bad_choices_and_writes_nothing(
    tmp_path, here, folder, formats, accent, message
):
    (tmp_path / "a-file.txt").write_text("x")
    (tmp_path / "ok").mkdir()
    app = make_app(engagement(tmp_path))
    before = sorted(p.name for p in tmp_path.rglob("*"))
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-folder", Input).value = str(tmp_path / folder)
        set_formats(dialog, formats)
        dialog.query_one("#export-accent", Input).value = accent
        await pilot.click("#export-go")
        await pilot.pause()
        assert app.screen is dialog  # still open, with the reason
        assert message in problem(dialog)
    assert not (tmp_path / "missing").exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


async def test_pdf_export_shows_its_steps_and_the_app_keeps_answering(tmp_path, here):
    import pypdf

    app = make_app(engagement(tmp_path))
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await open_dialog(app, pilot)
        assert ticked(dialog) == ["pdf"]
        await pilot.click("#export-go")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        # While the PDF is being made, keys still work: switch to another tab and back
        screen.query_one("#tabs").active = "tab-split"
        await pilot.pause()
        assert screen.query_one("#tabs").active == "tab-split"
        screen.query_one("#tabs").active = "tab-export"
        await app.workers.wait_for_complete()
        await pilot.pause()
        steps = [step for step, _ in screen.export_steps]
        assert steps[0] == "Building the report"
        assert steps.index("Laying out pages") < steps.index("Writing the PDF")
        pages = dict(screen.export_steps)["Writing the PDF"]
        assert pages and pages > 1
        bar = screen.query_one("#export-progress", ProgressBar)
        assert bar.total is not None and bar.progress == bar.total
    pdf = here / "acme-report.pdf"
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert "Acme Ltd" in text
    assert len(pypdf.PdfReader(pdf).pages) == pages


async def test_quit_line_names_the_answers_file_and_the_exports(tmp_path, here):
    path = engagement(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await open_dialog(app, pilot)
        set_formats(dialog, ["csv", "md"])
        await run_export(app, pilot)
    line = app.farewell()
    assert "\n" not in line
    assert f"answers: {path}" in line
    assert f"reports: {here / 'acme-report.csv'}, {here / 'acme-report.md'}" in line


@pytest.mark.skipif(not SRM.exists(), reason="the srm script is not installed")
def test_quitting_prints_where_the_answers_are(tmp_path):
    path = tmp_path / "engagement.yaml"
    env = {**os.environ, "SRM_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color"}
    child = pexpect.spawn(
        str(SRM),
        ["-q", str(FIXTURE_PACK), "interview", str(path)],
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    try:
        child.expect("Which cloud services")
        child.send("\x11")  # Ctrl+Q
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    tail = child.before.replace("\r", "")
    assert f"answers: {path}; no reports written" in tail


def test_readme_says_where_engagements_live(monkeypatch, tmp_path):
    from srm_tui import engagements

    monkeypatch.delenv("SRM_DATA_DIR")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert engagements.engagements_dir() == tmp_path / ".local/share/srm/engagements"
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "`~/.local/share/srm/engagements/` on Linux" in readme
    assert "says where the answers file is" in readme


async def test_export_from_another_tab_shows_its_progress_on_the_export_tab(tmp_path, here):
    app = make_app(engagement(tmp_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("ctrl+e")  # from the Split tab
        await pilot.pause()
        set_formats(app.screen, ["csv"])
        await pilot.click("#export-go")
        await pilot.pause()
        assert app.screen.query_one("#tabs").active == "tab-export"
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (here / "acme-report.csv").is_file()


async def test_quitting_during_a_pdf_export_stops_it_and_leaves_nothing(tmp_path, here):
    app = make_app(engagement(tmp_path))
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await open_dialog(app, pilot)
        assert ticked(dialog) == ["pdf"]
        await pilot.click("#export-go")
        for _ in range(200):  # the export has begun once its child reports a first step
            await pilot.pause(0.05)
            if app.screen.export_steps:
                break
        assert app.screen.export_steps
        await pilot.press("ctrl+q")
    app.settle()  # as srm does after the app ends
    assert "(an unfinished export was stopped)" in app.farewell()
    assert list(here.iterdir()) == []  # no report, no temp file


@pytest.mark.skipif(not SRM.exists(), reason="the srm script is not installed")
def test_quitting_srm_during_a_pdf_export_stops_the_child_first(tmp_path, here):
    path = engagement(tmp_path)
    env = {**os.environ, "SRM_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color"}
    child = pexpect.spawn(
        str(SRM),
        ["-q", str(FIXTURE_PACK), "interview", str(path)],
        env=env,
        cwd=str(here),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=60,
    )
    try:
        child.expect("Which cloud services")
        child.send("\x0f")  # Ctrl+O: results
        child.expect("Services in scope")
        child.send("\x05")  # Ctrl+E: the export dialog, Export focused
        child.expect("Export the checklist")
        child.send("\r")
        child.expect("Building the report|Laying out pages")
        child.send("\x11")  # Ctrl+Q
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert "(an unfinished export was stopped)" in child.before.replace("\r\n", "")
    assert list(here.iterdir()) == []


async def test_the_dialog_exports_the_workbook_and_the_oscal_plan(tmp_path, here):
    out = tmp_path / "audit"
    out.mkdir()
    app = make_app(engagement(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-folder", Input).value = str(out)
        set_formats(dialog, ["xlsx", "oscal"])
        await run_export(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
    assert sorted(p.name for p in out.iterdir()) == ["acme-report.oscal.json", "acme-report.xlsx"]
    assert (out / "acme-report.xlsx").read_bytes()[:2] == b"PK"  # a zip: the xlsx container
    plan = json.loads((out / "acme-report.oscal.json").read_text())["system-security-plan"]
    assert plan["metadata"]["parties"][0]["name"] == "Acme Ltd"
