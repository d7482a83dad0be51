"""The interview, review and results screens at 80x24 and 160x48, and the dialogs
(SVG snapshots under tests/__snapshots__/; update with ``--snapshot-update`` and look
at every SVG before committing it)."""

from __future__ import annotations

import pytest
from test_tui_snapshots import ANSWERED, engagement
from tui_support import answers_file, make_app

from srm_tui import engagements

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


@pytest.mark.parametrize("size", SIZES)
def test_interview(snap_compare, tmp_path, size):
    app = make_app(engagement(tmp_path, position="hosting"))
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, tmp_path, size):
    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=size, press=["ctrl+r"])


@pytest.mark.parametrize("size", SIZES)
def test_results(snap_compare, tmp_path, size):
    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=size, press=["ctrl+o"])


@pytest.mark.parametrize("size", SIZES)
def test_results_controls(snap_compare, tmp_path, size):
    async def open_controls(pilot):
        await pilot.press("ctrl+o")
        await pilot.pause()
        pilot.app.screen.query_one("#tabs").active = "tab-controls"
        await pilot.pause()
        pilot.app.screen.query_one("#controls").focus()
        await pilot.pause()

    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=size, run_before=open_controls)


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(snap_compare, tmp_path, monkeypatch, size):
    folder = tmp_path / "reports"
    folder.mkdir()
    monkeypatch.chdir(folder)

    async def open_dialog(pilot):
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        pilot.app.screen.query_one("#export-folder").value = "/home/ann/clients/acme"
        await pilot.pause()

    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=size, run_before=open_dialog)


def test_client_in_use(snap_compare):
    folder = engagements.engagements_dir()
    folder.mkdir(parents=True)
    answers_file(folder / "acme-ltd-2026-01-15.yaml", ANSWERED)
    assert snap_compare(make_app(), terminal_size=(80, 24), press=[*"Acme Ltd", "enter"])
