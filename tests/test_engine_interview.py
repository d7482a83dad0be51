"""The interview state: visibility, navigation, autosave and what survives a save."""

from __future__ import annotations

import os
import stat

import pytest
import yaml

from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack
from srm_tui.engine.values import AnswerError

QUESTIONNAIRE = """
sections:
  - id: scope
    title: Scope
    questions:
      - {id: services, type: multi, title: Services, choices: {from: services}}
      - id: patcher
        type: single
        title: Who patches?
        when: "'iaas' in models"
        choices: [{value: us, label: Us}, {value: msp, label: An MSP}]
      - id: patch_days
        type: number
        title: Days to patch
        when: "patcher == 'us'"
        validator: "'Between 0 and 365 days' if value < 0 or value > 365"
  - id: people
    title: People
    questions:
      - {id: staff, type: number, title: How many staff?}
      - {id: started, type: date, title: Since when?}
      - {id: remarks, type: multiline, title: Remarks}
"""


@pytest.fixture
def small_pack(pack_copy):
    (pack_copy / "questionnaire.yaml").write_text(QUESTIONNAIRE)
    return load_pack(pack_copy)


@pytest.fixture
def interview(small_pack, tmp_path):
    file = AnswersFile.new(small_pack, tmp_path / "a.yaml", client="Acme")
    return Interview(small_pack, file)


def ids(interview):
    return [q.id for q in interview.visible]


def test_conditions_show_and_hide_questions(interview):
    assert ids(interview) == ["services", "staff", "started", "remarks"]
    interview.answer("services", ["aws.ec2"])
    assert ids(interview) == ["services", "patcher", "staff", "started", "remarks"]
    interview.answer("patcher", "us")
    assert "patch_days" in ids(interview)
    interview.answer("patch_days", "30")
    assert interview.progress().answered == 3
    interview.answer("services", ["aws.rds"])  # no IaaS left: both follow-ups hide
    assert ids(interview) == ["services", "staff", "started", "remarks"]
    assert interview.value("patch_days") == 30  # kept in the file ...
    assert interview.progress().answered == 1  # ... but no longer counted


def test_back_and_next_keep_answers(interview):
    interview.answer("services", ["aws.ec2"])
    assert interview.next() and interview.current_id == "patcher"
    interview.answer("patcher", "msp")
    assert interview.next() and interview.current_id == "staff"
    assert interview.previous() and interview.previous()
    assert interview.current_id == "services"
    assert interview.value("patcher") == "msp"
    assert not interview.previous()


def test_validation_messages(interview):
    with pytest.raises(AnswerError, match="not a number"):
        interview.check("staff", "many")
    with pytest.raises(AnswerError, match="not a date"):
        interview.check("started", "yesterday")
    interview.answer("services", ["aws.ec2"])
    interview.answer("patcher", "us")
    with pytest.raises(AnswerError, match="Between 0 and 365"):
        interview.answer("patch_days", 400)
    with pytest.raises(AnswerError, match="unknown service"):
        interview.check("services", ["aws.nope"])


def test_a_validator_that_fails_rejects_the_answer(pack_copy, tmp_path):
    """A validator that raises does not let the value through (it used to read as 'no message')."""
    broken = QUESTIONNAIRE.replace(
        "validator: \"'Between 0 and 365 days' if value < 0 or value > 365\"",
        "validator: \"'Too many' if value.startswith('9') + 1\"",
    )
    assert broken != QUESTIONNAIRE
    (pack_copy / "questionnaire.yaml").write_text(broken)
    pack = load_pack(pack_copy)
    interview = Interview(pack, AnswersFile.new(pack, tmp_path / "a.yaml", client="Acme"))
    interview.answer("services", ["aws.ec2"])
    interview.answer("patcher", "us")
    with pytest.raises(AnswerError, match="could not be checked: .*questionnaire.yaml"):
        interview.answer("patch_days", 30)
    assert "patch_days" not in interview.file.answers


