"""``srm ask`` driven by key presses through prompt_toolkit pipe input.

Every run closes the input after its keys, so a prompt the test did not expect ends
the run with an error instead of waiting for keys that never come.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from srm_tui import prompt
from srm_tui.cli import cli
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack
from srm_tui.prompt.flow import checker

PACK = str(Path(__file__).parent / "fixtures" / "ask-pack")
UP, DOWN, ENTER, SPACE = "\x1b[A", "\x1b[B", "\r", " "
CLEAR_LINE, FINISH_MULTILINE, CTRL_C = "\x15", "\x1b\r", "\x03"
BACK_IN_LIST = UP + ENTER  # Back is the last entry: one Up from the top
BACK_IN_CHECKBOX = UP + ENTER
META = "Acme Ltd\rJ. Doe\r" + CLEAR_LINE + "2026-11-28\rProduction\r\r"
NO_PDF = "n"


@pytest.fixture(autouse=True)
def _terminal(monkeypatch):
    monkeypatch.setattr(prompt, "stdin_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")  # lines wrap the same in any terminal the tests run in
    monkeypatch.setenv("LINES", "24")


def run(runner, keys: str, *args: str):
    return run_pack(runner, PACK, keys, *args)


def run_pack(runner, pack: str, keys: str, *args: str):
    with create_pipe_input() as keyboard:
        keyboard.send_text(keys)
        keyboard.close()
        with create_app_session(input=keyboard, output=DummyOutput()):
            return runner.invoke(cli, ["ask", "-q", pack, *args], color=True)  # as a terminal


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def write(path: Path, answers: dict, notes: dict | None = None) -> None:
    doc = {
        "questionnaire": "ask-test@1.0.0",
        "meta": {"client": "Acme Ltd", "date": "2026-11-28"},
        "answers": answers,
        "notes": notes or {},
    }
    path.write_text(yaml.safe_dump(doc))


def test_full_interview_writes_what_the_keys_say(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    keys = (
        META
        + SPACE + DOWN * 3 + SPACE + ENTER  # services: EC2 and Microsoft 365
        + DOWN + ENTER  # os_patching (shown because EC2 is IaaS): a managed provider
        + DOWN + ENTER  # mfa_all: No
        + ENTER  # mfa_gaps (shown after No): nothing ticked is refused by its validator
        + DOWN + SPACE + DOWN + SPACE + ENTER  # staff, contractors
        + "Jo Smith\r"
        + "1,200\r"
        + "2026-01-15\r"
        + "Line one\rLine two" + FINISH_MULTILINE
        + NO_PDF
    )  # fmt: skip
    result = run(runner, keys, str(path))
    assert result.exit_code == 0, result.output
    doc = read(path)
    assert doc["questionnaire"] == "ask-test@1.0.0"
    assert doc["meta"] == {
        "client": "Acme Ltd",
        "assessor": "J. Doe",
        "date": dt.date(2026, 11, 28),
        "scope": "Production",
        "classification": "Confidential",
    }
    assert doc["answers"] == {
        "services": ["aws.ec2", "saas.m365"],
        "os_patching": "msp",
        "mfa_all": "no",
        "mfa_gaps": ["staff", "contractors"],
        "owner_name": "Jo Smith",
        "staff_count": 1200,
        "last_audit": dt.date(2026, 1, 15),
        "remarks": "Line one\nLine two",
    }
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert "CUSTOMER" in result.output and "Overall" in result.output
    assert f"srm report {path}" in result.output


def test_going_back_changes_an_earlier_answer_and_conditions_follow(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    keys = (
        META
        + SPACE + ENTER  # services: EC2, so os_patching appears
        + BACK_IN_LIST  # back from os_patching
        + SPACE + DOWN * 3 + SPACE + ENTER  # services again: untick EC2, tick Microsoft 365
        + DOWN + ENTER  # mfa_all: No, so mfa_gaps appears
        + BACK_IN_CHECKBOX  # back from mfa_gaps
        + UP + ENTER  # mfa_all again (pointer on No): Yes, so mfa_gaps goes away
        + "Jo\r" + "\r" + "\r" + FINISH_MULTILINE  # owner, then skip the rest
        + NO_PDF
    )  # fmt: skip
    result = run(runner, keys, str(path))
    assert result.exit_code == 0, result.output
    assert read(path)["answers"] == {
        "services": ["saas.m365"],
        "mfa_all": "yes",
        "owner_name": "Jo",
    }


def test_engine_validation_message_keeps_the_question_open(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"], "mfa_all": "yes", "owner_name": "Jo"})
    keys = "-3\r" + CLEAR_LINE + "5\r" + "not a date\r" + CLEAR_LINE + "\r" + FINISH_MULTILINE
    result = run(runner, keys + NO_PDF, str(path))
    assert result.exit_code == 0, result.output
    answers = read(path)["answers"]
    assert answers["staff_count"] == 5
    assert "last_audit" not in answers and "remarks" not in answers
    interview = Interview(load_pack(PACK), AnswersFile.new(load_pack(PACK)))
    assert checker(interview, "staff_count")("-3") == "must be zero or more"
    assert checker(interview, "last_audit")("soon") == "'soon' is not a date (use YYYY-MM-DD)"
    assert checker(interview, "staff_count")("4") is None


def test_ctrl_c_keeps_the_answers_and_exits_1(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    keys = META + SPACE + ENTER + DOWN + ENTER + CTRL_C
    result = run(runner, keys, str(path))
    assert result.exit_code == 1
    assert f"answers saved to {path}" in result.stderr
    assert read(path)["answers"] == {"services": ["aws.ec2"], "os_patching": "msp"}


def test_ctrl_c_before_the_file_exists_writes_nothing(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    result = run(runner, "Acme" + CTRL_C, str(path))
    assert result.exit_code == 1
    assert not path.exists()


def test_resume_skips_answered_questions(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["aws.ec2"], "os_patching": "msp", "mfa_all": "yes"})
    keys = "Jo\r" + "\r" + "\r" + FINISH_MULTILINE + NO_PDF  # owner is the first prompt
    result = run(runner, keys, str(path))
    assert result.exit_code == 0, result.output
    assert read(path)["answers"] == {
        "services": ["aws.ec2"],
        "os_patching": "msp",
        "mfa_all": "yes",
        "owner_name": "Jo",
    }


def test_back_from_a_resumed_question_reaches_an_answered_one(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["aws.ec2"], "os_patching": "msp", "mfa_all": "yes"})
    keys = (
        ":back\r"  # from owner_name, the first open question, back to mfa_all
        + DOWN + ENTER  # No instead of Yes, so mfa_gaps appears
        + SPACE + ENTER  # mfa_gaps: administrators
        + "Jo\r" + "\r\r" + FINISH_MULTILINE + NO_PDF
    )  # fmt: skip
    result = run(runner, keys, str(path))
    assert result.exit_code == 0, result.output
    answers = read(path)["answers"]
    assert answers["mfa_all"] == "no" and answers["mfa_gaps"] == ["admins"]
    assert answers["owner_name"] == "Jo"


def test_all_asks_everything_with_old_answers_as_defaults(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    old = {"services": ["aws.ec2"], "os_patching": "msp", "mfa_all": "yes", "owner_name": "Jo"}
    write(path, {**old, "last_audit": "2026-01-15"})
    keys = ENTER * 4 + "7\r" + ":clear\r" + FINISH_MULTILINE + NO_PDF
    result = run(runner, keys, "--all", str(path))
    assert result.exit_code == 0, result.output
    assert read(path)["answers"] == {**old, "staff_count": 7}  # :clear removed the date


def test_help_and_notes(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"]})
    keys = (
        UP * 2 + ENTER  # mfa_all: Show help
        + UP * 3 + ENTER + "Enforced since March\r"  # Add a note
        + ENTER  # Yes
        + "?\r" + ":note\r" + "Ask the CISO\r" + "Jo\r"  # owner_name: help, note, answer
        + "\r\r" + FINISH_MULTILINE + NO_PDF
    )  # fmt: skip
    result = run(runner, keys, str(path))
    assert result.exit_code == 0, result.output
    assert "Count administrators, staff and contractors." in result.output
    assert "There is no help text for this question." in result.output
    doc = read(path)
    assert doc["answers"]["mfa_all"] == "yes" and doc["answers"]["owner_name"] == "Jo"
    assert doc["notes"] == {"mfa_all": "Enforced since March", "owner_name": "Ask the CISO"}


def test_without_a_path_the_file_goes_to_the_engagement_folder(runner, tmp_path):
    keys = META + ENTER + ENTER + "Jo\r" + "\r\r" + FINISH_MULTILINE + NO_PDF
    result = run(runner, keys)
    assert result.exit_code == 0, result.output
    folder = Path(os.environ["SRM_DATA_DIR"]) / "engagements"
    (made,) = folder.glob("*.yaml")
    assert made.name == "acme-ltd-2026-11-28.yaml"
    assert read(made)["answers"] == {"services": [], "mfa_all": "yes", "owner_name": "Jo"}


def test_the_pdf_offer_writes_the_report_where_asked(runner, tmp_path, monkeypatch):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"], "mfa_all": "yes", "owner_name": "Jo"})
    written = []

    def write_report(assessment, out, fmt="pdf", **options):
        written.append((assessment.answers.answers["staff_count"], out, fmt))
        out.write_bytes(b"%PDF")
        return out

    monkeypatch.setitem(sys.modules, "srm_tui.report", SimpleNamespace(write_report=write_report))
    out = tmp_path / "out.pdf"
    keys = "3\r\r" + FINISH_MULTILINE + "y" + CLEAR_LINE + f"{out}\r"
    result = run(runner, keys, str(path))
    assert result.exit_code == 0, result.output
    assert written == [(3, out, "pdf")]
    assert f"Wrote {out}" in result.output


def test_bad_paths_and_files_stop_before_any_question(runner, tmp_path):
    missing = tmp_path / "no" / "such" / "acme.yaml"
    result = run(runner, "", str(missing))
    assert result.exit_code == 2
    assert f"{missing}: the folder for the answers file does not exist" in result.stderr
    broken = tmp_path / "broken.yaml"
    write(broken, {"mfa_all": "perhaps"})
    result = run(runner, "", str(broken))
    assert result.exit_code == 2
    assert "answers.mfa_all" in result.stderr and "Traceback" not in result.output


def test_without_the_report_module_the_pdf_offer_says_what_to_run(runner, tmp_path, monkeypatch):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"], "mfa_all": "yes", "owner_name": "Jo"})
    monkeypatch.setitem(sys.modules, "srm_tui.report", None)  # import fails
    result = run(runner, "\r\r" + FINISH_MULTILINE + "y\r", str(path))
    assert result.exit_code == 0, result.output
    assert f"run: srm report {path} -o {path.with_suffix('.pdf')}" in result.output


def pack_with(tmp_path: Path, **changes: dict) -> str:
    """A copy of the test pack with some questions' fields changed (by question id)."""
    target = tmp_path / "pack"
    shutil.copytree(PACK, target)
    source = target / "questionnaire.yaml"
    doc = yaml.safe_load(source.read_text())
    for section in doc["sections"]:
        for question in section["questions"]:
            question.update(changes.get(question["id"], {}))
    source.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(target)


