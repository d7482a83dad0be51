"""Sandbox bombs built at run time: the dangerous value is an answer, not a constant.

A condition that reads nothing is run when the pack loads, so ``'a' * 10**9`` is caught
there (tests/hostile/packs). These conditions are harmless with small answers and only
explode with the answer a person (or an answers file) gives: a long text repeated by a
number, a number as an exponent, as ``round``'s precision, a text as ``sort``'s attribute
path or as the characters ``strip`` removes. Each must fail closed and fast: the value
is refused (a validator) or the pack's condition error is raised (a ``when``), within
the timeout, never a hang or a machine out of memory.
"""

from __future__ import annotations

import shutil

import pytest
import yaml
from test_hostile_corpus import BASE_PACK

from srm_tui.cli import cli
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack
from srm_tui.engine.values import AnswerError

# The questions of the base pack's second section, by position.
DETAILS = {"mfa": 0, "days": 1, "owner_name": 2, "remarks": 3, "since": 4}
LONG_PATH = "0." * 100_000  # 100 000 look-ups per item of the list it sorts
DISTINCT = "".join(map(chr, range(0x4E00, 0x4E00 + 400_000)))  # strip: each char a search


def make_pack(tmp_path, **edits):
    """The base pack with ``{question: {key: expression}}`` set in the details section."""
    pack = tmp_path / "pack"
    shutil.copytree(BASE_PACK, pack)
    path = pack / "questionnaire.yaml"
    data = yaml.safe_load(path.read_text())
    for qid, fields in edits.items():
        data["sections"][1]["questions"][DETAILS[qid]].update(fields)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_pack(pack)


def interview(tmp_path, pack, **answers) -> Interview:
    file = AnswersFile.new(pack, tmp_path / "answers.yaml", client="Acme")
    file.answers.update({"services": ["acme.vm"], "patcher": "us", **answers})
    file.save(pack)
    return Interview(pack, file)


def assert_refused(interview: Interview, qid: str, value, *fragments: str) -> None:
    """The validator could not run: the value is refused with the reason, not stored."""
    before = interview.file.path.read_bytes()
    with pytest.raises(AnswerError) as caught:
        interview.answer(qid, value)
    message = str(caught.value)
    assert message.startswith("this answer could not be checked"), message
    assert "questionnaire.yaml" in message and f"questions[{DETAILS[qid]}].validator" in message
    for fragment in fragments:
        assert fragment in message, message
    assert qid not in interview.file.answers or interview.file.answers[qid] != value
    assert interview.file.path.read_bytes() == before


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "validator, days, text, fragment",
    [
        # A short text repeated by a big number, a big text by a small one.
        ("'long' if (value * days)|length > 9", 10**9, "x", "repetition too large"),
        ("'long' if (value * days)|length > 9", 2, "x" * 1_000_000, "repetition too large"),
        ("'long' if (days * value)|length > 9", 10**9, "x", "repetition too large"),
        # The text in a list, the list repeated; the text's words repeated.
        ("'long' if ([value] * days)|length > 9", 10**9, "x", "repetition too large"),
        ("'long' if (value.split() * days)|length > 9", 10**9, "a b", "repetition too large"),
        # The text as a list of characters, repeated.
        ("'long' if (value|list * days)|length > 9", 50_000, "xyz", "repetition too large"),
    ],
    ids=[
        "text-by-number",
        "long-text-by-2",
        "number-by-text",
        "list-by-number",
        "words-by-number",
        "chars-by-number",
    ],
)
def test_an_answer_that_would_repeat_into_gigabytes_is_refused(
    tmp_path, validator, days, text, fragment
):
    pack = make_pack(tmp_path, owner_name={"validator": validator})
    assert_refused(interview(tmp_path, pack, days=days), "owner_name", text, fragment)


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "validator, value, fragment",
    [
        ("'big' if value ** value < 0", 999_999, "power too large"),
        ("'big' if 10 ** value < 0", 10**8, "power too large"),
        (
            "'big' if value * value * value * value * value * value * value * value < 0",
            10**4000,
            "product too large",
        ),
        # round's precision: 10 ** precision is computed inside the filter.
        ("'odd' if value|round(-value) > value", 10**7, "round"),
        ("'odd' if value|round(value, 'ceil') != value", 10**7, "round"),
    ],
    ids=["power", "ten-to-the", "product", "round-common", "round-ceil"],
)
def test_a_number_answer_as_exponent_or_precision_is_refused(tmp_path, validator, value, fragment):
    pack = make_pack(tmp_path, days={"validator": validator})
    session = interview(tmp_path, pack)
    assert_refused(session, "days", value, fragment)
    session.answer("days", 12)  # an ordinary answer still goes through
    assert session.file.answers["days"] == 12


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "validator, text",
    [
        ("'x' if value|list|sort(attribute=value)|length > 0", LONG_PATH),
        ("'x' if value|list|unique(attribute=value)|list|length > 0", LONG_PATH),
        ("'left over' if value.strip(value)", DISTINCT),
        ("'left over' if value|trim(value)", DISTINCT),
    ],
    ids=["sort-attribute", "unique-attribute", "strip-method", "trim-filter"],
)
def test_a_text_answer_as_attribute_path_or_strip_set_is_refused(tmp_path, validator, text):
    """Harmless for short text; quadratic in the text's length without a limit."""
    pack = make_pack(tmp_path, owner_name={"validator": validator})
    session = interview(tmp_path, pack)
    assert_refused(session, "owner_name", text, "too long")
    if "strip" in validator or "trim" in validator:
        session.answer("owner_name", "Eve")  # a short text is checked as usual
        assert session.file.answers["owner_name"] == "Eve"


@pytest.mark.timeout(20)
def test_a_when_that_explodes_on_a_saved_answer_is_a_pack_error(runner, tmp_path):
    """A `when` is not a validator: a bomb in it is reported as the pack's fault (exit 2,
    the file and the place), never read as "hidden" and never left running."""
    make_pack(tmp_path, remarks={"when": "days ** days > 0"}, days={"validator": None})
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "answers:\n  services: [acme.vm]\n  patcher: us\n  days: 999999\n  remarks: hi\n"
    )
    for args in (["assess", str(answers)], ["report", str(answers), "-o", str(tmp_path / "r.md")]):
        result = runner.invoke(cli, [*args, "-q", str(tmp_path / "pack")])
        assert result.exit_code == 2, result.output
        (line,) = result.output.splitlines()
        assert line.startswith("srm: error: "), line
        assert "questionnaire.yaml" in line and "sections[1].questions[3].when" in line, line
        assert "'days ** days > 0' failed: SecurityError: power too large" in line, line
    assert not (tmp_path / "r.md").exists()
    pack = load_pack(tmp_path / "pack")
    session = interview(tmp_path, pack, days=12)
    before = session.file.path.read_bytes()
    with pytest.raises(AnswerError, match="could not be taken: SecurityError: power too large"):
        session.answer("days", 999_999)
    assert session.file.path.read_bytes() == before  # not saved
    assert session.value("days") == 12  # the answer before stays
