"""``srm merge``: answered, skipped, hidden and retired questions in any mix.

The merged file must load again (``srm validate``), keep every answer the participants
agree on, and list each participant's answer wherever they disagree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srm_tui.cli import cli
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.merge import merge
from srm_tui.engine.pack_loader import load_pack
from srm_tui.engine.values import AnswerError, coerce
from srm_tui.resources import questionnaires_dir

OLD = "cloud-srm@1.0.0"
NEW_VERSION = "1.1.0"


@functools.cache
def _newer_pack():
    """The bundled pack one minor version on: 1.0.0 files may hold retired answers."""
    target = Path(tempfile.mkdtemp(prefix="srm-pack-")) / "cloud-srm"
    shutil.copytree(questionnaires_dir() / "cloud-srm", target)
    info = target / "pack.yaml"
    info.write_text(info.read_text().replace("version: 1.0.0", f"version: {NEW_VERSION}", 1))
    return load_pack(target)


@pytest.fixture(scope="module")
def newer_pack():
    yield _newer_pack()
    shutil.rmtree(_newer_pack().path.parent, ignore_errors=True)


def write(path: Path, who: str, questionnaire: str = OLD, **answers) -> Path:
    data = {
        "questionnaire": questionnaire,
        "meta": {"client": "Acme", "assessor": who, "date": "2026-11-28"},
        "answers": {"services": ["aws.ec2", "saas.m365"], **answers},
    }
    path.write_text(yaml.safe_dump(data))
    return path


def run_merge(runner, *args):
    return runner.invoke(cli, ["merge", *map(str, args)])


def test_one_answered_one_skipped_merges_and_validates(runner, tmp_path):
    ana = write(tmp_path / "ana.yaml", "Ana", mfa_all="no", mfa_gaps=["contractors"])
    ben = write(tmp_path / "ben.yaml", "Ben")  # skipped both
    out = tmp_path / "ws.yaml"
    result = run_merge(runner, ana, ben, "-o", out)
    assert result.exit_code == 0, result.output
    merged = yaml.safe_load(out.read_text())
    assert merged["answers"]["mfa_all"] == "no"
    assert merged["answers"]["mfa_gaps"] == ["contractors"]
    checked = runner.invoke(cli, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output


def test_a_disagreement_names_who_did_not_answer(runner, tmp_path):
    ana = write(tmp_path / "ana.yaml", "Ana", mfa_all="yes")
    ben = write(tmp_path / "ben.yaml", "Ben", mfa_all="no")
    cy = write(tmp_path / "cy.yaml", "Cy")
    out = tmp_path / "ws.yaml"
    result = run_merge(runner, ana, ben, cy, "-o", out)
    assert result.exit_code == 0, result.output
    block = result.output[result.output.index("(mfa_all)") :]
    assert block.splitlines()[1:5] == [
        "    Ana: Yes",
        "    Ben: No",
        "    Cy: not answered",
        "    kept: Yes",  # a tie: the first answer given
    ]
    entry = next(
        d for d in yaml.safe_load(out.read_text())["disagreements"] if d["question"] == "mfa_all"
    )
    assert [(a["by"], a["value"], a["shown"]) for a in entry["answers"]] == [
        ("Ana", "yes", "Yes"),
        ("Ben", "no", "No"),
        ("Cy", None, "not answered"),
    ]
    page = tmp_path / "ws.html"
    assert runner.invoke(cli, ["report", str(out), "-o", str(page)]).exit_code == 0
    body = page.read_text()
    part = body[body.index('id="disagreements"') : body.index('id="answers"')]
    assert '<span class="by">Cy</span> not answered' in part


def test_an_answer_hidden_by_the_participants_own_answers_does_not_count(runner, tmp_path):
    # Ben said everyone uses MFA; his old list of exceptions is hidden and stale.
    ana = write(tmp_path / "ana.yaml", "Ana", mfa_all="no", mfa_gaps=["contractors"])
    ben = write(tmp_path / "ben.yaml", "Ben", mfa_all="yes", mfa_gaps=["admins"])
    out = tmp_path / "ws.yaml"
    result = run_merge(runner, ana, ben, "-o", out)
    assert result.exit_code == 0, result.output
    merged = yaml.safe_load(out.read_text())
    assert merged["answers"]["mfa_gaps"] == ["contractors"]
    asked = {d["question"] for d in merged["disagreements"]}
    assert asked == {"mfa_all"}
    assert runner.invoke(cli, ["validate", str(out)]).exit_code == 0


def test_none_of_these_gives_way_to_what_someone_named(runner, tmp_path):
    ana = write(tmp_path / "ana.yaml", "Ana", regulated_data=["none"])
    ben = write(tmp_path / "ben.yaml", "Ben", regulated_data=["personal", "cards"])
    out = tmp_path / "ws.yaml"
    result = run_merge(runner, ana, ben, "-o", out)
    assert result.exit_code == 0, result.output
    merged = yaml.safe_load(out.read_text())
    assert merged["answers"]["regulated_data"] == ["personal", "cards"]
    assert "Ana: None of these" in result.output


def test_retired_questions_are_kept_and_the_file_validates(runner, newer_pack, tmp_path):
    pack_dir = str(newer_pack.path)
    ana = write(tmp_path / "ana.yaml", "Ana", mfa_all="yes", old_question="kept")
    ben = write(tmp_path / "ben.yaml", "Ben", mfa_all="yes", old_question="other")
    cy = write(tmp_path / "cy.yaml", "Cy", f"cloud-srm@{NEW_VERSION}", mfa_all="yes")
    out = tmp_path / "ws.yaml"
    result = runner.invoke(cli, ["merge", str(ana), str(ben), str(cy), "-o", str(out)]
                           + ["-q", pack_dir])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Ana: kept" in result.output and "Ben: other" in result.output
    merged = yaml.safe_load(out.read_text())
    assert merged["answers"]["old_question"] == "kept"
    checked = runner.invoke(cli, ["validate", str(out), "-q", pack_dir])
    assert checked.exit_code == 0, checked.output
    assert "kept answers to retired questions: old_question" in checked.output


# Property: random participant files over the bundled pack (one version on, so that
# files of the previous version may carry answers to questions the pack dropped).


def _value(pack, cq):
    q = cq.q
    kind = q.type
    if kind in ("single", "yesno"):
        return st.sampled_from([c.value for c in pack.choices(q)])
    if kind == "multi":
        return st.lists(st.sampled_from([c.value for c in pack.choices(q)]), max_size=4)
    if kind == "number":
        return st.integers(0, 100)
    if kind == "date":
        return st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8)


@st.composite
def participant_file(draw, pack, qids):
    answers = {}
    for qid in qids:
        choice = draw(st.sampled_from(["answer", "answer", "skip", "null"]))
        if choice == "null":
            answers[qid] = None
        elif choice == "answer":
            cq = pack.question_by_id[qid]
            with contextlib.suppress(AnswerError):  # e.g. a blank required text
                answers[qid] = coerce(pack, cq, draw(_value(pack, cq)))
    old = draw(st.booleans())
    if old and draw(st.booleans()):
        answers["retired_q"] = draw(
            st.one_of(st.sampled_from(["a", "b"]), st.lists(st.integers(0, 2), max_size=2),
                      st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 1)))
        )  # fmt: skip
    who = draw(st.sampled_from(["Ana", "Ben", "Cy", ""]))
    raw = {
        "questionnaire": OLD if old else pack.ref,
        "meta": {"client": "Acme", "assessor": who, "date": dt.date(2026, 11, 28)},
        "answers": answers,
        "notes": {},
    }
    return AnswersFile(raw, Path(f"{who or 'p'}.yaml"))


def _given(value):
    return value not in (None, "", [])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_merge_never_raises_and_keeps_what_everyone_agrees_on(data):
    pack = _newer_pack()
    qids = ["services", "mfa_all", "mfa_gaps", "sso_coverage", "cloud_share", "next_review",
            "remarks", "msp_used", "msp_scope", "believe_iaas_operating_system",
            "regulated_data"]  # fmt: skip
    files = data.draw(st.lists(participant_file(pack, qids), min_size=1, max_size=4))
    merged, disagreements = merge(pack, files)
    for qid in [*qids, "retired_q"]:
        values = [f.answers.get(qid) for f in files]
        if all(_given(v) for v in values) and all(v == values[0] for v in values):
            assert merged.answers[qid] == values[0], qid
    for d in disagreements:
        assert len(d.answers) == len(files)
    combined = {d.question: d.merged for d in disagreements}
    if len(combined.get("regulated_data") or []) > 1:
        assert "none" not in combined["regulated_data"]  # an exclusive choice gives way
    with tempfile.TemporaryDirectory() as folder:
        path = merged.save(None, Path(folder) / "ws.yaml")
        load_answers(path, pack)  # raises if the merged file does not validate