def test_typing_replaces_a_shown_default_and_enter_accepts_it(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    keys = "Acme Ltd\rJ. Doe\r" + ENTER + "Production\r" + "Internal\r" + CTRL_C
    result = run(runner, keys, str(path))
    assert result.exit_code == 1
    assert read(path)["meta"]["classification"] == "Internal"
    assert read(path)["meta"]["date"] == dt.date.today()
    assert "Classification [Confidential]" in result.output


def test_an_earlier_answer_is_a_default_typing_replaces_it_and_up_edits_it(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    old = {"services": ["saas.m365"], "mfa_all": "yes", "owner_name": "Jo", "staff_count": 5}
    write(path, {**old, "last_audit": "2026-01-15"})
    keys = (
        ENTER * 2  # services and mfa_all as they were
        + "Sam\r"  # owner_name: typed over "Jo"
        + UP + "0\r"  # staff_count: Up brings back 5 to edit, then 50
        + ":clear\r"  # last_audit: removed
        + FINISH_MULTILINE + NO_PDF
    )  # fmt: skip
    result = run(runner, keys, "--all", str(path))
    assert result.exit_code == 0, result.output
    assert read(path)["answers"] == {**old, "owner_name": "Sam", "staff_count": 50}


@pytest.mark.parametrize(("typed", "saved"), [("", "IT team"), ("Security", "Security")])
def test_a_pack_default_on_a_text_question(runner, tmp_path, typed, saved):
    pack = pack_with(tmp_path, owner_name={"default": "IT team"})
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"], "mfa_all": "yes"})
    result = run_pack(runner, pack, typed + "\r" + "\r\r" + FINISH_MULTILINE + NO_PDF, str(path))
    assert result.exit_code == 0, result.output
    assert read(path)["answers"]["owner_name"] == saved


def test_space_while_filtering_types_a_space_and_enter_ticks_the_match(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {})
    keys = "amazon r" + ENTER + ENTER + CTRL_C  # filter to Amazon RDS, tick it, end the list
    result = run(runner, keys, str(path))
    assert result.exit_code == 1
    assert read(path)["answers"] == {"services": ["aws.rds"]}


def test_tab_ticks_while_filtering_and_backspace_widens_the_filter(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {})
    keys = "azure" + "\t" + "\x7f" * 5 + DOWN + SPACE + ENTER + CTRL_C  # Azure VMs, then RDS
    result = run(runner, keys, str(path))
    assert result.exit_code == 1
    assert read(path)["answers"] == {"services": ["aws.rds", "azure.vm"]}


def test_enter_on_a_command_in_a_checkbox_runs_it_and_keeps_the_ticks(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {})
    keys = (
        SPACE + UP * 3 + ENTER + "Check with IT\r"  # tick EC2, then Add a note (Enter)
        + UP * 2 + ENTER  # Show help (Enter)
        + ENTER  # the list again, EC2 still ticked
        + CTRL_C
    )  # fmt: skip
    result = run(runner, keys, str(path))
    assert result.exit_code == 1
    doc = read(path)
    assert doc["notes"] == {"services": "Check with IT"}
    assert doc["answers"] == {"services": ["aws.ec2"]}
    assert "on-premises systems count too" in result.output


def test_help_renders_markdown_as_plain_text(runner, tmp_path):
    markdown = (
        "An **audit** run; see `srm diff` and [the guide](https://example.org/guide).\n\n"
        "# Checks\n\n- first item\n- second item\n"
    )
    pack = pack_with(tmp_path, mfa_all={"help": markdown})
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"]})
    result = run_pack(runner, pack, UP * 2 + ENTER + CTRL_C, str(path))  # mfa_all: Show help
    assert result.exit_code == 1
    shown = result.output.split("Show help", 1)[-1]
    assert "An audit run; see srm diff and the guide" in shown
    assert "• first item" in shown and "• second item" in shown
    assert "Checks" in shown
    for syntax in ("**", "`", "](", "# ", "- first"):
        assert syntax not in shown, syntax


def test_help_says_how_to_go_back_skip_and_stop_and_those_work(runner, tmp_path):
    pack = pack_with(tmp_path, owner_name={"default": "IT team"})
    path = tmp_path / "acme.yaml"
    write(path, {})
    keys = (
        UP * 4 + ENTER  # services: Skip for now
        + UP * 2 + ENTER  # mfa_all: Show help
        + UP + ENTER  # mfa_all: Back to the previous question
        + SPACE + ENTER  # services again: EC2
        + ENTER  # os_patching: our own team
        + ENTER  # mfa_all: yes
        + "?\r"  # owner_name: help
        + ":skip\r"  # owner_name: left open although it has a default
        + CTRL_C  # stop
    )  # fmt: skip
    result = run_pack(runner, pack, keys, str(path))
    assert result.exit_code == 1
    assert read(path)["answers"] == {
        "services": ["aws.ec2"],
        "os_patching": "internal",
        "mfa_all": "yes",
    }
    help_shown = result.output.split("Count administrators", 1)[1]
    for words in ("Back to the previous question", ":back", "Skip for now", ":skip", "Ctrl-C"):
        assert words in help_shown, words
    assert f"srm ask {path}" in help_shown  # how to carry on later
    assert f"srm ask {path}" in result.stderr


def test_a_client_already_in_the_data_folder_is_offered_to_carry_on(runner, tmp_path):
    first = run(runner, META + ENTER + CTRL_C)  # acme-ltd-2026-11-28.yaml, services open
    assert first.exit_code == 1
    folder = Path(os.environ["SRM_DATA_DIR"]) / "engagements"
    (made,) = folder.glob("*.yaml")
    result = run(runner, "Acme Ltd\r" + "y" + SPACE + ENTER + CTRL_C)  # carry on: services
    assert result.exit_code == 1
    assert list(folder.glob("*.yaml")) == [made]
    assert read(made)["answers"] == {"services": ["aws.ec2"]}
    assert made.name in result.output


def test_a_new_engagement_for_a_known_client_when_asked(runner, tmp_path):
    run(runner, META + CTRL_C)
    result = run(runner, "acme ltd\r" + "n" + "J. Doe\r\rProduction\r\r" + CTRL_C)
    assert result.exit_code == 1
    folder = Path(os.environ["SRM_DATA_DIR"]) / "engagements"
    assert len(list(folder.glob("*.yaml"))) == 2


def test_typing_replaces_an_old_note_and_clear_removes_one(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"]}, notes={"mfa_all": "Old", "owner_name": "Old too"})
    keys = (
        UP * 3 + ENTER + "New\r"  # mfa_all: Add or change a note, typed over "Old"
        + ENTER  # mfa_all: Yes
        + ":note\r" + ":clear\r"  # owner_name: its note removed
        + "Jo\r" + CTRL_C
    )  # fmt: skip
    result = run(runner, keys, str(path))
    assert result.exit_code == 1
    assert read(path)["notes"] == {"mfa_all": "New"}
    assert "Note saved: New" in result.output and "No note." in result.output


def test_in_a_multi_line_answer_enter_runs_a_command_or_skips_when_empty(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    old = {"services": ["saas.m365"], "mfa_all": "yes", "owner_name": "Jo", "staff_count": 5}
    write(path, old)
    keys = "\r" + "?\r" + "\r" + NO_PDF  # last_audit skipped; remarks: help, then skipped
    result = run(runner, keys, str(path))
    assert result.exit_code == 0, result.output
    assert "There is no help text for this question." in result.output
    assert read(path)["answers"] == old


def test_the_end_says_how_many_questions_are_open_and_how_to_answer_them(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"], "mfa_all": "yes", "owner_name": "Jo"})
    result = run(runner, "\r" + "\r" + "\r" + NO_PDF, str(path))  # three questions skipped
    assert result.exit_code == 0, result.output
    assert "3 of 6 questions are open" in result.output
    assert f"  srm ask {path}" in result.output.split("3 of 6 questions are open", 1)[1]


def test_control_characters_in_a_file_never_reach_the_terminal(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"]}, notes={"mfa_all": "See \x1b]0;owned\x07 this"})
    doc = read(path)
    doc["meta"]["client"] = "Acme \x1b[2J Ltd"
    path.write_text(yaml.safe_dump(doc))
    result = run(runner, CTRL_C, str(path))
    assert result.exit_code == 1
    assert "Acme [2J Ltd" in result.output and "See ]0;owned this" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_ask_help_says_how_to_go_back_skip_and_stop(runner):
    result = runner.invoke(cli, ["ask", "--help"])
    assert result.exit_code == 0
    for words in ("Back to the previous question", ":back", "Skip for now", ":skip", "Ctrl-C"):
        assert words in result.output, words


EXCLUSIVE = {
    "choices": [
        {"value": "admins", "label": "Administrators"},
        {"value": "staff", "label": "Staff"},
        {"value": "nobody", "label": "Nobody", "exclusive": True},
    ]
}
BEFORE_GAPS = {"services": ["aws.ec2"], "os_patching": "internal", "mfa_all": "no"}


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (SPACE + DOWN + SPACE + DOWN + SPACE, ["nobody"]),  # ticking Nobody clears the others
        (DOWN * 2 + SPACE + UP * 2 + SPACE, ["admins"]),  # ticking another clears Nobody
    ],
)
def test_an_exclusive_choice_clears_the_others_and_they_clear_it(runner, tmp_path, keys, expected):
    pack = pack_with(tmp_path, mfa_gaps=EXCLUSIVE)
    path = tmp_path / "acme.yaml"
    write(path, BEFORE_GAPS)
    result = run_pack(runner, pack, keys + ENTER + CTRL_C, str(path))
    assert result.exit_code == 1, result.output
    assert read(path)["answers"]["mfa_gaps"] == expected


def test_ask_from_last_year_asks_the_carried_answers_and_marks_them(runner, tmp_path):
    old = tmp_path / "2026.yaml"
    write(old, {"services": ["saas.m365"], "mfa_all": "yes", "owner_name": "Jo"})
    before = old.read_bytes()
    new = tmp_path / "2027.yaml"
    keys = (
        ENTER  # services: Enter keeps Microsoft 365 (confirmed)
        + DOWN + ENTER  # mfa_all: Yes becomes No (changed), so mfa_gaps appears
        + SPACE + ENTER  # mfa_gaps, new this year: administrators
        + ENTER  # owner_name: Enter keeps Jo (confirmed)
        + "\r" + "\r" + FINISH_MULTILINE  # the rest skipped
        + NO_PDF
    )  # fmt: skip
    result = run(runner, keys, "--from", str(old), str(new))
    assert result.exit_code == 0, result.output
    assert "Carried over from last time: Yes (Enter keeps it)." in result.output
    doc = read(new)
    assert doc["answers"] == {
        "services": ["saas.m365"],
        "mfa_all": "no",
        "mfa_gaps": ["admins"],
        "owner_name": "Jo",
    }
    assert doc["review"] == {
        "services": "confirmed",
        "mfa_all": "changed",
        "mfa_gaps": "changed",
        "owner_name": "confirmed",
    }
    assert doc["meta"]["date"] == dt.date.today()
    assert old.read_bytes() == before  # last year's file is left as it was


def test_ask_from_stops_and_resumes_at_the_answers_still_carried(runner, tmp_path):
    old = tmp_path / "2026.yaml"
    write(old, {"services": ["saas.m365"], "mfa_all": "yes", "owner_name": "Jo"})
    new = tmp_path / "2027.yaml"
    result = run(runner, ENTER + CTRL_C, "--from", str(old), str(new))
    assert result.exit_code != 0 and "srm ask " + str(new) in result.output
    assert read(new)["review"] == {"services": "confirmed"}
    # Resumed without --from: services is passed over, mfa_all is asked first
    again = run(runner, DOWN + ENTER + CTRL_C, str(new))
    assert "Carried over from last time: Yes" in again.output
    assert "Microsoft 365 (Enter keeps it)" not in again.output
    assert read(new)["review"] == {"services": "confirmed", "mfa_all": "changed"}
    # --from onto a file that exists is refused: a re-assessment starts a new file
    taken = run(runner, "", "--from", str(old), str(new))
    assert taken.exit_code == 2 and "already exists" in taken.output
