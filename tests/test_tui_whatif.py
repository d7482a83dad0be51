"""The app's what-if panel: the same change as ``srm diff``, and a focus you can see."""

from __future__ import annotations

import json
import math

import yaml
from textual.widgets import Select, Static
from textual.widgets._tabbed_content import ContentTabs
from tui_support import TODAY, answers_file, make_app, no_blink

from srm_tui.cli import cli
from srm_tui.engine.answers import load_answers
from srm_tui.engine.pack_loader import load_pack
from srm_tui.tui.app import SrmApp
from srm_tui.tui.screens.results import ResultsScreen

MOVE = ("aws.ec2", "aws.ecs-fargate")


def two_scopes(example, tmp_path):
    data = yaml.safe_load(example.read_text())
    now = tmp_path / "now.yaml"
    now.write_text(yaml.safe_dump(data))
    scope = data["answers"]["services"]
    data["answers"]["services"] = [MOVE[1] if s == MOVE[0] else s for s in scope]
    moved = tmp_path / "moved.yaml"
    moved.write_text(yaml.safe_dump(data))
    return now, moved


async def what_if_tab(app, pilot):
    await pilot.pause()
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)
    app.screen.query_one("#tabs").active = "tab-whatif"
    await pilot.pause()


async def pick(app, pilot, source, target):
    app.screen.query_one("#whatif-from", Select).value = source
    app.screen.query_one("#whatif-to", Select).value = target
    await pilot.pause()


async def test_the_panel_shows_what_srm_diff_shows(runner, example, tmp_path):
    now, moved = two_scopes(example, tmp_path)
    diffed = runner.invoke(cli, ["diff", str(now), str(moved), "--json"])
    expected = json.loads(diffed.output)
    text = runner.invoke(cli, ["diff", str(now), str(moved)]).output
    pack = load_pack()
    no_blink()
    app = SrmApp(pack, answers=load_answers(now, pack), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await what_if_tab(app, pilot)
        await pick(app, pilot, *MOVE)
        change = json.loads(json.dumps(app.screen.query_one("WhatIf").change, default=str))
        shown = str(app.screen.query_one("#whatif-duties", Static).render())
    for key in ("services", "duties", "controls", "shares", "customer_duties"):
        assert change[key] == expected[key], key
    assert "Duties that come (newly apply): 1" in text
    assert "Duties that come (newly apply): 1" in shown
    assert "OPS-04  Build, scan and sign container images (Customer)" in shown


def _distance(a, b) -> float:
    if a is None or b is None:
        return 0.0 if a == b else 255.0
    return math.dist(a.get_truecolor(), b.get_truecolor())


def _visibly_different(a, b) -> bool:
    """More than a faint tint: another colour, or bold or reverse switched."""
    return (
        _distance(a.bgcolor, b.bgcolor) > 60
        or _distance(a.color, b.color) > 60
        or bool(a.reverse) != bool(b.reverse)
        or bool(a.bold) != bool(b.bold)
    )


async def test_every_focus_stop_in_the_panel_is_visible(example, tmp_path):
    now, _ = two_scopes(example, tmp_path)
    pack = load_pack()
    no_blink()
    app = SrmApp(pack, answers=load_answers(now, pack), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await what_if_tab(app, pilot)
        await pick(app, pilot, *MOVE)
        screen = app.screen
        panel = screen.query_one("WhatIf")
        stops = [w for w in screen.focus_chain if w is panel or panel in w.ancestors]
        assert len(stops) >= 3  # two pickers and the result
        tabs = screen.query_one(ContentTabs)
        for widget in stops:
            x, y = widget.region.x, widget.region.y
            tabs.focus()
            await pilot.pause()
            blurred = screen.get_style_at(x, y)
            widget.focus()
            await pilot.pause()
            assert app.focused is widget
            focused = screen.get_style_at(x, y)
            assert _visibly_different(blurred, focused), f"{widget!r}: focus not visible"


def _picked_and_focused(target: str):
    """Open the what-if tab, move EC2 to an Azure VM and focus ``target``."""

    async def run(pilot):
        await pilot.press("ctrl+o")
        await pilot.pause()
        pilot.app.screen.query_one("#tabs").active = "tab-whatif"
        await pilot.pause()
        await pick(pilot.app, pilot, "aws.ec2", "azure.vm")
        pilot.app.screen.query_one(target).focus()
        await pilot.pause()

    return run


def test_look_picker_focused(snap_compare, tmp_path):
    path = answers_file(tmp_path / "acme.yaml", {"services": ["aws.ec2", "saas.m365"]})
    assert snap_compare(
        make_app(path), terminal_size=(80, 24), run_before=_picked_and_focused("#whatif-from")
    )


def test_look_result_focused(snap_compare, tmp_path):
    path = answers_file(tmp_path / "acme.yaml", {"services": ["aws.ec2", "saas.m365"]})
    assert snap_compare(
        make_app(path), terminal_size=(160, 48), run_before=_picked_and_focused("#whatif-result")
    )