def test_an_answer_that_makes_a_condition_fail_is_not_taken(pack_copy, tmp_path):
    """A `when` that raises for one answer (here: divides by it) rejects that answer,
    keeps the one before, and saves nothing; it is never read as "hidden"."""
    broken = QUESTIONNAIRE.replace(
        "- {id: remarks, type: multiline, title: Remarks}",
        "- {id: remarks, type: multiline, title: Remarks, "
        'when: "staff is not defined or 100 / staff > 1"}',
    )
    assert broken != QUESTIONNAIRE
    (pack_copy / "questionnaire.yaml").write_text(broken)
    pack = load_pack(pack_copy)
    path = tmp_path / "a.yaml"
    interview = Interview(pack, AnswersFile.new(pack, path, client="Acme"))
    interview.answer("staff", 5)
    saved = path.read_bytes()
    with pytest.raises(AnswerError, match="could not be taken: ZeroDivisionError"):
        interview.answer("staff", 0)
    assert interview.value("staff") == 5
    assert interview.is_visible("remarks")
    assert path.read_bytes() == saved
    interview.clear("staff")  # clearing is a change like any other, and this one is fine
    assert interview.value("staff") is None


def test_autosave_is_atomic_private_and_resumable(interview, small_pack, tmp_path):
    path = tmp_path / "a.yaml"
    interview.answer("services", ["aws.ec2"])
    interview.next()
    interview.set_note("services", "Only production accounts")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    resumed = Interview(small_pack, load_answers(path, small_pack))
    assert resumed.current_id == "patcher"
    assert resumed.value("services") == ["aws.ec2"]
    assert resumed.file.notes["services"] == "Only production accounts"


def test_unknown_keys_survive_a_save(small_pack, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(
        "questionnaire: cloud-srm@1.0.0\nx-custom: {keep: me}\nmeta: {client: A, extra: 1}\n"
        "answers: {staff: 12}\n"
    )
    interview = Interview(small_pack, load_answers(path, small_pack))
    interview.answer("remarks", "ok")
    data = yaml.safe_load(path.read_text())
    assert data["x-custom"] == {"keep": "me"}
    assert data["meta"]["extra"] == 1
    assert data["answers"] == {"staff": 12, "remarks": "ok"}
    assert data["questionnaire"] == small_pack.ref


def test_retired_answers_are_kept(pack_copy, tmp_path):
    data = yaml.safe_load((pack_copy / "pack.yaml").read_text())
    data["version"] = "1.2.0"
    (pack_copy / "pack.yaml").write_text(yaml.safe_dump(data))
    (pack_copy / "questionnaire.yaml").write_text(QUESTIONNAIRE)
    newer = load_pack(pack_copy)
    path = tmp_path / "old.yaml"
    path.write_text("questionnaire: cloud-srm@1.0.0\nanswers: {gone: 5, staff: 3}\n")
    interview = Interview(newer, load_answers(path, newer))
    assert interview.file.retired(newer) == ["gone"]
    interview.answer("staff", 4)
    saved = yaml.safe_load(path.read_text())
    assert saved["answers"]["gone"] == 5
    # Still stamped with the version its retired answer belongs to, so the file loads again.
    assert saved["questionnaire"] == "cloud-srm@1.0.0"
    assert load_answers(path, newer).answers == {"gone": 5, "staff": 4}
    del interview.file.answers["gone"]
    interview.answer("staff", 5)
    assert yaml.safe_load(path.read_text())["questionnaire"] == "cloud-srm@1.2.0"


def test_a_failed_save_leaves_the_old_file(interview, tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    interview.answer("staff", 5)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        interview.answer("staff", 6)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_section_progress(interview):
    interview.answer("staff", 10)
    progress = {s.id: p for s, p in interview.section_progress()}
    assert progress["people"].answered == 1 and progress["people"].total == 3
    assert progress["scope"].answered == 0
