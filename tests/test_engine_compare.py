"""diff, what-if, merge and the belief check."""

from __future__ import annotations

import json

import pytest
import yaml

from srm_tui.cli import cli
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.assessment import assess, belief_danger
from srm_tui.engine.compare import diff, moved, what_if
from srm_tui.engine.merge import merge
from srm_tui.engine.pack_loader import load_pack

QUESTIONNAIRE = """
sections:
  - id: scope
    title: Scope
    questions:
      - {id: services, type: multi, title: Services, choices: {from: services}}
      - id: mfa
        type: yesno
        title: MFA for everyone?
        effects:
          - {when: "answer == 'yes'", controls: [IAM-01], status: implemented}
          - {when: "answer == 'no'", controls: [IAM-01], status: not_implemented}
  - id: beliefs
    title: Who do you think is responsible?
    questions:
      - id: believe_iaas_os
        type: single
        title: Who patches the operating system of your virtual machines?
        when: "'iaas' in models"
        belief: {layer: operating_system, model: iaas}
        choices:
          - {value: customer, label: We do}
          - {value: provider, label: The cloud provider}
          - {value: shared, label: Both of us}
          - {value: dont_know, label: Don't know}
"""


@pytest.fixture
def small_pack(pack_copy):
    (pack_copy / "questionnaire.yaml").write_text(QUESTIONNAIRE)
    return load_pack(pack_copy)


def write(path, services, **answers):
    data = {
        "questionnaire": "cloud-srm@1.0.0",
        "meta": {"client": "Acme", "assessor": path.stem, "date": "2026-11-28"},
        "answers": {"services": services, **answers},
    }
    path.write_text(yaml.safe_dump(data))
    return path


def file_of(pack, services, **answers):
    f = AnswersFile.new(pack)
    f.answers.update(services=services, **answers)
    return f


def test_diff_finds_the_known_changes_and_nothing_else(small_pack):
    old = assess(small_pack, file_of(small_pack, ["aws.ec2", "saas.m365"], mfa="no"))
    new = assess(small_pack, file_of(small_pack, ["aws.ec2", "saas.m365"], mfa="yes"))
    change = diff(old, new)
    assert change["services"] == {"added": [], "removed": []}
    assert change["controls"] == [
        {
            "id": "IAM-01",
            "title": small_pack.control_by_id["IAM-01"].title,
            "status": {"old": "not_implemented", "new": "implemented"},
        }
    ]
    assert all(v["change"] == 0 for v in change["shares"]["overall"].values())
    assert diff(old, old)["controls"] == []


def test_diff_command(runner, small_pack, tmp_path):
    old = write(tmp_path / "2025.yaml", ["aws.ec2"])
    new = write(tmp_path / "2026.yaml", ["aws.ec2", "aws.rds"])
    result = runner.invoke(cli, ["diff", str(old), str(new), "--json", "-q", str(small_pack.path)])
    assert result.exit_code == 0, result.output
    change = json.loads(result.output)
    assert change["services"] == {"added": ["aws.rds"], "removed": []}
    text = runner.invoke(cli, ["diff", str(old), str(new), "-q", str(small_pack.path)])
    assert "Services added: Amazon RDS" in text.output


def _patching(result):
    return next(r for r in result.controls if r.control.layer == "operating_system")


def test_what_if_ec2_to_lambda_lowers_the_customer_share(pack):
    if "aws.lambda" not in pack.service_by_id:
        pytest.skip("pack without aws.lambda")
    file = file_of(pack, ["aws.ec2", "aws.s3"])
    now, then = assess(pack, file), assess(pack, moved(pack, file, [("aws.ec2", "aws.lambda")]))
    assert what_if(pack, file, [("aws.ec2", "aws.lambda")]) == diff(now, then)
    assert then.shares["overall"]["customer"] < now.shares["overall"]["customer"]
    patch_now = [r for r in now.controls if r.control.layer == "operating_system"]
    patch_then = {r.control.id: r for r in then.controls}
    assert any(r.owner == "customer" for r in patch_now)
    for r in patch_now:
        assert patch_then[r.control.id].owner not in ("customer", "third_party")


def test_what_if_command(runner, small_pack, tmp_path, pack):
    path = write(tmp_path / "a.yaml", ["aws.ec2"])
    args = ["assess", str(path), "--what-if", "aws.ec2=aws.rds", "-q", str(small_pack.path)]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    change = json.loads(result.output)
    assert change["services"] == {"added": ["aws.rds"], "removed": ["aws.ec2"]}
    assert change["shares"]["overall"]["customer"]["change"] < 0
    bad = runner.invoke(cli, ["assess", str(path), "--what-if", "aws.ec2=aws.nope"])
    assert bad.exit_code == 2 and "unknown service 'aws.nope'" in bad.output


def test_belief_check_flags_provider_patching_belief(small_pack):
    result = assess(small_pack, file_of(small_pack, ["aws.ec2"], believe_iaas_os="provider"))
    assert [(b.layer, b.model, b.believed, b.actual, b.danger) for b in result.beliefs] == [
        ("operating_system", "iaas", "provider", "customer", "critical")
    ]
    right = assess(small_pack, file_of(small_pack, ["aws.ec2"], believe_iaas_os="customer"))
    assert right.beliefs == []


def test_belief_danger_order():
    assert belief_danger("provider", "customer") == "critical"
    assert belief_danger("provider", "shared") == "high"
    assert belief_danger("shared", "customer") == "medium"
    assert belief_danger("customer", "provider") == "low"
    assert belief_danger("customer", "customer") is None


def test_merge_lists_disagreements(runner, small_pack, tmp_path):
    a = write(tmp_path / "ana.yaml", ["aws.ec2"], mfa="yes", believe_iaas_os="customer")
    b = write(
        tmp_path / "ben.yaml", ["aws.ec2", "saas.m365"], mfa="yes", believe_iaas_os="provider"
    )
    c = write(tmp_path / "cy.yaml", ["aws.ec2"], mfa="yes", believe_iaas_os="provider")
    out = tmp_path / "workshop.yaml"
    args = ["merge", str(a), str(b), str(c), "-o", str(out), "-q", str(small_pack.path)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Disagreements to discuss: 2" in result.output
    assert "ana: We do" in result.output and "ben: The cloud provider" in result.output
    merged = yaml.safe_load(out.read_text())
    assert merged["answers"]["services"] == ["aws.ec2", "saas.m365"]
    assert merged["answers"]["believe_iaas_os"] == "provider"  # two of three
    assert merged["answers"]["mfa"] == "yes"
    kinds = {d["question"]: d["kind"] for d in merged["disagreements"]}
    assert kinds == {"services": "fact", "believe_iaas_os": "belief"}
    refused = runner.invoke(cli, ["merge", str(a), str(b), "-o", str(a)])
    assert refused.exit_code == 2


def test_merge_of_agreeing_participants(small_pack):
    files = [file_of(small_pack, ["aws.ec2"], mfa="yes") for _ in range(2)]
    merged, disagreements = merge(small_pack, files)
    assert disagreements == []
    assert merged.answers == {"services": ["aws.ec2"], "mfa": "yes"}
