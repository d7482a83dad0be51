"""The hostile corpus beyond validate/assess: ``srm report``, ``srm merge``, ``srm diff``
and the loader the app opens an answers file with.

Bad input ends in exit 2 with one line naming the file (and the place where known) and
writes nothing: no report, no merged file, no temp file, no folder made for an output
that never came. Text that is good but hostile (markup, links, terminal escapes) loads,
and every output shows it inert: escaped, and without control characters.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from test_hostile_corpus import (
    ANSWER_CASES,
    BASE_PACK,
    GENERATED_ANSWERS,
    HOSTILE,
    PACK_CASES,
    VALID_ANSWERS,
    apply_case,
    assert_bad_input,
    expectation,
    folder_hash,
)

from srm_tui.cli import cli
from srm_tui.engine.errors import InputError
from srm_tui.engine.pack_loader import load_pack

BAD_ANSWER_CASES = [c for c in ANSWER_CASES if expectation(c.read_bytes())[0] == 2]
# Terminal escapes: colour, clear screen, window title, an OSC 8 hyperlink, a bell,
# a C1 CSI, and a right-to-left override (not a control character: kept as text).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def base_pack():
    return load_pack(BASE_PACK)


def _case_copy(tmp_path: Path, case: Path) -> Path:
    """The case in a folder of its own, beside a valid answers file."""
    path = tmp_path / case.name
    shutil.copy(case, path)
    (tmp_path / "good.yaml").write_text(VALID_ANSWERS)
    return path


def _check_bad(runner, tmp_path, args, filename, fragments):
    before = folder_hash(tmp_path)
    result = runner.invoke(cli, [*args, "-q", str(BASE_PACK)])
    assert_bad_input(result, filename, fragments)
    assert folder_hash(tmp_path) == before, "something was written for bad input"
    assert not Path("/tmp/srm-pwned").exists()


def _report_args(path: Path, tmp_path: Path, fmt: str) -> list[str]:
    # An output folder that does not exist yet: it must not be left behind either.
    return ["report", str(path), "-o", str(tmp_path / "out" / "sub" / f"r.{fmt}"), "--format", fmt]


# -- every answers case of the corpus ---------------------------------------------------


@pytest.mark.parametrize("case", BAD_ANSWER_CASES, ids=lambda p: p.stem)
def test_hostile_answers_through_report(runner, tmp_path, case):
    _, fragments = expectation(case.read_bytes())
    path = _case_copy(tmp_path, case)
    _check_bad(runner, tmp_path, _report_args(path, tmp_path, "json"), case.name, fragments)
    # The PDF too: bad input stops before anything is laid out, so this costs no render.
    _check_bad(runner, tmp_path, _report_args(path, tmp_path, "pdf"), case.name, fragments)
    # Without -o the report would go beside the answers file: nothing appears there.
    _check_bad(runner, tmp_path, ["report", str(path), "--format", "md"], case.name, fragments)


@pytest.mark.parametrize("case", BAD_ANSWER_CASES, ids=lambda p: p.stem)
def test_hostile_answers_through_merge(runner, tmp_path, case):
    _, fragments = expectation(case.read_bytes())
    path = _case_copy(tmp_path, case)
    good = str(tmp_path / "good.yaml")
    merged = str(tmp_path / "merged" / "workshop.yaml")
    for order in ([good, str(path)], [str(path), good]):
        _check_bad(runner, tmp_path, ["merge", *order, "-o", merged], case.name, fragments)


@pytest.mark.parametrize("case", BAD_ANSWER_CASES, ids=lambda p: p.stem)
def test_hostile_answers_through_diff(runner, tmp_path, case):
    _, fragments = expectation(case.read_bytes())
    path = _case_copy(tmp_path, case)
    good = str(tmp_path / "good.yaml")
    for args in (["diff", good, str(path)], ["diff", str(path), good, "--json"]):
        _check_bad(runner, tmp_path, args, case.name, fragments)


@pytest.mark.parametrize("case", BAD_ANSWER_CASES, ids=lambda p: p.stem)
def test_hostile_answers_through_the_app_loader(tmp_path, base_pack, case):
    """``srm interview FILE`` opens the file with ``open_answers`` before the terminal is
    taken over: a bad file raises the one-line input error and is left as it was."""
    from srm_tui.tui import open_answers

    _, fragments = expectation(case.read_bytes())
    path = _case_copy(tmp_path, case)
    before = folder_hash(tmp_path)
    with pytest.raises(InputError) as caught:
        open_answers(base_pack, path)
    message = caught.value.message
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(str(path)), message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert folder_hash(tmp_path) == before
    assert not Path("/tmp/srm-pwned").exists()


def test_the_corpus_case_that_loads_reports_too(runner, tmp_path):
    """The one case that is not bad input (an answers file of an older pack version)
    renders, so the cases above fail for their content, not for being answers files."""
    (case,) = [c for c in ANSWER_CASES if c not in BAD_ANSWER_CASES]
    path = _case_copy(tmp_path, case)
    out = tmp_path / "r.json"
    result = runner.invoke(cli, ["report", str(path), "-o", str(out), "-q", str(BASE_PACK)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["meta"]["client"] == "Old Client"
    good = str(tmp_path / "good.yaml")
    result = runner.invoke(cli, ["diff", str(path), good, "-q", str(BASE_PACK)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", ["binary-junk", "deep-nesting", "huge", "utf-16", "utf-8-bom"])
def test_generated_answers_through_report_merge_and_diff(runner, tmp_path, name):
    content, fragments = GENERATED_ANSWERS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    (tmp_path / "good.yaml").write_text(VALID_ANSWERS)
    good = str(tmp_path / "good.yaml")
    for args in (
        _report_args(path, tmp_path, "csv"),
        ["merge", good, str(path), "-o", str(tmp_path / "m" / "merged.yaml")],
        ["diff", good, str(path)],
    ):
        _check_bad(runner, tmp_path, args, path.name, fragments)


# `srm merge` combines answers and evaluates `when` (who was asked what), not effects.
NOT_RUN_BY_MERGE = {"effect-fails-at-run-time"}
RUN_TIME_PACK_CASES = [
    c for c in PACK_CASES if "assess" in yaml.safe_load(c.read_text()).get("commands", ["assess"])
]


@pytest.mark.parametrize("case", RUN_TIME_PACK_CASES, ids=lambda p: p.stem)
def test_hostile_pack_through_report_merge_and_diff(runner, tmp_path, case):
    spec = yaml.safe_load(case.read_text())
    pack = tmp_path / "pack"
    shutil.copytree(BASE_PACK, pack)
    apply_case(spec, pack)
    answers = tmp_path / "answers.yaml"
    answers.write_text(spec.get("answers", VALID_ANSWERS))
    before = folder_hash(tmp_path)
    commands = [
        ["report", str(answers), "-o", str(tmp_path / "out" / "r.md")],
        ["diff", str(answers), str(answers)],
    ]
    if case.stem not in NOT_RUN_BY_MERGE:
        merged = tmp_path / "m" / "merged.yaml"
        commands.append(["merge", str(answers), str(answers), "-o", str(merged)])
    for args in commands:
        result = runner.invoke(cli, [*args, "-q", str(pack)])
        assert_bad_input(result, spec["file"], spec["expect"])
        assert folder_hash(tmp_path) == before, "something was written for a broken pack"
    assert not Path("/tmp/srm-pwned").exists()


def test_batch_report_writes_the_good_file_and_nothing_for_the_bad(runner, tmp_path):
    """Several files in parallel: the bad one is named on one line and gets no output."""
    bad = _case_copy(tmp_path, HOSTILE / "answers" / "duplicate-key.yaml")
    good = tmp_path / "good.yaml"
    out = tmp_path / "out"
    args = ["report", str(good), str(bad), "-o", str(out), "--format", "json"]
    result = runner.invoke(cli, [*args, "-q", str(BASE_PACK)])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("srm: error: ")]
    assert errors == [f"srm: error: {bad}: line 5 (answers.mfa): duplicate key 'mfa'"], errors
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]


def test_bad_input_keeps_an_output_folder_that_was_already_there(runner, tmp_path):
    """Only the folders the failed report made are removed, never one that existed."""
    bad = _case_copy(tmp_path, HOSTILE / "answers" / "duplicate-key.yaml")
    reports = tmp_path / "reports"
    reports.mkdir()
    out = reports / "2026" / "r.json"
    result = runner.invoke(cli, ["report", str(bad), "-o", str(out), "-q", str(BASE_PACK)])
    assert_bad_input(result, bad.name, ["duplicate key 'mfa'"])
    assert reports.is_dir() and list(reports.iterdir()) == []


def test_a_batch_of_bad_files_leaves_no_output_folder(runner, tmp_path):
    first = _case_copy(tmp_path, HOSTILE / "answers" / "duplicate-key.yaml")
    second = _case_copy(tmp_path, HOSTILE / "answers" / "yesno-maybe.yaml")
    before = folder_hash(tmp_path)
    args = ["report", str(first), str(second), "-o", str(tmp_path / "out"), "--format", "md"]
    result = runner.invoke(cli, [*args, "-q", str(BASE_PACK)])
    assert_bad_input(result, first.name, ["duplicate key 'mfa'"])
    assert second.name in result.output.splitlines()[1]
    assert folder_hash(tmp_path) == before


@pytest.mark.parametrize("case", ["duplicate-key", "python-object-tag", "binary"])
async def test_start_screen_refuses_a_hostile_file_and_stays(tmp_path, base_pack, case):
    """Typed into the start screen's "open an answers file": the one-line message shows,
    the start screen stays, the file is untouched."""
    from textual.widgets import Input, Static

    from srm_tui.tui.app import SrmApp
    from srm_tui.tui.screens.start import StartScreen

    if case == "binary":
        path, fragments = tmp_path / "binary.yaml", ["binary data"]
        path.write_bytes(GENERATED_ANSWERS["binary-junk"][0])
    else:
        source = HOSTILE / "answers" / f"{case}.yaml"
        path = _case_copy(tmp_path, source)
        fragments = expectation(source.read_bytes())[1]
    before = folder_hash(tmp_path)
    app = SrmApp(base_pack)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#open-path", Input)
        box.value = str(path)
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        shown = str(app.screen.query_one("#start-error", Static).render())
        assert path.name in shown, shown
        for fragment in fragments:
            assert fragment in shown, (fragment, shown)
        assert app.interview is None
    assert folder_hash(tmp_path) == before


# -- good but hostile text ----------------------------------------------------------------

HOSTILE_ANSWERS = r"""questionnaire: hostile-base@2.1.0
meta:
  client: "Acme \e[31mRED\e]0;pwned\a <b>x</b> http://127.0.0.1:9/c \x9b2J"
