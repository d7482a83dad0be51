"""Every front end shows the same figures for one engagement.

The bundled example (four service models, nine belief answers of which five differ from
the model) is read through ``srm assess --json``, ``srm assess``'s text, ``srm ask``'s
closing summary, the terminal app's results screen and the PDF. Each test reads the
figures off what that front end shows a person (not off the engine's objects) and checks
them against the JSON: the shares per scope as whole percents, how many duties apply and
how many do not, how many are on the customer's side, and the belief mismatches.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from pypdf import PdfReader
from textual.widgets import Static

from srm_tui import prompt
from srm_tui.cli import cli
from srm_tui.engine.answers import load_answers
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack
from srm_tui.report import write_report
from srm_tui.resources import example_answers
from srm_tui.tui.app import SrmApp
from srm_tui.tui.screens.results import ResultsScreen
from srm_tui.tui.widgets.bar import ResponsibilityBar

LABELS = {
    "overall": "Overall",
    "on_prem": "On-premises",
    "iaas": "IaaS",
    "paas": "PaaS",
    "saas": "SaaS",
}
SIDE_NAMES = {"Customer": "customer", "Shared": "shared", "Provider": "provider"}


@pytest.fixture(scope="module")
def engagement(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("agree") / "northwind.yaml"
    shutil.copy(example_answers(), path)
    return path


@pytest.fixture(scope="module")
def truth(engagement) -> dict[str, Any]:
    """What the JSON says, in the form the front ends print it."""
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["assess", str(engagement), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    scopes = {"overall": data["shares"]["overall"], **data["shares"]["by_model"]}
    counts = data["shares"]["counts"]["overall"]
    beliefs = data["beliefs"]
    facts = {
        "shares": {
            LABELS[scope]: {side: f"{split[side] * 100:.0f}%" for side in SIDE_NAMES.values()}
            for scope, split in scopes.items()
        },
        "applicable": sum(v for k, v in counts.items() if k != "not_applicable"),
        "not_applicable": counts["not_applicable"],
        "customer_side": sum(1 for c in data["controls"] if c["status"] is not None),
        "belief_answers": data["belief_answers"],
        "mismatches": len(beliefs),
        "critical": sum(1 for b in beliefs if b["danger"] == "critical"),
    }
    # The example exercises every figure: several models, duties of each kind, mismatches.
    assert len(scopes) == 5
    assert facts["not_applicable"] > 0 and facts["critical"] > 0
    assert 0 < facts["mismatches"] < facts["belief_answers"]
    assert facts["customer_side"] < facts["applicable"]
    return facts


def shares_rows(text: str) -> dict[str, dict[str, str]]:
    """SCOPE  CUSTOMER  SHARED  PROVIDER rows of a plain-text shares table."""
    rows = {}
    for label in LABELS.values():
        found = re.search(rf"^{re.escape(label)}\s+(\d+%)\s+(\d+%)\s+(\d+%)\s*$", text, re.M)
        if found:
            rows[label] = dict(zip(SIDE_NAMES.values(), found.groups(), strict=True))
    return rows


def counted(text: str) -> tuple[int, int]:
    found = re.search(r"Counted over (\d+) applicable duties; (\d+) do not apply", text)
    assert found, text
    return int(found[1]), int(found[2])


def belief_figures(text: str) -> tuple[int, int, int]:
    found = re.search(r"(\d+) of (\d+) belief answers differ from the model; (\d+) critical", text)
    assert found, text
    return int(found[1]), int(found[2]), int(found[3])


def test_srm_assess_text_agrees_with_the_json(runner, engagement, truth):
    result = runner.invoke(cli, ["assess", str(engagement)])
    assert result.exit_code == 0, result.output
    assert shares_rows(result.output) == truth["shares"]
    assert counted(result.output) == (truth["applicable"], truth["not_applicable"])
    mine = re.search(r"Your duties \((\d+) of (\d+) applicable duties\)", result.output)
    assert mine and (int(mine[1]), int(mine[2])) == (truth["customer_side"], truth["applicable"])
    assert belief_figures(result.output) == (
        truth["mismatches"],
        truth["belief_answers"],
        truth["critical"],
    )


def test_srm_ask_summary_agrees_with_the_json(engagement, truth, capsys):
    pack = load_pack()
    interview = Interview(pack, load_answers(engagement, pack), autosave=False)
    with create_pipe_input() as keyboard:
        keyboard.send_text("n")  # no PDF
        keyboard.close()
        with create_app_session(input=keyboard, output=DummyOutput()):
            prompt.finish(interview)
    shown = capsys.readouterr().out
    assert shares_rows(shown) == truth["shares"]
    assert counted(shown) == (truth["applicable"], truth["not_applicable"])
    assert belief_figures(shown) == (
        truth["mismatches"],
        truth["belief_answers"],
        truth["critical"],
    )


def bar_text(bar: ResponsibilityBar) -> str:
    return "".join(segment.text for segment in bar.render_line(0))


async def test_the_apps_results_agree_with_the_json(engagement, truth):
    pack = load_pack()
    app = SrmApp(pack, answers=load_answers(engagement, pack))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        bars = list(screen.query(ResponsibilityBar))
        assert [b.label for b in bars] == list(truth["shares"])
        for bar in bars:
            shown = dict(
                (SIDE_NAMES[name], pct) for name, pct in re.findall(r"(\w+) (\d+%)", bar_text(bar))
            )
            expected = truth["shares"][bar.label]
            # A side too thin for its label shows no text; every side that shows agrees.
            assert shown, bar_text(bar)
            assert shown == {side: expected[side] for side in shown}
            assert "customer" in shown
        split_text = str(screen.query_one("#counted", Static).render())
        assert counted(split_text) == (truth["applicable"], truth["not_applicable"])
        progress = str(screen.query_one("#track-progress", Static).render())
        figures = [int(n) for n in re.findall(r"(\d+) [a-z]", progress)]
        assert sum(figures) == truth["customer_side"], progress
        screen.query_one("#tabs").active = "tab-beliefs"
        await pilot.pause()
        intro = str(screen.query_one("#belief-intro", Static).render())
        assert belief_figures(intro) == (
            truth["mismatches"],
            truth["belief_answers"],
            truth["critical"],
        )


def test_the_pdf_agrees_with_the_json(engagement, truth, tmp_path):
    pack = load_pack()
    from srm_tui.engine.assessment import assess

    out = write_report(assess(pack, load_answers(engagement, pack)), tmp_path / "r.pdf", "pdf")
    pages = [page.extract_text() for page in PdfReader(out).pages]
    summary = next(p for p in pages if "Executive summary" in p and "APPLICABLE DUTIES" in p)
    label = {**LABELS, "overall": "All services"}
    for scope, name in label.items():
        row = re.search(rf"^{re.escape(name)} (\d+%) (\d+%) (\d+%) (\d+)\s*$", summary, re.M)
        assert row, name
        assert (
            dict(zip(SIDE_NAMES.values(), row.groups()[:3], strict=False))
            == (truth["shares"][LABELS[scope]])
        )
    total = truth["applicable"] + truth["not_applicable"]
    assert f"{truth['applicable']} of the {total} duties in the catalog apply" in summary
    assert re.search(rf"\bof the {truth['customer_side']} duties on .* side", summary)
    assert re.search(rf"CRITICAL {truth['critical']} duties that are", summary)
    beliefs = next(p for p in pages if p.lstrip().startswith("Belief check"))
    assert (
        f"{truth['mismatches']} of {truth['belief_answers']} beliefs differ from the model"
        in beliefs
    )


def test_the_json_export_is_the_assessment_json(runner, engagement, tmp_path):
    exported = runner.invoke(cli, ["report", str(engagement), "-o", str(tmp_path / "r.json")])
    assert exported.exit_code == 0, exported.output
    printed = runner.invoke(cli, ["assess", str(engagement), "--json"])
    assert json.loads((tmp_path / "r.json").read_text()) == json.loads(printed.output)
