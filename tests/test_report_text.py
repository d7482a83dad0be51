"""Wording and numbers in the report that must match the answers and each other.

The demo engagement is rendered once (PDF) under a client name ending in s.
"""

from __future__ import annotations

import re

import pytest
import yaml
from pypdf import PdfReader

from srm_tui.cli import cli
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.assessment import assess
from srm_tui.report import write_report
from srm_tui.report.context import build_context

CLIENT = "Northwind Payments"
CHECKLIST = "applicable duties are"  # the checklist's lead, after contents and summary


@pytest.fixture(scope="module")
def engagement(tmp_path_factory, pack):
    from srm_tui.resources import example_answers

    folder = tmp_path_factory.mktemp("text")
    data = yaml.safe_load(example_answers().read_text())
    data["meta"]["client"] = CLIENT
    path = folder / "payments.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture(scope="module")
def result(engagement, pack):
    return assess(pack, load_answers(engagement, pack))


@pytest.fixture(scope="module")
def pdf_text(engagement, result) -> str:
    out = write_report(result, engagement.with_suffix(".pdf"), "pdf")
    return " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())


def block(text: str, start: str, end: str = "SIGN-OFF", after: str = "") -> str:
    """The text from ``start`` (the first after ``after``) to the next ``end``."""
    i = text.index(start, text.index(after) if after else 0)
    return text[i : text.index(end, i)]


def test_possessive():
    from srm_tui.report.html import possessive

    assert possessive("Acme") == "Acme's"
    assert possessive("Northwind Payments") == "Northwind Payments'"
    assert possessive("Acme Systems Inc.") == "Acme Systems Inc.'s"


def test_a_name_ending_in_s_takes_an_apostrophe_only(pdf_text):
    assert "Payments's" not in pdf_text
    assert f"on {CLIENT}' side" in pdf_text


def test_duty_counts_agree_and_say_what_they_count(pdf_text, result):
    counts = result.shares["counts"]["overall"]
    applicable = counts["customer"] + counts["shared"] + counts["provider"]
    mine = sum(1 for r in result.controls if r.status is not None)
    provider = sum(1 for r in result.controls if r.owner == "provider")
    assert mine + provider == applicable
    summary = block(pdf_text, "Executive summary Northwind", "Most important open gaps")
    assert f"{applicable} of the {len(result.controls)} duties in the catalog apply" in summary
    assert f"of the {mine} duties on {CLIENT}' side" in summary
    assert "APPLICABLE DUTIES" in summary
    assert re.search(rf"All services \d+% \d+% \d+% {applicable}\b", summary)
    assert f"{mine} of the {applicable} applicable duties are {CLIENT}', alone" in pdf_text
    assert f"{provider} duty is the providers' alone" in pdf_text  # the demo has one


def test_from_the_answers_quotes_the_answer_given(pdf_text):
    gov = block(pdf_text, "GOV-02 Record the shared-responsibility split", after=CHECKLIST)
    assert "From the answers: “No” (Was the split of responsibilities" in gov
    iam = block(pdf_text, "IAM-01 Require multi-factor authentication", after=CHECKLIST)
    assert "From the answers: “No” (Is MFA required for every person" in iam
    legacy = block(pdf_text, "IAM-11 Apply risk-based and conditional access", after=CHECKLIST)
    assert (
        "“Contractors or partners, Legacy protocols (IMAP, POP, basic auth)” "
        "(Who can still sign in without MFA?)"
    ) in legacy


def test_an_answer_of_no_is_not_implemented_not_planned(pack):
    file = AnswersFile.new(pack)
    file.answers.update(services=["aws.ec2", "aws.rds"], srm_documented="no")
    file.answers["key_management"] = "provider_default"  # "never really decided"
    status = {r.control.id: r.status for r in assess(pack, file).controls}
    assert status["GOV-02"] == "not_implemented"
    assert status["CEK-02"] == "not_implemented"


SEVEN = ["aws.ec2", "aws.rds", "aws.s3", "aws.lambda", "saas.okta", "saas.m365", "saas.slack"]


def test_a_duty_counts_only_the_services_it_applies_to(pack):
    file = AnswersFile.new(pack, client="Acme")
    file.answers["services"] = SEVEN
    result = assess(pack, file)
    backups = next(r for r in result.controls if r.control.id == "BCR-01")
    assert backups.by_service["aws.lambda"] == "not_applicable"  # no data to back up
    assert backups.by_service["saas.okta"] == "not_applicable"  # vendor-only: BCR-05's duty
    rows = {row["id"]: row for row in build_context(result)["controls"]}
    assert rows["BCR-01"]["scope"] == "Amazon EC2, Amazon RDS, Amazon S3"
    for row in rows.values():
        match = re.match(r"All (\d+) services", row["scope"])
        if match:
            assert int(match[1]) == len(row["services"]) == len(SEVEN), row["id"]


def test_report_creates_a_missing_folder_for_one_input_and_for_several(runner, example, tmp_path):
    one = tmp_path / "new" / "deeper" / "one.json"
    result = runner.invoke(cli, ["report", str(example), "-o", str(one)])
    assert result.exit_code == 0, result.output
    assert one.is_file()
    several = tmp_path / "other" / "deeper"
    result = runner.invoke(
        cli, ["report", str(example), str(example), "--format", "json", "-o", str(several)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in several.iterdir()) == ["northwind-2.json", "northwind.json"]
    helptext = runner.invoke(cli, ["report", "--help"]).output
    assert "Missing folders in OUT are created" in " ".join(helptext.split())


def test_a_mistyped_service_gets_a_suggestion(runner, example, tmp_path):
    result = runner.invoke(cli, ["assess", str(example), "--what-if", "aws.ec3=aws.lambda"])
    assert result.exit_code == 2
    assert result.output == (
        "srm: error: --what-if aws.ec3=aws.lambda: unknown service 'aws.ec3' "
        "(did you mean 'aws.ec2'?)\n"
    )
    typo = tmp_path / "typo.yaml"
    data = yaml.safe_load(example.read_text())
    data["answers"]["services"][0] = "aws.ec3"
    data["answers"]["mfa_al"] = data["answers"].pop("mfa_all")
    typo.write_text(yaml.safe_dump(data))
    result = runner.invoke(cli, ["validate", str(typo)])
    assert result.exit_code == 2
    assert "unknown service 'aws.ec3' (did you mean 'aws.ec2'?)" in result.output
    assert "unknown question 'mfa_al' (did you mean 'mfa_all'?)" in result.output
    assert len(result.output.splitlines()) == 2
