"""Bad packs and answers files: exit 2, one line naming the file, the place and the problem."""

from __future__ import annotations

import pytest
import yaml

from srm_tui.cli import cli


def _edit(path, fn):
    data = yaml.safe_load(path.read_text())
    fn(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _first_question(data):
    return data["sections"][0]["questions"][0]


def _assert_one_line_error(result, filename, *fragments):
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("srm: error:")]
    assert lines, result.output
    assert "Traceback" not in result.output
    assert filename in lines[0], lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_broken_yaml(runner, pack_copy):
    (pack_copy / "controls.yaml").write_text("controls:\n  - id: X-1\n    title: [unclosed\n")
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(result, "controls.yaml", "line ", "invalid YAML")


def test_wrong_type_in_pack(runner, pack_copy):
    _edit(pack_copy / "layers.yaml", lambda d: d["layers"][0]["defaults"].update(iaas="nobody"))
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(result, "layers.yaml", "line ", "layers[0].defaults.iaas", "nobody")


def test_unknown_layer_in_control(runner, pack_copy):
    _edit(pack_copy / "controls.yaml", lambda d: d["controls"][0].update(layer="roof"))
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(result, "controls.yaml", "controls[0].layer", "unknown layer 'roof'")


def test_duplicate_ids(runner, pack_copy):
    _edit(pack_copy / "services.yaml", lambda d: d["services"].append(dict(d["services"][0])))
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(result, "services.yaml", "duplicate id")


def test_condition_that_does_not_parse(runner, pack_copy):
    _edit(
        pack_copy / "questionnaire.yaml", lambda d: _first_question(d).update(when="services ===")
    )
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(result, "questionnaire.yaml", "sections[0].questions[0].when", "parse")


@pytest.mark.parametrize(
    "escape, private",
    [
        ("services.__class__.__mro__[1].__subclasses__()", "__subclasses__"),
        ("services['__class__']", "__class__"),
        ("services | attr('__class__')", "__class__"),
        ("cycler.__init__.__globals__.os.popen('id').read()", "__globals__"),
    ],
)
def test_condition_that_tries_to_escape_the_sandbox(runner, pack_copy, escape, private):
    _edit(pack_copy / "questionnaire.yaml", lambda d: _first_question(d).update(when=escape))
    text = (pack_copy / "questionnaire.yaml").read_text().splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.strip().startswith("when:"))
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(
        result,
        "questionnaire.yaml",
        f"questionnaire.yaml: line {line} (sections[0].questions[0].when): ",
        f"reaches private attribute {private!r}",
    )
    assert len(result.output.splitlines()) == 1, result.output


def test_condition_naming_an_unknown_question(runner, pack_copy):
    _edit(pack_copy / "questionnaire.yaml", lambda d: _first_question(d).update(when="nosuch == 1"))
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(result, "questionnaire.yaml", "unknown nosuch")


def test_conditions_in_a_cycle(runner, pack_copy):
    def make_cycle(data):
        questions = [q for s in data["sections"] for q in s["questions"] if q["id"] != "services"]
        a, b = questions[0], questions[1]
        a["when"] = f"{b['id']} is defined"
        b["when"] = f"{a['id']} is defined"

    _edit(pack_copy / "questionnaire.yaml", make_cycle)
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(result, "questionnaire.yaml", "cycle")


def test_missing_pack_file(runner, pack_copy):
    (pack_copy / "services.yaml").unlink()
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(result, "services.yaml", "no such file")


def _answers(tmp_path, text):
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    return path


def test_answers_unknown_service(runner, tmp_path):
    path = _answers(tmp_path, "answers:\n  services: [aws.ec2, aws.nonesuch]\n")
    result = runner.invoke(cli, ["assess", str(path)])
    _assert_one_line_error(result, "answers.yaml", "line 2", "aws.nonesuch")


def test_answers_unknown_question(runner, tmp_path):
    path = _answers(tmp_path, "questionnaire: cloud-srm@1.0.0\nanswers:\n  no_such_q: 1\n")
    result = runner.invoke(cli, ["assess", str(path)])
    _assert_one_line_error(result, "answers.yaml", "line 3", "unknown question 'no_such_q'")


def test_answers_wrong_type(runner, tmp_path):
    path = _answers(tmp_path, "answers:\n  services: aws.ec2\n")
    result = runner.invoke(cli, ["assess", str(path)])
    _assert_one_line_error(result, "answers.yaml", "answers.services", "expected a list")


