"""Re-assessment logic: starting from last year's file and marking answers."""

from __future__ import annotations

import datetime as dt
import shutil

from srm_tui.engine import reassess
from srm_tui.engine.answers import AnswersFile, load_answers

NEXT_YEAR = dt.date(2027, 11, 20)


def test_start_from_copies_answers_notes_and_meta_with_a_new_date(pack, example, tmp_path):
    old_path = tmp_path / "2026.yaml"
    shutil.copy(example, old_path)
    before = old_path.read_bytes()
    old = load_answers(old_path, pack)
    new = reassess.start_from(pack, old, tmp_path / "2027.yaml", NEXT_YEAR)
    new.save(pack)

    again = load_answers(tmp_path / "2027.yaml", pack)
    assert again.answers == old.answers and again.answers is not old.answers
    assert again.notes == old.notes
    assert again.meta["date"] == NEXT_YEAR
    assert {k: v for k, v in again.meta.items() if k != "date"} == {
        k: v for k, v in old.meta.items() if k != "date"
    }
    assert again.raw["review"] == {}
    assert reassess.is_reassessment(again)
    assert old_path.read_bytes() == before


def test_answers_the_pack_no_longer_asks_are_left_behind(pack, tmp_path):
    old = AnswersFile.new(pack, None, client="Acme")
    old.answers.update({"mfa_all": "yes", "retired_question": "x"})
    old.notes["retired_question"] = "old note"
    new = reassess.start_from(pack, old, None, NEXT_YEAR)
    assert new.answers == {"mfa_all": "yes"}
    assert new.notes == {}
    assert old.answers["retired_question"] == "x"  # the previous file's data is untouched


def test_carried_confirmed_changed(pack):
    old = AnswersFile.new(pack, None, client="Acme")
    old.answers.update({"mfa_all": "yes", "msp_used": "no"})
    new = reassess.start_from(pack, old, None, NEXT_YEAR)
    qids = ["mfa_all", "msp_used", "containers_on_servers"]
    assert [reassess.status(new, q) for q in qids] == ["carried", "carried", None]
    assert reassess.to_confirm(new, qids) == 2

    assert reassess.mark(new, "mfa_all", "yes", "yes") == "confirmed"
    assert reassess.mark(new, "msp_used", "no", "yes") == "changed"
    assert reassess.mark(new, "msp_used", "yes", "yes") == "changed"  # a change sticks
    assert reassess.mark(new, "containers_on_servers", None, None) is None  # skipped, still new
    assert reassess.mark(new, "containers_on_servers", None, "no") == "changed"
    assert reassess.to_confirm(new, qids) == 0
    assert new.raw["review"] == {
        "mfa_all": "confirmed",
        "msp_used": "changed",
        "containers_on_servers": "changed",
    }


def test_an_ordinary_file_is_not_marked(pack):
    file = AnswersFile.new(pack, None, client="Acme")
    file.answers["mfa_all"] = "yes"
    assert reassess.status(file, "mfa_all") is None
    assert reassess.mark(file, "mfa_all", "yes", "no") is None
    assert "review" not in file.raw


def test_hand_edited_marks_are_ignored(pack):
    file = AnswersFile.new(pack, None, client="Acme")
    file.answers["mfa_all"] = "yes"
    file.raw["review"] = {"mfa_all": "maybe", 3: ["x"]}
    assert reassess.marks(file) == {}
    assert reassess.status(file, "mfa_all") == "carried"
