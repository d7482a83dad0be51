"""JSON, CSV, Markdown and HTML exports, batches, branding and template overrides."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from srm_tui.cli import cli
from srm_tui.report.exports import CSV_COLUMNS, csv_cell

PACK = Path(__file__).parent / "fixtures" / "report-pack"


@pytest.fixture
def answers(tmp_path) -> Path:
    path = tmp_path / "acme.yaml"
    path.write_text(
        "meta: {client: Acme, assessor: Bea, date: 2026-11-28}\n"
        "answers: {services: [aws.ec2, saas.m365], mfa_all: 'yes', os_patching: msp}\n"
        "notes: {mfa_all: '=HYPERLINK(\"http://x\")'}\n"
    )
    return path


def _report(runner, *args):
    return runner.invoke(cli, ["report", *map(str, args), "-q", str(PACK)])


# What the report pack and the answers above give, worked out by hand from the pack files:
# the "msp" answer hands OS patching to a third party on EC2 (Microsoft 365 has no guest OS
# to patch), "yes" to MFA marks IAM-01 implemented, and the data centre is the providers'.
EXPECTED_CONTROLS = {
    "IAM-01": {
        "owner": "customer",
        "status": "implemented",
        "by_service": {"aws.ec2": "customer", "saas.m365": "customer"},
        "answered_by": ["mfa_all"],
    },
    "OPS-01": {
        "owner": "third_party",
        "status": "unknown",
        "by_service": {"aws.ec2": "third_party", "saas.m365": "provider"},
        "answered_by": ["os_patching"],
    },
    "PHY-01": {
        "owner": "provider",
        "status": None,
        "by_service": {"aws.ec2": "provider", "saas.m365": "provider"},
        "answered_by": [],
    },
}


def test_json_holds_the_assessment_of_the_answers(runner, answers, tmp_path):
    result = _report(runner, answers, "-o", tmp_path / "out.json")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["schema_version"] == 1
    assert data["questionnaire"] == "report-test@1.0.0"
    assert data["meta"] == {"client": "Acme", "assessor": "Bea", "date": "2026-11-28"}
    assert [(s["id"], s["model"]) for s in data["services"]] == [
        ("aws.ec2", "iaas"),
        ("saas.m365", "saas"),
    ]
    assert data["models_in_scope"] == ["iaas", "saas"]
    assert [c["id"] for c in data["controls"]] == list(EXPECTED_CONTROLS)
    for control in data["controls"]:
        expected = EXPECTED_CONTROLS[control["id"]]
        assert {k: control[k] for k in expected} == expected, control["id"]
    # Two of the three duties are the customer's (one outsourced), one the provider's.
    assert data["shares"]["overall"] == {"customer": 0.6667, "shared": 0.0, "provider": 0.3333}
    assert data["shares"]["counts"]["overall"] == {
        "customer": 2,
        "shared": 0,
        "provider": 1,
        "not_applicable": 0,
    }
    iam = data["controls"][0]
    assert iam["refs"]["nist_800_53"] == ["IA-2(1)", "IA-2(2)"]
    assert iam["evidence_to_collect"] == [
        "Identity provider MFA policy export",
        "List of accounts without MFA (should be empty)",
    ]


def test_csv_rereads_as_the_assessment(runner, answers, tmp_path):
    result = _report(runner, answers, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["id"] for r in rows] == list(EXPECTED_CONTROLS)
    for row in rows:
        expected = EXPECTED_CONTROLS[row["id"]]
        assert row["owner"] == expected["owner"]
        assert row["status"] == (expected["status"] or "")
        assert row["services"] == "aws.ec2; saas.m365"
    iam, ops, phy = rows
    assert iam["title"] == "Require multi-factor authentication for every person"
    assert iam["references"] == (
        "nist_800_53: IA-2(1), IA-2(2); iso_27001: A.5.17, A.8.5; ccm_v4: IAM-14; cis_v8: 6.3, 6.5"
    )
    assert iam["evidence_to_collect"] == (
        "Identity provider MFA policy export; List of accounts without MFA (should be empty)"
    )
    assert ops["layer"] == "operating_system" and ops["domain"] == "ops"
    assert phy["references"] == "nist_800_53: PE-2, PE-3; iso_27001: A.7.1, A.7.2; ccm_v4: DCS-07"


def test_csv_cells_never_start_a_formula():
    for bad in ("=1+1", "+1", "-2", "@SUM(A1)", "\t=x"):
        assert csv_cell(bad) == "'" + bad
    assert csv_cell("IAM-01") == "IAM-01"


def test_markdown_lists_the_checklist(runner, answers, tmp_path):
    result = _report(runner, answers, "-o", tmp_path / "out.md")
    assert result.exit_code == 0, result.output
    body = (tmp_path / "out.md").read_text()
    lines = body.splitlines()
    assert lines[0] == "# Shared-responsibility checklist: Acme"
    assert "- **Assessor:** Bea" in lines and "- **Questionnaire:** report-test@1.0.0" in lines
    # MFA answered "yes": ticked; patching handed to an MSP with no status yet: open.
    assert (
        "- [x] **IAM-01** Require multi-factor authentication for every person — Customer, "
        "Implemented; services: Amazon EC2, Microsoft 365"
    ) in lines
    assert (
        "- [ ] **OPS-01** Patch guest operating systems — Third party, Unknown; "
        "services: Amazon EC2, Microsoft 365"
    ) in lines
    assert "PHY-01" not in body.split("## Checklist", 1)[1].split("## From the providers")[0]
    assert "| Layer | IaaS | SaaS |" in lines
    assert "| Operating system | Customer | Provider |" in lines
    assert "| All services | 67% | 0% | 33% |" in lines


def test_html_is_standalone(runner, answers, tmp_path):
    result = _report(runner, answers, "--format", "html", "-o", tmp_path / "out.html")
    assert result.exit_code == 0, result.output
    body = (tmp_path / "out.html").read_text()
    assert "<title>Shared-responsibility checklist: Acme</title>" in body
    assert "@font-face" not in body and "IAM-01" in body
    assert 'class="tick"' in body  # tick boxes a browser draws: the PDF's image is not beside it


def test_several_files_render_into_a_folder(runner, answers, tmp_path):
    second = tmp_path / "other" / "acme.yaml"
    second.parent.mkdir()
    second.write_text(answers.read_text().replace("Acme", "Beta"))
    result = _report(runner, answers, second, "--format", "json", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert made == ["acme-2.json", "acme.json"]
    clients = {json.loads(p.read_text())["meta"]["client"] for p in (tmp_path / "out").iterdir()}
    assert clients == {"Acme", "Beta"}


def test_a_bad_file_in_a_batch_is_named_and_the_rest_rendered(runner, answers, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers: {services: [nope.service]}\n")
    result = _report(runner, answers, bad, "--format", "csv", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"srm: error: {bad}" in result.output
    assert (tmp_path / "out" / "acme.csv").is_file()
    assert not (tmp_path / "out" / "bad.csv").exists()


def test_branding_from_config_and_flags(runner, answers, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[report]\nfirm = "Harbour Security"\naccent = "#aa3300"\n')
    monkeypatch.setenv("SRM_CONFIG", str(config))
    result = runner.invoke(cli, ["config"])
    assert result.exit_code == 0 and str(config) in result.output
    assert "Harbour Security" in result.output
    out = tmp_path / "b.html"
    result = _report(runner, answers, "-o", out, "--classification", "Internal")
    assert result.exit_code == 0, result.output
    body = out.read_text()
    assert "Harbour Security" in body and "--accent: #aa3300" in body and "Internal" in body


@pytest.mark.parametrize(
    ("setting", "place"),
    [('accent = "red; } body { x"', "report.accent"), ('colour = "#fff"', "report.colour")],
)
def test_bad_config_is_one_line(runner, answers, tmp_path, monkeypatch, setting, place):
    config = tmp_path / "config.toml"
    config.write_text(f"[report]\n{setting}\n")
    monkeypatch.setenv("SRM_CONFIG", str(config))
    result = _report(runner, answers, "-o", tmp_path / "x.html")
    assert result.exit_code == 2
    assert result.output.startswith(f"srm: error: {config}: {place}:")
    assert not (tmp_path / "x.html").exists()


def test_user_templates_override_bundled_ones(runner, answers, tmp_path):
    user = tmp_path / "mine" / "report"
    user.mkdir(parents=True)
    (user / "glossary.html.j2").write_text('<section id="glossary"><h1>Our terms</h1></section>')
    out = tmp_path / "t.html"
    result = _report(runner, answers, "-o", out, "--template-dir", user.parent)
    assert result.exit_code == 0, result.output
    body = out.read_text()
    assert "Our terms" in body and "Responsibility matrix" in body


def test_fillable_archival_pdf(runner, answers, tmp_path):
    out = tmp_path / "f.pdf"
    result = _report(runner, answers, "-o", out, "--fillable", "--pdf-variant", "pdf/a-3u")
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    fields = reader.get_fields()
    assert any(name.startswith("done-") for name in fields)
    assert any(name.startswith("owner-") for name in fields)
    assert b"pdfaid:part" in out.read_bytes() or "pdfaid" in str(
        reader.xmp_metadata.rdf_root.toxml()
    )
    assert set(reader.attachments) == {"answers.yaml", "assessment.json"}