def test_answers_unknown_pack_version(runner, tmp_path):
    path = _answers(tmp_path, "questionnaire: cloud-srm@7.0.0\nanswers: {}\n")
    result = runner.invoke(cli, ["assess", str(path)])
    _assert_one_line_error(result, "answers.yaml", "questionnaire", "unknown pack version 7.0.0")


def test_answers_broken_yaml(runner, tmp_path):
    path = _answers(tmp_path, "answers: {services: [aws.ec2\n")
    result = runner.invoke(cli, ["assess", str(path)])
    _assert_one_line_error(result, "answers.yaml", "invalid YAML")


def test_answers_binary_junk(runner, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"\x00\xff\xfe" * 50)
    result = runner.invoke(cli, ["assess", str(path)])
    _assert_one_line_error(result, "answers.yaml", "binary")


def test_answers_wrong_encoding(runner, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_bytes("meta: {client: Caf\u00e9}\n".encode("latin-1"))
    result = runner.invoke(cli, ["assess", str(path)])
    _assert_one_line_error(result, "answers.yaml", "UTF-8")


def test_answers_missing_file(runner, tmp_path):
    result = runner.invoke(cli, ["assess", str(tmp_path / "nope.yaml")])
    _assert_one_line_error(result, "nope.yaml", "no such file")


def test_older_pack_version_keeps_retired_answers(runner, tmp_path, pack_copy):
    _edit(pack_copy / "pack.yaml", lambda d: d.update(version="1.1.0"))
    path = _answers(tmp_path, "questionnaire: cloud-srm@1.0.0\nanswers:\n  dropped_q: kept\n")
    before = path.read_bytes()
    result = runner.invoke(cli, ["assess", str(path), "-q", str(pack_copy)])
    assert result.exit_code == 0, result.output
    # Reported on stderr (mixed in by the runner): the file, the key, what happened.
    note = f"srm: note: {path}: answers.dropped_q: kept; the pack no longer asks it"
    assert note in result.output.splitlines(), result.output
    assert path.read_bytes() == before


def test_bad_input_leaves_files_untouched(runner, tmp_path, pack_copy):
    (pack_copy / "pack.yaml").write_text("id: [")
    before = {p: p.read_bytes() for p in sorted(pack_copy.rglob("*")) if p.is_file()}
    result = runner.invoke(cli, ["validate", str(pack_copy)])
    _assert_one_line_error(
        result,
        "pack.yaml",
        "pack.yaml: line 2, column 1: ",  # where the list's first item should be
        "invalid YAML: did not find expected node content",
    )
    assert len(result.output.splitlines()) == 1, result.output
    after = {p: p.read_bytes() for p in sorted(pack_copy.rglob("*")) if p.is_file()}
    assert after == before


def test_a_file_that_is_not_an_answers_file(runner, tmp_path):
    path = _answers(tmp_path, "controls: []\n")
    result = runner.invoke(cli, ["assess", str(path)])
    _assert_one_line_error(result, "answers.yaml", "not an answers file")


def test_validating_one_file_of_a_pack_checks_the_pack(runner, pack_copy):
    result = runner.invoke(cli, ["validate", str(pack_copy / "controls.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: cloud-srm@")
    _edit(pack_copy / "controls.yaml", lambda d: d["controls"][0].update(layer="roof"))
    result = runner.invoke(cli, ["validate", str(pack_copy / "controls.yaml")])
    _assert_one_line_error(result, "controls.yaml", "unknown layer 'roof'")


@pytest.mark.parametrize("command", ["validate", "assess", "report"])
@pytest.mark.parametrize(
    "extra, fragments",
    [
        ("reveiw: {}\n", ("line {last}", "unknown key 'reveiw'", "did you mean 'review'")),
        ("Answers: {}\n", ("unknown key 'Answers'", "did you mean 'answers'")),
        ("review: [IAM-01]\n", ("review must be a mapping",)),
    ],
)
def test_a_misspelled_or_mistyped_top_level_key_is_refused(
    runner, example, tmp_path, command, extra, fragments
):
    path = tmp_path / "typo.yaml"
    path.write_text(example.read_text() + extra)
    out = tmp_path / "out.csv"
    result = runner.invoke(
        cli, [command, str(path), *(["-o", str(out)] if command == "report" else [])]
    )
    last = len(example.read_text().splitlines()) + 1  # the line the extra key is on
    _assert_one_line_error(result, "typo.yaml", *(f.format(last=last) for f in fragments))
    assert not out.exists()
