"""The first commands: validate, catalog and assess, and their contracts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from srm_tui import __version__
from srm_tui.cli import cli


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_validate_passes_on_default_pack(runner):
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: cloud-srm@")


def test_validate_answers_file(runner, example):
    result = runner.invoke(cli, ["validate", str(example)])
    assert result.exit_code == 0, result.output


def test_catalog_services_json_lists_every_service(runner, pack):
    result = runner.invoke(cli, ["catalog", "services", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == [s.id for s in pack.services]
    for row in rows:
        assert {"id", "name", "provider", "model"} <= row.keys()
        assert row["model"] in ("on_prem", "iaas", "paas", "saas")


def test_catalog_tables(runner, pack):
    for what, first in (("services", "ID"), ("controls", "ID"), ("layers", "ID")):
        result = runner.invoke(cli, ["catalog", what])
        assert result.exit_code == 0
        assert result.output.startswith(first)
    layers = runner.invoke(cli, ["catalog", "layers", "--json"])
    assert [x["id"] for x in json.loads(layers.output)] == [x.id for x in pack.layers]


def test_assess_json_contract(runner, example):
    result = runner.invoke(cli, ["assess", str(example), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # The shape's version: a script reading the JSON checks it (README, "Scripting").
    assert data["schema_version"] == 1
    assert data["questionnaire"].startswith("cloud-srm@")
    assert set(data["models_in_scope"]) <= {"on_prem", "iaas", "paas", "saas"}
    assert abs(sum(data["shares"]["overall"].values()) - 1) < 1e-9
    for model in data["models_in_scope"]:
        assert abs(sum(data["shares"]["by_model"][model].values()) - 1) < 1e-9
    assert {row["layer"] for row in data["matrix"]} >= {"data", "accounts", "operating_system"}
    control = data["controls"][0]
    assert {"id", "title", "domain", "layer", "owner", "status", "services", "refs"} <= set(control)


def test_assess_text(runner, example):
    result = runner.invoke(cli, ["assess", str(example)])
    assert result.exit_code == 0
    client = yaml.safe_load(example.read_text())["meta"]["client"]
    assert client in result.output
    assert "CUSTOMER" in result.output and "Layer matrix" in result.output


def test_terminal_control_characters_are_not_printed(runner, tmp_path):
    path = tmp_path / "esc.yaml"
    path.write_text('meta: {client: "Acme\\e]52;c;aGk=\\a Ltd"}\nanswers: {services: [aws.ec2]}\n')
    result = runner.invoke(cli, ["assess", str(path)])
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert result.output.startswith("Acme]52;c;aGk= Ltd")


@pytest.mark.parametrize(
    ("args", "command", "fragment"),
    [
        (["report", "{example}", "--format", "docx"], "srm report", "'docx' is not one of"),
        (["report"], "srm report", "Missing argument 'ANSWERS...'"),
        (["catalog", "nope"], "srm catalog", "'nope' is not one of"),
        (["--bogus"], "srm", "No such option '--bogus'"),
    ],
)
def test_a_usage_error_is_one_line_naming_the_help(example, args, command, fragment):
    """A real process: an option or argument click refuses gives one line and exit 2,
    like every other bad input."""
    proc = subprocess.run(
        [sys.executable, "-m", "srm_tui", *(a.format(example=example) for a in args)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("srm: error: "), proc.stderr
    assert fragment in lines[0] and lines[0].endswith(f"; see '{command} --help'"), lines[0]


def test_help_and_version_still_exit_0():
    for args in (["--help"], ["report", "--help"], ["--version"]):
        proc = subprocess.run(
            [sys.executable, "-m", "srm_tui", *args], capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 0 and proc.stderr == "", (args, proc.stderr)
        assert "Usage: srm" in proc.stdout or __version__ in proc.stdout
