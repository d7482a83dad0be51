"""How every screen looks at 80x24 (SVG snapshots under tests/__snapshots__/).

Update after a deliberate change with ``pytest tests/test_tui_snapshots.py
--snapshot-update`` and look at the SVGs before committing them. The interview's sidebar,
bar and help come just after its question (see ``built``): each shot waits for them.
"""

from __future__ import annotations

from tui_support import TODAY, answers_file, built, make_app

from srm_tui import engagements

ANSWERED = {
    "services": ["aws.ec2", "aws.rds", "saas.m365"],
    "hosting": "hybrid",
    "uses_msp": "yes",
    "msp_name": "Contoso <script>alert(1)</script> [b]bold?[/b]",
    "mfa_all": "no",
}


def engagement(tmp_path, position=None, answers=ANSWERED):
    notes = {"mfa_all": "Rolled out in March."}
    return answers_file(tmp_path / "acme.yaml", answers, notes, position)


def test_start_screen(snap_compare, tmp_path):
    folder = engagements.engagements_dir()
    folder.mkdir(parents=True)
    answers_file(folder / "acme-ltd-2026-01-15.yaml", ANSWERED)
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_interview_choice_question(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="hosting"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=built)


def test_interview_services_list(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="services"))
    assert snap_compare(app, terminal_size=(80, 24), press=["a", "w", "s"], run_before=built)


def test_review(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=(80, 24), press=["ctrl+r"], run_before=built)


def test_results_split(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=(80, 24), press=["ctrl+o"], run_before=built)


def _results_tab(tab):
    async def open_tab(pilot):
        await built(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        pilot.app.screen.query_one("#tabs").active = tab
        await pilot.pause()

    return open_tab


def test_results_matrix(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_results_tab("tab-matrix"))


def test_results_controls(snap_compare, tmp_path):
    open_tab = _results_tab("tab-controls")

    async def open_controls(pilot):
        await open_tab(pilot)
        pilot.app.screen.query_one("#controls").focus()
        await pilot.pause()

    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_controls)


def test_help(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="hosting"))
    assert snap_compare(app, terminal_size=(80, 24), press=["f1"], run_before=built)


def test_results_beliefs(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_results_tab("tab-beliefs"))


def test_results_what_if(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_results_tab("tab-whatif"))


def test_results_export(snap_compare, tmp_path):
    app = make_app(engagement(tmp_path, position="mfa_all"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_results_tab("tab-export"))


def test_workshop_start(snap_compare, tmp_path):
    from srm_tui.engagements import Workshop
    from srm_tui.tui.app import SrmApp

    app = make_app()
    app = SrmApp(app.pack, today=TODAY, workshop=Workshop(tmp_path / "ws", client="Acme Ltd"))
    assert snap_compare(app, terminal_size=(80, 24))
