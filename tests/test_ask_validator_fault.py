"""``srm ask`` on a pack whose validator raises for some answers: fail closed.

The pack loads (``srm validate`` would report the validator; ``srm ask`` does not run
that check), and the validator divides by an answer's length minus 3: a three-letter
answer makes it raise. Such an answer is never taken: the prompt says why and asks
again, and the file never holds it. Other answers go through as usual.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from test_ask_flow import (
    CLEAR_LINE,
    DOWN,
    ENTER,
    FINISH_MULTILINE,
    NO_PDF,
    PACK,
    UP,
    _terminal,  # noqa: F401  (autouse: the prompts see a terminal)
    read,
)
from test_ask_flow import run_pack as run

from srm_tui.cli import cli
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack
from srm_tui.prompt.flow import checker

RAISES_ON_THREE_LETTERS = "'' if 10 / ((value|length) - 3) else ''"


def faulty_pack(tmp_path: Path) -> Path:
    """The ask fixture pack with the raising validator on a choice and on a text."""
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    path = pack / "questionnaire.yaml"
    data = yaml.safe_load(path.read_text())
    for section in data["sections"]:
        for q in section["questions"]:
            if q["id"] in ("os_patching", "owner_name"):
                q["validator"] = RAISES_ON_THREE_LETTERS
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return pack


def write(path: Path, answers: dict) -> None:
    doc = {"questionnaire": "ask-test@1.0.0", "meta": {"client": "Acme"}, "answers": answers}
    path.write_text(yaml.safe_dump(doc))


def test_the_faulty_validator_loads_and_srm_validate_reports_it(runner, tmp_path):
    pack = faulty_pack(tmp_path)
    load_pack(pack)  # the pack checker lets it through: it only fails for some answers
    result = runner.invoke(cli, ["validate", str(pack)])
    assert result.exit_code == 2
    # Its samples reach "msp" (os_patching), not a three-letter owner's name.
    assert "sections[0].questions[1].validator" in result.output
    assert "ZeroDivisionError" in result.output


def test_the_checker_refuses_a_value_the_validator_cannot_check(tmp_path):
    """What the text prompt shows under the input: the engine's reason, with the place."""
    pack = load_pack(faulty_pack(tmp_path))
    interview = Interview(pack, AnswersFile.new(pack))
    message = checker(interview, "owner_name")("Ann")
    assert message is not None
    # The reason first (a prompt shows one line), then the file, place and expression.
    assert message.startswith(
        "this answer could not be checked: ZeroDivisionError: division by zero ("
    ), message
    assert "questionnaire.yaml" in message and "sections[2].questions[0].validator" in message
    assert "failed: ZeroDivisionError: division by zero" in message, message
    assert checker(interview, "owner_name")("Ann Lee") is None


def test_a_choice_the_validator_cannot_check_is_not_saved_and_asked_again(runner, tmp_path):
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["aws.ec2"], "mfa_all": "yes"})
    keys = (
        DOWN + ENTER  # os_patching: "msp", three letters: the validator raises
        + UP + ENTER  # asked again, the pointer on msp: Up to "internal"
        + "Ann" + ENTER  # owner_name: refused in the prompt, which stays open
        + CLEAR_LINE + "Ann Lee" + ENTER
        + ENTER + ENTER + FINISH_MULTILINE  # skip the rest
        + NO_PDF
    )  # fmt: skip
    result = run(runner, str(faulty_pack(tmp_path)), keys, str(path))
    assert result.exit_code == 0, result.output
    assert "Not saved: this answer could not be checked: ZeroDivisionError" in result.output
    line = next(x for x in result.output.splitlines() if x.startswith("Not saved:"))
    assert "sections[0].questions[1].validator" in line and "ZeroDivisionError" in line, line
    # Only the choice came back "Not saved": the text prompt refused "Ann" itself, with
    # the checker's message under the input, and stayed open for the next keys.
    assert result.output.count("Not saved:") == 1, result.output
    answers = read(path)["answers"]
    assert answers["os_patching"] == "internal"
    assert answers["owner_name"] == "Ann Lee"


def test_the_text_prompt_shows_why_on_a_real_terminal(tmp_path):
    """On a pseudo-terminal read back as a screen: the reason is under the input, the
    prompt stays open, and a good answer then goes through."""
    from test_ask_screen import SRM, Terminal

    if not SRM.exists():
        pytest.skip("the srm script is not installed")
    pack = faulty_pack(tmp_path)
    path = tmp_path / "acme.yaml"
    write(path, {"services": ["saas.m365"], "mfa_all": "yes"})
    term = Terminal(["ask", "-q", str(pack), path.name], 24, 100, tmp_path)
    try:
        term.wait_for("Who owns cloud security?")
        term.keys("Ann", ENTER)
        # One line under the input, cut at the terminal's width: the reason comes first.
        screen = "\n".join(term.wait_for("could not be checked"))
        assert "this answer could not be checked: ZeroDivisionError: division by zero" in screen
        assert "Who owns cloud security?" in screen
        assert "owner_name" not in read(path)["answers"]
        term.keys(CLEAR_LINE, "Ann Lee", ENTER)
        term.wait_for("How many people work in IT?")
        assert read(path)["answers"]["owner_name"] == "Ann Lee"
        term.keys("\x03")
    finally:
        term.close()
