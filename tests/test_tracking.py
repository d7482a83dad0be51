"""Tracking a duty by hand: ``srm track``, the answers file, and what the exports show."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys

import pytest
import yaml

from srm_tui.cli import cli
from srm_tui.engine import reassess, tracking
from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess, untracked_json
from srm_tui.engine.vocabulary import TRACK_STATUSES

TODAY = dt.date.today()


def test_the_statuses_set_by_hand_are_the_vocabularys_in_its_order():
    assert tracking.STATUS_VALUES == TRACK_STATUSES
    assert all(s.name == s.value.upper() for s in tracking.Status)


def test_an_untracked_duty_reads_in_json_as_empty_tracking():
    # written out for files without tracking, so those never load the tracking models
    assert untracked_json() == tracking.EMPTY.to_json() == tracking.Tracking().to_json()


@pytest.fixture
def answers(tmp_path, example):
    path = tmp_path / "northwind.yaml"
    shutil.copy(example, path)
    return path


def srm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "srm_tui", *args], capture_output=True, text=True, timeout=120
    )


def control(data: dict, cid: str) -> dict:
    return next(c for c in data["controls"] if c["id"] == cid)


def test_srm_track_records_and_every_export_shows_it(answers, tmp_path):
    done = srm(
        "track", str(answers), "IAM-01",
        "--status", "planned",
        "--assignee", "Priya Shah (IT)",
        "--due", "2027-01-31",
        "--evidence", "CHG-1042",
        "--evidence", "https://wiki.example/mfa-rollout",
        "--note", "Contractors first",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Planned (set by hand)" in done.stdout
    stored = yaml.safe_load(answers.read_text())["tracking"]["IAM-01"]
    assert stored["status"] == "planned" and stored["due"] == dt.date(2027, 1, 31)
    fields = {c["field"] for c in stored["history"]}
    assert fields == {"status", "assignee", "due", "evidence", "note"}
    assert all(c["date"] == TODAY for c in stored["history"])

    out = srm("assess", "--json", str(answers))
    assert out.returncode == 0, out.stderr
    mfa = control(json.loads(out.stdout), "IAM-01")
    assert mfa["status"] == "planned" and mfa["status_source"] == "tracked"
    assert mfa["derived_status"] == "not_implemented"
    assert mfa["assignee"] == "Priya Shah (IT)" and mfa["due"] == "2027-01-31"
    assert mfa["evidence"] == ["CHG-1042", "https://wiki.example/mfa-rollout"]
    assert mfa["note"] == "Contractors first" and mfa["overdue"] is (dt.date(2027, 1, 31) < TODAY)
    untouched = control(json.loads(out.stdout), "IAM-02")
    assert untouched["status_source"] == "answers" and untouched["assignee"] is None
    assert untouched["evidence"] == [] and untouched["evidence_to_collect"]

    csv_out = tmp_path / "out.csv"
    assert srm("report", str(answers), "-o", str(csv_out)).returncode == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(csv_out.read_text("utf-8-sig")))}
    row = rows["IAM-01"]
    assert row["status"] == "planned" and row["status_source"] == "tracked"
    assert row["assignee"] == "Priya Shah (IT)" and row["due"] == "2027-01-31"
    assert row["evidence"] == "CHG-1042; https://wiki.example/mfa-rollout"
    assert row["note"] == "Contractors first" and row["last_changed"] == TODAY.isoformat()
    assert rows["IAM-02"]["status_source"] == "answers" and rows["IAM-02"]["assignee"] == ""

    json_out = tmp_path / "out.json"
    assert srm("report", str(answers), "-o", str(json_out)).returncode == 0
    assert control(json.loads(json_out.read_text()), "IAM-01")["assignee"] == "Priya Shah (IT)"


def test_srm_track_adds_evidence_clears_fields_and_says_nothing_changed(runner, answers):
    def track(*args):
        result = runner.invoke(cli, ["track", str(answers), "IAM-01", *args])
        assert result.exit_code == 0, result.output
        return result.output

    track("--evidence", "A", "--assignee", "Jo")
    track("--evidence", "B", "--evidence", "A")
    assert tracking.entries(yaml.safe_load(answers.read_text()))["IAM-01"].evidence == ["A", "B"]
    before = answers.read_bytes()
    assert "Nothing changed" in track("--assignee", "Jo")
    assert answers.read_bytes() == before
    track("--assignee", "", "--clear-evidence")
    entry = tracking.entries(yaml.safe_load(answers.read_text()))["IAM-01"]
    assert entry.assignee is None and entry.evidence == []
    assert "Assignee" not in track()  # no options: prints what is recorded


BAD = [
    (["NOPE-1", "--status", "planned"], "CONTROL_ID", "unknown control 'NOPE-1'"),
    (["iam-1", "--status", "planned"], "CONTROL_ID", "did you mean IAM-01"),
    (["IAM-01", "--due", "2026-02-30"], "--due", "2026-02-30 is not a date"),
    (["IAM-01", "--due", "31/01/2027"], "--due", "is not a date (use YYYY-MM-DD)"),
    (["IAM-01", "--status", "done"], "--status", "'done' is not a status"),
    (["IAM-01", "--status", "not_applicable"], "--reason", "a reason is required"),
    (["IAM-01", "--status", "risk_accepted"], "--reason", "a reason is required"),
    (["IAM-01", "--assignee", "x" * 10_000], "--assignee", "10000 characters; at most 200"),
    (["IAM-01", "--evidence", "e" * 10_000], "--evidence", "10000 characters"),
    (["IAM-01", "--assignee", "Jo\x1b[31m"], "--assignee", "control characters"),
    (["IAM-01", "--evidence", "line\nbreak"], "--evidence", "control characters"),
    (["IAM-01", "--note", "bell\x07"], "--note", "control characters"),
]


@pytest.mark.parametrize(("args", "flag", "fragment"), BAD)
def test_bad_tracking_input_is_one_line_exit_2_and_the_file_is_unchanged(
    runner, answers, args, flag, fragment
):
    before = answers.read_bytes()
    result = runner.invoke(cli, ["track", str(answers), *args])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert lines[0].startswith(f"srm: error: {flag}: "), lines[0]
    assert fragment in lines[0]
    assert answers.read_bytes() == before


def test_bad_input_as_a_process_leaves_the_file_byte_for_byte(answers):
    before = answers.read_bytes()
    done = srm("track", str(answers), "IAM-01", "--status", "risk_accepted", "--due", "2027-13-01")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("srm: error: --due: ")
    assert answers.read_bytes() == before


@pytest.mark.parametrize(
    ("entry", "place", "fragment"),
    [
        ({"status": "done"}, "tracking.IAM-01.status", "'done' is not a status"),
        ({"due": "2026-02-30"}, "tracking.IAM-01.due", "is not a date"),
        ({"status": "risk_accepted"}, "tracking.IAM-01", "a reason is required"),
        ({"assignee": "a\x07b"}, "tracking.IAM-01.assignee", "control characters"),
        ({"owner": "Jo"}, "tracking.IAM-01.owner", "unknown key"),
        ({"evidence": ["ok", "x" * 10_000]}, "tracking.IAM-01.evidence[1]", "at most 200"),
    ],
)
def test_bad_tracking_in_the_answers_file_names_the_line_and_place(
    runner, answers, entry, place, fragment
):
    data = yaml.safe_load(answers.read_text())
    data["tracking"] = {"IAM-01": entry}
    answers.write_text(yaml.safe_dump(data, sort_keys=False))
    before = answers.read_bytes()
    result = runner.invoke(cli, ["track", str(answers), "IAM-01", "--assignee", "Jo"])
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert "\n" not in line and str(answers) in line and "line " in line, line
    assert place in line and fragment in line, line
    assert answers.read_bytes() == before


def test_unknown_control_in_the_file_suggests_the_nearest(runner, answers):
    data = yaml.safe_load(answers.read_text())
    data["tracking"] = {"IAM-1": {"status": "planned"}}
    answers.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(cli, ["validate", str(answers)])
    assert result.exit_code == 2
    assert "tracking.IAM-1" in result.output and "did you mean IAM-01" in result.output


def test_hand_status_overrides_only_on_the_customer_side_and_overdue_follows_the_date(
    pack, example
):
    file = load_answers(example, pack)
    provider = next(r for r in assess(pack, file).controls if r.owner == "provider")
    day = dt.date(2026, 12, 1)
    late = tracking.update(None, {"status": "partial", "due": "2026-11-30"}, day)
    closed = tracking.update(None, {"status": "implemented", "due": "2026-11-30"}, day)
    tracking.store(file.raw, "IAM-01", late)
    tracking.store(file.raw, "IAM-02", closed)
    tracking.store(file.raw, provider.control.id, late)
    result = {r.control.id: r for r in assess(pack, file, today=day).controls}
    assert result["IAM-01"].status == "partial" and result["IAM-01"].overdue
    assert result["IAM-02"].status == "implemented" and not result["IAM-02"].overdue
    other = result[provider.control.id]
    assert other.status is None and other.status_source == "answers" and not other.overdue
    assert other.tracking.status_value == "partial"  # kept, in case the scope changes
    on_the_day = {r.control.id: r for r in assess(pack, file, today=dt.date(2026, 11, 30)).controls}
    assert not on_the_day["IAM-01"].overdue


def test_accepted_risk_leaves_the_gaps(pack, example):
    file = load_answers(example, pack)
    before = [g.control.id for g in assess(pack, file).gaps]
    entry = tracking.update(None, {"status": "risk_accepted", "reason": "Board minute 12"}, TODAY)
    tracking.store(file.raw, before[0], entry)
    after = [g.control.id for g in assess(pack, file).gaps]
    assert before[0] not in after and len(after) == len(before) - 1


def test_reassessment_carries_tracking_marked_for_confirmation(pack, answers, runner):
    runner.invoke(cli, ["track", str(answers), "IAM-01", "--status", "planned", "--assignee", "Jo"])
    old = load_answers(answers, pack)
    new = reassess.start_from(pack, old, answers.with_name("next.yaml"), dt.date(2027, 11, 1))
    new.save(pack)
    entry = tracking.entries(new.raw)["IAM-01"]
    assert entry.carried and entry.assignee == "Jo" and entry.status_value == "planned"
    shown = runner.invoke(cli, ["track", str(new.path), "IAM-01"]).output
    assert "Carried over" in shown
    data = json.loads(runner.invoke(cli, ["assess", "--json", str(new.path)]).output)
    assert control(data, "IAM-01")["carried"] is True
    runner.invoke(cli, ["track", str(new.path), "IAM-01", "--confirm"])
    entry = tracking.entries(yaml.safe_load(new.path.read_text()))["IAM-01"]
    assert not entry.carried and entry.history[-1].field == "confirmed"


def test_merge_keeps_tracking_and_lists_disagreements(runner, answers, tmp_path):
    other = tmp_path / "second.yaml"
    shutil.copy(answers, other)
    for path, who, due in ((answers, "Ana", "2027-01-31"), (other, "Ben", "2027-03-31")):
        data = yaml.safe_load(path.read_text())
        data["meta"]["participant"] = who
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        args = ["track", str(path), "IAM-01", "--assignee", "Jo", "--due", due]
        assert runner.invoke(cli, [*args, "--evidence", f"note by {who}"]).exit_code == 0
    assert runner.invoke(cli, ["track", str(other), "LOG-01", "--status", "partial"]).exit_code == 0
    out = tmp_path / "merged.yaml"
    result = runner.invoke(cli, ["merge", str(answers), str(other), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "IAM-01 due: Ana: 2027-01-31; Ben: 2027-03-31" in result.output
    assert "IAM-01 assignee" not in result.output  # they agree
    merged = tracking.entries(yaml.safe_load(out.read_text()))
    assert merged["IAM-01"].assignee == "Jo"
    assert merged["IAM-01"].evidence == ["note by Ana", "note by Ben"]
    assert merged["LOG-01"].status_value == "partial"
    assert runner.invoke(cli, ["validate", str(out)]).exit_code == 0


def test_diff_reports_a_status_set_by_hand(runner, answers, tmp_path, example):
    runner.invoke(cli, ["track", str(answers), "IAM-01", "--status", "implemented"])
    result = runner.invoke(cli, ["diff", str(example), str(answers)])
    assert result.exit_code == 0, result.output
    assert "IAM-01" in result.output and "-> Implemented (set by hand)" in result.output
    data = json.loads(runner.invoke(cli, ["diff", "--json", str(example), str(answers)]).output)
    change = next(c for c in data["controls"] if c["id"] == "IAM-01")
    assert change["status"] == {"old": "not_implemented", "new": "implemented", "set_by_hand": True}


def test_json_answers_file_takes_tracking_too(runner, answers, tmp_path):
    data = yaml.safe_load(answers.read_text())
    data["tracking"] = {"IAM-01": {"status": "planned", "due": "2027-02-01"}}
    path = tmp_path / "n.json"
    path.write_text(json.dumps(data, default=str))
    result = runner.invoke(cli, ["assess", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert control(json.loads(result.output), "IAM-01")["due"] == "2027-02-01"
