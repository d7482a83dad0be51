"""The Excel workbook and the OSCAL system security plan, read back as their readers do."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from trestle.oscal.ssp import SystemSecurityPlan

from srm_tui.cli import cli
from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess
from srm_tui.engine.pack_loader import load_pack
from srm_tui.report.config import Branding
from srm_tui.report.oscal import control_id
from srm_tui.report.run import pick_format
from srm_tui.report.xlsx import MATRIX_COLUMNS, OWNER_COLUMN
from srm_tui.resources import example_answers

FORMULA = "=cmd|' /C calc'!A0"
LONG_NOTE = "@SUM(1+1) <b>bold</b> " + "x" * 10_000
HOSTILE_META = {
    "client": FORMULA,
    "assessor": "+1 <script>alert(1)</script>\x07\n  second line ",
    "scope": "-1\x07\x1b[31m red\x00 line\nsecond line <img src=http://127.0.0.1:9/a.png>",
    "classification": "@SUM(A1:A9)",
}


def _report(tmp_path: Path, answers: Path, name: str, *args: str):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["report", str(answers), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def user_dirs(tmp_path_factory):
    """No real user's config for the renders these modules share."""
    base = tmp_path_factory.mktemp("user")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SRM_DATA_DIR", str(base / "data"))
        patch.setenv("SRM_CONFIG", str(base / "config.toml"))
        yield