answers:
  services: [acme.vm]
  mfa: "no"
  owner_name: "Eve \e[2J <script>alert(1)</script>"
  remarks: "line1\n\e[31mline2 [a](http://127.0.0.1:9/r) \u202e"
notes:
  mfa: "\e]8;;http://127.0.0.1:9/n\e\\click <img src=x onerror=alert(1)>\e]8;;\e\\"
"""


@pytest.fixture
def hostile_text_file(tmp_path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_ANSWERS)
    return path


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_hostile_text_in_reports_has_no_control_characters(runner, hostile_text_file, fmt):
    """Markdown and HTML are read in terminals and editors: an escape sequence in a
    client's name must not reach them. JSON escapes it; markup is escaped everywhere."""
    out = hostile_text_file.with_name(f"r.{fmt}")
    args = ["report", str(hostile_text_file), "-o", str(out), "-q", str(BASE_PACK)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    body = out.read_text(encoding="utf-8-sig")
    if fmt == "json":  # data, kept exactly: JSON escapes C0 characters, C1 are plain text
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", body)
    else:
        assert not CONTROL.search(body.replace("\r\n", "\n")), repr(CONTROL.search(body))
    if fmt == "json":
        data = json.loads(body)
        assert data["meta"]["client"].startswith("Acme \x1b[31mRED\x1b]0;pwned\x07 <b>x</b>")
        return
    assert "<script>" not in body and "<b>x</b>" not in body and "<img" not in body
    if fmt == "md":  # each control character a space, then spaces flattened, [ ] escaped
        assert "Acme \\[31mRED \\]0;pwned &lt;b&gt;x&lt;/b&gt; http://127.0.0.1:9/c 2J" in body
        assert "\\]8;;http://127.0.0.1:9/n \\\\click &lt;img src=x" in body
    if fmt == "html":  # each control character dropped, markup escaped
        assert "Acme [31mRED]0;pwned &lt;b&gt;x&lt;/b&gt; http://127.0.0.1:9/c 2J" in body
        assert "Eve [2J &lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert 'src="http' not in body and 'href="http://127.0.0.1' not in body


def test_hostile_text_through_diff_and_merge_output(runner, tmp_path, hostile_text_file):
    """``srm diff`` and ``srm merge`` print pack titles and participants' names to a
    terminal: no control character reaches it; the merged file keeps the answers exactly
    (escaped by YAML) for the next report."""
    escape = "\x1b[2J\x1b]0;pwned\x07\x9b6n"
    pack = tmp_path / "pack"
    shutil.copytree(BASE_PACK, pack)
    for name, old in (("controls.yaml", "Patch guest"), ("questionnaire.yaml", "Is MFA")):
        data = yaml.safe_load((pack / name).read_text())
        data = json.loads(json.dumps(data).replace(old, old + json.dumps(escape)[1:-1], 1))
        (pack / name).write_text(yaml.safe_dump(data, sort_keys=False))
    assert load_pack(pack).control_by_id["OPS-01"].title.startswith("Patch guest\x1b[2J")
    good = tmp_path / "good.yaml"
    good.write_text(VALID_ANSWERS + "  patcher: msp\n  mfa: 'yes'\n")
    good.write_text(good.read_text() + "meta: {participant: " + json.dumps(escape) + "}\n")
    result = runner.invoke(cli, ["diff", str(hostile_text_file), str(good), "-q", str(pack)])
    assert result.exit_code == 0, result.output
    assert "OPS-01  Patch guest[2J]0;pwned6n operating systems" in result.output
    assert not CONTROL.search(result.output.replace("\n", ""))
    merged = tmp_path / "merged.yaml"
    args = ["merge", str(good), str(hostile_text_file), "-o", str(merged), "-q", str(pack)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Is MFA[2J]0;pwned6n required" in result.output  # the disagreement, listed
    assert "    [2J]0;pwned6n: Yes" in result.output  # the participant who said yes
    assert not CONTROL.search(result.output.replace("\n", ""))
    assert not CONTROL.search(merged.read_text().replace("\n", ""))  # YAML escapes it
    reread = yaml.safe_load(merged.read_text())
    assert reread["answers"]["owner_name"] == "Eve \x1b[2J <script>alert(1)</script>"


def test_hostile_text_opens_in_the_app_loader_unchanged(tmp_path, base_pack, hostile_text_file):
    from srm_tui.tui import open_answers

    before = hostile_text_file.read_bytes()
    answers = open_answers(base_pack, hostile_text_file)
    assert answers.meta["client"].startswith("Acme \x1b[31mRED\x1b]0;pwned\x07 <b>x</b>")
    assert answers.notes["mfa"].startswith("\x1b]8;;http://127.0.0.1:9/n")
    assert hostile_text_file.read_bytes() == before
