"""What-if is a diff: the answers as given against the same answers with services moved.

``srm assess --what-if FROM=TO`` and ``srm diff NOW MOVED`` (MOVED: the same answers file
with FROM replaced by TO in the services answer) must report the same changes.
"""

from __future__ import annotations

import json

import yaml

from srm_tui.cli import cli
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.assessment import assess
from srm_tui.engine.compare import diff, what_if

MOVE = ("aws.ec2", "aws.ecs-fargate")


def two_scopes(example, tmp_path):
    """The demo engagement, and a copy of it with EC2 replaced by Fargate."""
    data = yaml.safe_load(example.read_text())
    now = tmp_path / "now.yaml"
    now.write_text(yaml.safe_dump(data))
    data["answers"]["services"] = [
        MOVE[1] if s == MOVE[0] else s for s in data["answers"]["services"]
    ]
    moved = tmp_path / "moved.yaml"
    moved.write_text(yaml.safe_dump(data))
    return now, moved


def without_labels(change):
    return {k: v for k, v in change.items() if k not in ("old", "new")}


def test_what_if_equals_the_diff_of_the_moved_scope(pack, example, tmp_path):
    now, moved = two_scopes(example, tmp_path)
    expected = diff(assess(pack, load_answers(now, pack)), assess(pack, load_answers(moved, pack)))
    change = what_if(pack, load_answers(now, pack), [MOVE])
    assert without_labels(change) == without_labels(expected)
    assert "OPS-04" in [d["id"] for d in change["duties"]["come"]]  # container images


def test_what_if_command_and_diff_command_agree(runner, example, tmp_path):
    now, moved = two_scopes(example, tmp_path)
    move = ["--what-if", "=".join(MOVE)]
    as_json = runner.invoke(cli, ["assess", str(now), *move, "--json"])
    assert as_json.exit_code == 0, as_json.output
    diffed = runner.invoke(cli, ["diff", str(now), str(moved), "--json"])
    assert without_labels(json.loads(as_json.output)) == without_labels(json.loads(diffed.output))
    text = runner.invoke(cli, ["assess", str(now), *move]).output
    assert text == runner.invoke(cli, ["diff", str(now), str(moved)]).output
    assert "Duties that come" in text and "OPS-04" in text


def test_duties_that_go_come_and_change_owner(pack):
    file = AnswersFile.new(pack)
    file.answers["services"] = ["aws.ec2", "aws.vpc", "aws.s3"]
    change = what_if(pack, file, [("aws.ec2", "aws.lambda")])
    duties = change["duties"]
    owner = {c["id"]: c["owner"] for c in change["controls"] if "owner" in c}
    for d in duties["gone"]:
        assert owner[d["id"]] == {"old": d["owner"], "new": "not_applicable"}
    for d in duties["come"]:
        assert owner[d["id"]] == {"old": "not_applicable", "new": d["owner"]}
    moved = {d["id"]: (d["old"], d["new"]) for d in duties["owner_changed"]}
    assert moved["OPS-01"] == ("customer", "provider")  # guest OS patching
    listed = {d["id"] for group in duties.values() for d in group}
    assert listed == set(owner)  # every owner change is in exactly one group
    assert sum(len(g) for g in duties.values()) == len(owner)
    assert file.answers["services"][0] == "aws.ec2"  # the answers are not changed