@pytest.fixture(scope="module")
def northwind(tmp_path_factory, user_dirs):
    """The bundled example, as a workbook and as OSCAL, with its assessment."""
    folder = tmp_path_factory.mktemp("northwind")
    example = example_answers()
    pack = load_pack()
    return {
        "xlsx": _report(folder, example, "northwind.xlsx"),
        "oscal": _report(folder, example, "northwind.oscal.json"),
        "assessment": assess(pack, load_answers(example, pack)),
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, user_dirs):
    """The example with formula prefixes, control characters, HTML and a long note."""
    folder = tmp_path_factory.mktemp("hostile")
    raw = yaml.safe_load(example_answers().read_text())
    raw["meta"].update(HOSTILE_META)
    raw.setdefault("notes", {})[next(iter(raw["answers"]))] = LONG_NOTE + "\x01\x0b"
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    runner = CliRunner()
    result = runner.invoke(
        cli, ["track", str(path), "IAM-01", "--assignee", "=HYPERLINK(\"http://x\")",
              "--note", "-2+3 " + "y" * 1_990, "--evidence", "+evidence.pdf"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {
        "xlsx": _report(folder, path, "hostile.xlsx"),
        "oscal": _report(folder, path, "hostile.oscal.json"),
    }


# -- the workbook ------------------------------------------------------------------


def test_workbook_has_its_sheets_frozen_filtered_header_and_one_row_per_duty(northwind):
    wb = load_workbook(northwind["xlsx"])
    assert wb.sheetnames == ["Responsibility matrix", "Layers", "Answers", "About"]
    ws = wb["Responsibility matrix"]
    header = [c.value for c in ws[1]]
    assert header == [title for title, _ in MATRIX_COLUMNS]
    for title in ("Control ID", "NIST SP 800-53 r5", "ISO/IEC 27001:2022", "Owner",
                  "Customer's part", "Provider's part", "Services", "Status", "Assignee",
                  "Due", "Evidence on file"):  # fmt: skip
        assert title in header
    controls = northwind["assessment"].controls
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{len(controls) + 1}"
    ids = [ws.cell(r, 1).value for r in range(2, len(controls) + 2)]
    assert ids == [r.control.id for r in controls]
    by_id = {r.control.id: r for r in controls}
    nist = header.index("NIST SP 800-53 r5") + 1
    for r in range(2, len(controls) + 2):
        result = by_id[ws.cell(r, 1).value]
        assert ws.cell(r, nist).value == (", ".join(result.control.refs.nist_800_53) or None)
        assert ws.cell(r, 2).alignment.wrap_text
    assert all(ws.column_dimensions[c].width >= 10 for c in "ABCDEFGHIJ")


def test_owner_cells_are_coloured_as_in_the_pdf_with_a_legend(northwind):
    ws = load_workbook(northwind["xlsx"])["Responsibility matrix"]
    fills = {}
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(r, OWNER_COLUMN)
        fills.setdefault(cell.value, set()).add((cell.fill.fill_type, cell.font.b))
    assert fills["Customer"] == {("solid", True)}
    assert fills["Provider"] == {("gray0625", False)}
    legend = [ws.cell(r, 1) for r in range(2, ws.max_row + 1)]
    labels = {c.value: c for c in legend}
    assert "Legend" in labels
    assert labels["Shared"].fill.fill_type == "lightUp"
    assert labels["Third party"].border.left.style == "dashed"
    accent = Branding().accent.lstrip("#").upper()
    assert labels["Customer"].fill.fgColor.rgb.endswith(accent)
    assert ws.cell(2, OWNER_COLUMN).fill.fgColor.rgb.endswith(accent)  # GOV-01, the customer's


def test_layers_answers_and_about_sheets_hold_the_engagement(northwind, example):
    wb = load_workbook(northwind["xlsx"])
    a = northwind["assessment"]
    layers = wb["Layers"]
    assert [c.value for c in layers[1]][1:-1] == [
        {"on_prem": "On-premises", "iaas": "IaaS", "paas": "PaaS", "saas": "SaaS"}[m]
        for m in a.models
    ]
    assert layers.max_row == len(a.matrix) + 1
    answers = wb["Answers"]
    rows = {r[1]: r for r in answers.iter_rows(min_row=2, values_only=True)}
    raw = yaml.safe_load(example.read_text())
    assert set(raw["answers"]) <= set(rows)
    assert rows["industry"][3] == "Retail, wholesale and logistics"
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Client"] == raw["meta"]["client"]
    assert about["Questionnaire"].endswith("(cloud-srm@1.0.0)")
    urls = [r[1] for r in wb["About"].iter_rows(values_only=True) if r[0] and r[1]]
    assert sum(u.startswith("https://") for u in urls) == len(a.sources) > 10


def test_hostile_text_stays_text_in_every_cell(hostile):
    wb = load_workbook(hostile["xlsx"])
    seen = set()
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                kind = "s" if isinstance(cell.value, str) else "n"
                assert cell.data_type == kind, (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert len(cell.value) <= 32_767
                    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", cell.value)
                    if cell.value[:1] in "=+-@":
                        assert cell.quotePrefix, (ws.title, cell.coordinate)
                        seen.add(cell.value[:1])
    assert seen == {"=", "+", "-", "@"}
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Client"] == FORMULA
    with zipfile.ZipFile(hostile["xlsx"]) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(re.search(rb"<f[ >]", z.read(n)) for n in sheets)
    matrix = wb["Responsibility matrix"]
    row = next(r for r in matrix.iter_rows(values_only=True) if r[0] == "IAM-01")
    header = [c.value for c in matrix[1]]
    assert row[header.index("Assignee")] == '=HYPERLINK("http://x")'
    assert len(row[header.index("Note")]) == 1_995


# -- OSCAL -------------------------------------------------------------------------


def _plan(path: Path) -> dict:
    return json.loads(path.read_text())["system-security-plan"]


def test_oscal_validates_and_every_referenced_control_is_a_requirement(northwind):
    plan = _plan(northwind["oscal"])
    ssp = SystemSecurityPlan.model_validate(plan)
    a = northwind["assessment"]
    referenced = {
        control_id(n)
        for r in a.controls
        if r.owner != "not_applicable"
        for n in r.control.refs.nist_800_53
    }
    required = [i.control_id for i in ssp.control_implementation.implemented_requirements]
    assert sorted(required) == sorted(referenced) and len(required) == len(set(required))
    components = ssp.system_implementation.components
    assert len(components) == len(a.services) + 1
    assert [c.type.root for c in components].count("this-system") == 1
    assert plan["metadata"]["oscal-version"] == "1.2.1"
    assert plan["metadata"]["last-modified"].startswith("2026-11-28")
    props = {p["name"]: p["value"] for p in plan["metadata"]["props"]}
    assert props["questionnaire"] == "cloud-srm@1.0.0"
    names = {p["name"] for p in plan["metadata"]["parties"]}
    assert {"Northwind Traders Ltd", "Amazon Web Services", "Microsoft Azure"} <= names
    assert "On-premises" not in names


def test_a_shared_duty_is_inherited_from_the_provider_and_satisfied_by_the_customer(northwind):
    plan = _plan(northwind["oscal"])
    a = northwind["assessment"]
    ops06 = next(r for r in a.controls if r.control.id == "OPS-06")
    customer, provider = ops06.parts["aws.rds"]
    assert ops06.by_service["aws.rds"] == "shared" and "SI-2" in ops06.control.refs.nist_800_53
    uuid_of = {c["title"]: c["uuid"] for c in plan["system-implementation"]["components"]}
    si2 = next(
        r for r in plan["control-implementation"]["implemented-requirements"]
        if r["control-id"] == "si-2"
    )  # fmt: skip
    by = {b["component-uuid"]: b for b in si2["by-components"]}
    rds = by[uuid_of["Amazon RDS"]]
    assert provider in [i["description"] for i in rds["inherited"]]
    assert customer in [s["description"] for s in rds["satisfied"]]
    aws = next(p["uuid"] for p in plan["metadata"]["parties"] if p["name"] == "Amazon Web Services")
    assert all(i["responsible-roles"][0]["party-uuids"] == [aws] for i in rds["inherited"])
    own = next(b for b in si2["by-components"] if "customer's own part" in _title(plan, b))
    assert customer in own["description"] and "OPS-06" in own["description"]
    s3 = by[uuid_of["Amazon S3"]]
    assert "satisfied" not in s3 or customer not in json.dumps(s3["satisfied"])


def _title(plan: dict, by_component: dict) -> str:
    components = plan["system-implementation"]["components"]
    return next(c["title"] for c in components if c["uuid"] == by_component["component-uuid"])


def test_oscal_uuids_are_stable_for_the_engagement_and_unique(northwind, tmp_path, example):
    again = _report(tmp_path, example, "again.oscal.json")
    assert again.read_bytes() == northwind["oscal"].read_bytes()
    text = again.read_text()
    uuids = re.findall(r'"uuid": "([0-9a-f-]{36})"', text)
    assert len(uuids) == len(set(uuids)) > 500
    other = tmp_path / "other.yaml"
    raw = yaml.safe_load(example.read_text())
    raw["meta"]["client"] = "Another client"
    other.write_text(yaml.safe_dump(raw))
    changed = _report(tmp_path, other, "other.oscal.json").read_text()
    assert not set(uuids) & set(re.findall(r'"uuid": "([0-9a-f-]{36})"', changed))


def test_hostile_text_still_gives_a_valid_plan(hostile):
    plan = _plan(hostile["oscal"])
    SystemSecurityPlan.model_validate(plan)
    assert plan["system-characteristics"]["system-name"] == FORMULA
    assert "\x07" not in json.dumps(plan) and "\\u0007" not in json.dumps(plan)
    assert plan["system-characteristics"]["description"].splitlines()[1].startswith("second")


# -- choosing the format, and where it goes ------------------------------------------


@pytest.mark.parametrize(
    "name, fmt",
    [("a.xlsx", "xlsx"), ("a.oscal.json", "oscal"), ("A.OSCAL.JSON", "oscal"),
     ("a.json", "json"), ("a.txt", "pdf")],
)  # fmt: skip
def test_the_format_follows_the_file_name(name, fmt):
    assert pick_format(None, Path(name)) == fmt


def test_batches_render_both_formats_with_their_endings(tmp_path, example):
    second = tmp_path / "second.yaml"
    shutil.copy(example, second)
    for fmt in ("xlsx", "oscal"):
        out = tmp_path / fmt
        result = CliRunner().invoke(
            cli, ["report", str(example), str(second), "-o", str(out), "--format", fmt]
        )
        assert result.exit_code == 0, result.output
        ending = ".oscal.json" if fmt == "oscal" else ".xlsx"
        assert sorted(p.name for p in out.iterdir()) == [f"northwind{ending}", f"second{ending}"]


def test_a_folder_that_cannot_be_made_is_one_line_and_exit_2(tmp_path, example):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for name in ("out.xlsx", "out.oscal.json"):
        result = CliRunner().invoke(cli, ["report", str(example), "-o", str(blocker / name)])
        assert result.exit_code == 2
        assert len(result.output.strip().splitlines()) == 1 and "a-file" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize("name", ["out.xlsx", "out.oscal.json"])
def test_a_refused_write_keeps_the_old_file_and_leaves_no_temp(
    tmp_path, example, monkeypatch, name
):
    out = tmp_path / name
    out.write_bytes(b"old")

    def refuse(*args, **kwargs):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "replace", refuse)
    result = CliRunner().invoke(cli, ["report", str(example), "-o", str(out)])
    assert result.exit_code == 2
    line = result.output.strip()
    assert len(line.splitlines()) == 1 and name in line and "Permission denied" in line
    assert out.read_bytes() == b"old" and os.listdir(tmp_path) == [name]
