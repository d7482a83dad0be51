"""Results screen: the belief check, what-if, and downloads when served in a browser."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, DataTable, Select, Static
from tui_support import TODAY, no_blink

from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.pack_loader import load_pack
from srm_tui.tui.app import SrmApp
from srm_tui.tui.screens.results import ResultsScreen


def engagement(tmp_path, **answers) -> tuple[object, AnswersFile]:
    """An answers file for the bundled pack with ``answers``."""
    pack = load_pack()
    file = AnswersFile.new(pack, tmp_path / "acme.yaml", client="Acme Ltd", date=TODAY)
    file.answers.update(answers)
    file.save(pack)
    return pack, load_answers(file.path, pack)


async def open_results(app, pilot, tab: str):
    await pilot.pause()
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)
    app.screen.query_one("#tabs").active = tab
    await pilot.pause()


async def test_what_if_ec2_to_lambda_moves_os_patching_off_the_customer(tmp_path):
    pack, file = engagement(tmp_path, services=["aws.ec2", "saas.m365"])
    before = file.path.read_bytes()
    no_blink()
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_results(app, pilot, "tab-whatif")
        screen = app.screen
        screen.query_one("#whatif-from", Select).value = "aws.ec2"
        await pilot.pause()
        assert screen.query_one("#whatif-shares", DataTable).display is False  # one pick only
        screen.query_one("#whatif-to", Select).value = "aws.lambda"
        await pilot.pause()
        panel = screen.query_one("WhatIf")
        customer = panel.change["shares"]["overall"]["customer"]
        assert customer["new"] < customer["old"]
        assert "OPS-01" in panel.change["customer_duties"]["removed"]
        table = screen.query_one("#whatif-shares", DataTable)
        assert table.display
        scopes = [str(table.get_cell_at((i, 0))) for i in range(table.row_count)]
        assert sorted(scopes) == ["IaaS", "Overall", "PaaS", "SaaS"]
        iaas = str(table.get_cell_at((scopes.index("IaaS"), 1)))
        assert iaas.endswith("→ –")  # no IaaS left after the move
        overall = str(table.get_cell_at((0, 1)))
        assert overall == f"{customer['old'] * 100:.0f}% → {customer['new'] * 100:.0f}%"
        duties = str(screen.query_one("#whatif-duties", Static).render())
        assert "Duties that change owner" in duties
        assert "OPS-01  Patch guest operating systems: Customer → Provider" in duties
        controls = screen.query_one("#controls", DataTable)
        assert controls.row_count == len(screen.assessment.controls)  # filters untouched
    assert file.path.read_bytes() == before  # the answers file is not changed


async def test_belief_that_the_provider_patches_ec2_is_critical(tmp_path):
    pack, file = engagement(
        tmp_path,
        services=["aws.ec2"],
        belief_check="yes",
        believe_iaas_operating_system="provider",
        believe_iaas_network_controls="customer",
        believe_iaas_physical_hosts="dont_know",
    )
    no_blink()
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_results(app, pilot, "tab-beliefs")
        table = app.screen.query_one("#beliefs", DataTable)
        assert table.display
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0] == ["Operating system", "IaaS", "Provider", "Customer", " critical "]
        assert [r[4].strip() for r in rows] == ["critical", "medium"]  # network matches
        intro = str(app.screen.query_one("#belief-intro", Static).render())
        assert "2 of 3 belief answers differ from the model; 1 critical." in intro


async def test_no_belief_answers_says_so(tmp_path):
    pack, file = engagement(tmp_path, services=["aws.ec2"])
    no_blink()
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(app, pilot, "tab-beliefs")
        assert app.screen.query_one("#beliefs", DataTable).display is False
        intro = str(app.screen.query_one("#belief-intro", Static).render())
        assert intro.startswith("No belief answers.")


async def test_in_the_browser_exports_are_downloads(tmp_path, monkeypatch):
    pack, file = engagement(tmp_path, services=["aws.ec2"])
    monkeypatch.setattr(SrmApp, "is_web", property(lambda self: True))
    delivered = []
    app = SrmApp(pack, answers=file, today=TODAY)
    monkeypatch.setattr(app, "deliver_text", lambda path, **kw: delivered.append(path))
    monkeypatch.setattr(app, "deliver_binary", lambda path, **kw: delivered.append(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_results(app, pilot, "tab-export")
        await pilot.click("#download-answers")
        await pilot.pause()
        assert delivered == [file.path]
        await pilot.click("#export-open")
        await pilot.pause()
        assert not app.screen.query("#export-folder")  # downloads: no folder to choose
        for fmt in ("pdf", "md"):
            app.screen.query_one(f"#fmt-{fmt}", Checkbox).value = fmt == "md"
        await pilot.click("#export-go")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert delivered[1] == tmp_path / "acme-report.md" and delivered[1].exists()
        result = str(app.screen.query_one("#export-result", Static).render())
        assert result == "Download started: acme-report.md"


async def test_in_the_terminal_there_is_no_download_button(tmp_path):
    pack, file = engagement(tmp_path, services=["aws.ec2"])
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_results(app, pilot, "tab-export")
        ids = [b.id for b in app.screen.query("#export-buttons Button").results(Button)]
        assert ids == ["export-open"]


async def test_matrix_names_who_holds_a_mixed_cell_and_detail_shows_both_parts(tmp_path):
    pack, file = engagement(tmp_path, services=["aws.eks", "aws.rds"])
    no_blink()
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_results(app, pilot, "tab-matrix")
        screen = app.screen
        mixed = str(screen.query_one("#matrix-mixed", Static).render())
        assert "Operating system, PaaS: shared: Amazon EKS · provider: Amazon RDS" in mixed
        screen.query_one("#tabs").active = "tab-controls"
        await pilot.pause()
        table = screen.query_one("#controls", DataTable)
        ids = [str(table.get_cell_at((i, 0))) for i in range(table.row_count)]
        table.move_cursor(row=ids.index("OPS-01"))
        await pilot.pause()
        detail = str(screen.query_one("#detail", Static).render())
        assert (
            "Your part: Roll out the patched node or platform images published for Amazon EKS"
            in (" ".join(detail.split()))
        )
        assert "Provider's part: The provider builds and publishes" in " ".join(detail.split())
        # who holds it where, with names, as the PDF says it
        flat = " ".join(detail.split())
        assert "Services: Shared: Amazon EKS; Provider: Amazon RDS" in flat
        assert "NIST SP 800-53 SI-2" in flat and "nist_800_53" not in flat
        ops01 = next(r for r in screen.assessment.controls if r.control.id == "OPS-01")
        from srm_tui.report.context import control_row

        assert control_row(screen.assessment, ops01)["scope"] in flat


async def test_control_detail_quotes_the_answer_that_set_it(tmp_path):
    pack, file = engagement(tmp_path, services=["aws.ec2"], srm_documented="no")
    no_blink()
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_results(app, pilot, "tab-controls")
        screen = app.screen
        table = screen.query_one("#controls", DataTable)
        ids = [str(table.get_cell_at((i, 0))) for i in range(table.row_count)]
        table.move_cursor(row=ids.index("GOV-02"))
        await pilot.pause()
        detail = " ".join(str(screen.query_one("#detail", Static).render()).split())
        assert "From the answers: “No” (Was the split of responsibilities" in detail


async def test_belief_answers_hidden_by_the_scope_are_not_counted(tmp_path):
    """A SaaS belief left in the file after SaaS left the scope is neither asked nor counted."""
    from srm_tui.report.context import build_context

    pack, file = engagement(
        tmp_path,
        services=["aws.ec2"],
        belief_check="yes",
        believe_iaas_network_controls="customer",
        believe_saas_data="provider",  # hidden: no SaaS service in scope
    )
    no_blink()
    app = SrmApp(pack, answers=file, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_results(app, pilot, "tab-beliefs")
        intro = str(app.screen.query_one("#belief-intro", Static).render())
        assert intro == "The belief answer matches the model."
        assert build_context(app.screen.assessment)["beliefs"]["asked"] == 1
