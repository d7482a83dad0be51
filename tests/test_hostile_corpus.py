"""The hostile-input corpus: broken packs and answers files through the real command line.

Every case must end in exit 2 with one line per problem naming the file and the place,
never a traceback, and must leave every file as it was. Cases are files under
``tests/hostile/``: an answers file carries its expectation in a first-line comment
(``# expect: fragment | fragment``); a pack case is a small edit of ``base-pack/``.
Large or binary inputs are generated here instead of committed.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from srm_tui.cli import cli
from srm_tui.engine import yamlio

HOSTILE = Path(__file__).parent / "hostile"
BASE_PACK = HOSTILE / "base-pack"
ANSWER_CASES = sorted((HOSTILE / "answers").glob("*.yaml"))
PACK_CASES = sorted((HOSTILE / "packs").glob("*.yaml"))
VALID_ANSWERS = "questionnaire: hostile-base@2.1.0\nanswers:\n  services: [acme.vm]\n"


def folder_hash(folder: Path) -> str:
    """Names, modes and contents of every file below ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(oct(path.stat().st_mode).encode() + path.read_bytes())
    return digest.hexdigest()


def expectation(raw: bytes) -> tuple[int, list[str]]:
    """Exit code and message fragments from an answers case's leading comments."""
    code, fragments = 2, []
    for line in raw.decode("latin-1").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        if key.strip() == "exit":
            code = int(value)
        elif key.strip() == "expect":
            fragments += [f.strip() for f in value.split("|")]
    return code, fragments


def assert_bad_input(result, filename: str, fragments: list[str]) -> None:
    """Exit 2; each output line a one-line error; the first names file, place, problem."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    lines = result.output.splitlines()
    assert lines and all(line.startswith("srm: error: ") for line in lines), result.output
    assert filename in lines[0], lines[0]
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"


def apply_case(case: dict, pack: Path) -> None:
    """Apply one pack case's edit to a copy of the base pack."""
    target = pack / case["file"]
    if case.get("delete"):
        target.unlink()
    if "replace_with" in case:
        target.write_text(case["replace_with"])
    for old, new in case.get("replace", []):
        text = target.read_text()
        assert old in text, f"{old!r} not in {target.name}"
        target.write_text(text.replace(old, new, 1))
    if "set" in case:
        data = yaml.safe_load(target.read_text())
        for op in case["set"]:
            *parents, last = op["at"]
            node = data
            for key in parents:
                node = node[key]
            node[last] = op["value"]
        target.write_text(yaml.safe_dump(data, sort_keys=False, width=1_000_000))


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A folder with a copy of the base pack and a valid answers file."""
    shutil.copytree(BASE_PACK, tmp_path / "pack")
    (tmp_path / "answers.yaml").write_text(VALID_ANSWERS)
    return tmp_path


def test_corpus_is_large_enough():
    assert len(ANSWER_CASES) + len(PACK_CASES) >= 30


def test_base_pack_is_valid(runner, workspace):
    result = runner.invoke(cli, ["validate", str(workspace / "pack")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["assess", str(workspace / "answers.yaml"), "-q", str(BASE_PACK)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", ANSWER_CASES, ids=lambda p: p.stem)
def test_hostile_answers_file(runner, tmp_path, case):
    code, fragments = expectation(case.read_bytes())
    path = tmp_path / case.name
    shutil.copy(case, path)
    before = folder_hash(tmp_path)
    for command in (
        ["validate", str(path)],
        ["assess", str(path)],
        ["assess", "--json", str(path)],
    ):
        result = runner.invoke(cli, [*command, "-q", str(BASE_PACK)])
        if code == 2:
            assert_bad_input(result, case.name, fragments)
        else:
            assert result.exit_code == code, result.output
            for fragment in fragments:
                assert fragment in result.output
        assert folder_hash(tmp_path) == before, "an input file was changed"
    assert not Path("/tmp/srm-pwned").exists()


@pytest.mark.parametrize("case", PACK_CASES, ids=lambda p: p.stem)
def test_hostile_pack(runner, workspace, case):
    spec = yaml.safe_load(case.read_text())
    pack = workspace / "pack"
    apply_case(spec, pack)
    answers = workspace / "answers.yaml"
    if "answers" in spec:  # answers that make the broken part run
        answers.write_text(spec["answers"])
    before = folder_hash(workspace)
    commands = {"validate": ["validate", str(pack)], "assess": ["assess", str(answers)]}
    for name in spec.get("commands", commands):
        result = runner.invoke(cli, [*commands[name], "-q", str(pack)])
        assert_bad_input(result, spec["file"], spec["expect"])
        assert folder_hash(workspace) == before, "an input file was changed"
    assert not Path("/tmp/srm-pwned").exists()


def _deep(n: int) -> bytes:
    return b"answers:\n  remarks: " + b"[" * n + b"]" * n + b"\n"


GENERATED_ANSWERS = {
    "utf-16": ("answers:\n  mfa: 'yes'\n".encode("utf-16"), ["UTF-16"]),
    "utf-16-no-bom": ("answers: {}\n".encode("utf-16-le"), ["binary data"]),
    "utf-8-bom": (codecs.BOM_UTF8 + b"answers:\n  mfa: maybe\n", ["line 2", "'maybe'"]),
    "binary-junk": (bytes(range(256)) * 40, ["binary data"]),
    "invalid-utf-8": (b"meta:\n  client: \xc3\x28\xa0\xa1\n", ["line 2", "not UTF-8"]),
    "deep-nesting": (_deep(5000), ["line 2", "nesting depth"]),
    "huge": (b"notes:\n" + b"  q: " + b"x" * (6 * 1024 * 1024) + b"\n", ["the limit is"]),
}
GENERATED_JSON = {
    "duplicate-key": ('{"answers": {"mfa": "yes", "mfa": "no"}}', ["duplicate key 'mfa'"]),
    "huge-integer": ('{"answers": {"days": ' + "9" * 5000 + "}}", ["invalid JSON"]),
    "nan": ('{"answers": {"days": NaN}}', ["answers.days", "expected a number"]),
    "broken": ('{"answers": {"days": 1,}}', ["line 1, column 24", "invalid JSON"]),
    "deep": ('{"answers": {"remarks": ' + "[" * 100_000 + "]" * 100_000 + "}}", ["too deep"]),
}


@pytest.mark.parametrize("name", sorted(GENERATED_ANSWERS))
def test_generated_answers_file(runner, tmp_path, name):
    content, fragments = GENERATED_ANSWERS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    before = folder_hash(tmp_path)
    result = runner.invoke(cli, ["assess", str(path), "-q", str(BASE_PACK)])
    assert_bad_input(result, path.name, fragments)
    assert folder_hash(tmp_path) == before


@pytest.mark.parametrize("name", sorted(GENERATED_JSON))
def test_generated_json_answers_file(runner, tmp_path, name):
    content, fragments = GENERATED_JSON[name]
    path = tmp_path / f"{name}.json"
    path.write_text(content)
    result = runner.invoke(cli, ["validate", str(path), "-q", str(BASE_PACK)])
    assert_bad_input(result, path.name, fragments)


@pytest.mark.parametrize(
    "name,content,fragments",
    [
        ("questionnaire.yaml", bytes(range(256)) * 8, ["binary data"]),
        ("layers.yaml", "layers: []\n".encode("utf-16"), ["UTF-16"]),
        ("controls.yaml", b"controls:\n" + b"  - x\n" * 1_000_000, ["the limit is"]),
    ],
)
def test_generated_pack_file(runner, workspace, name, content, fragments):
    (workspace / "pack" / name).write_bytes(content)
    before = folder_hash(workspace)
    result = runner.invoke(cli, ["validate", str(workspace / "pack")])
    assert_bad_input(result, name, fragments)
    assert folder_hash(workspace) == before


@pytest.mark.parametrize(
    "command", [["validate", "{pack}"], ["assess", "{answers}", "-q", "{pack}"]]
)
def test_a_pipe_in_a_pack_is_refused_not_read(runner, workspace, command):
    """A pack file that is a pipe (or a link to a device) is not read: it may never end."""
    controls = workspace / "pack" / "controls.yaml"
    controls.unlink()
    os.mkfifo(controls)  # nobody writes to it: opening it to read would wait for ever
    args = [a.format(pack=workspace / "pack", answers=workspace / "answers.yaml") for a in command]
    result = runner.invoke(cli, args)
    assert_bad_input(result, "controls.yaml", ["not a regular file"])


def test_answers_path_is_a_folder(runner, tmp_path):
    result = runner.invoke(cli, ["assess", str(tmp_path), "-q", str(BASE_PACK)])
    assert_bad_input(result, tmp_path.name, ["is a folder"])


def test_an_endless_pipe_as_answers_file_is_refused(runner, tmp_path):
    """A pipe or device (/dev/zero) has no size to check first: reading stops at the
    limit instead of waiting for an end that never comes."""
    fifo = tmp_path / "endless.fifo"
    os.mkfifo(fifo)
    done = threading.Event()

    def endless() -> None:
        with fifo.open("wb") as pipe:
            pipe.write(b"notes:\n" + b"x" * yamlio.MAX_BYTES)
            done.wait(timeout=60)  # keep the pipe open: no end of file

    threading.Thread(target=endless, daemon=True).start()
    result = runner.invoke(cli, ["assess", str(fifo), "-q", str(BASE_PACK)])
    done.set()
    assert_bad_input(result, "endless.fifo", ["the limit is"])


def test_answers_from_a_pipe_load(runner, tmp_path):
    """A named pipe (as from a shell's process substitution) is read like a file."""
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(VALID_ANSWERS), daemon=True)
    writer.start()
    result = runner.invoke(cli, ["assess", str(fifo), "-q", str(BASE_PACK)])
    writer.join(timeout=10)
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_answers_file(runner, tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text(VALID_ANSWERS)
    path.chmod(0)
    result = runner.invoke(cli, ["assess", str(path), "-q", str(BASE_PACK)])
    assert_bad_input(result, "secret.yaml", ["permission denied"])


@pytest.mark.parametrize(
    "case", ["billion-laughs", "python-object-tag", "impossible-date", "duplicate-key"]
)
def test_no_traceback_reaches_the_terminal(tmp_path, case):
    """A real process: stderr holds one line, stdout nothing, exit 2."""
    path = tmp_path / f"{case}.yaml"
    shutil.copy(HOSTILE / "answers" / f"{case}.yaml", path)
    proc = subprocess.run(
        [sys.executable, "-m", "srm_tui", "assess", str(path), "-q", str(BASE_PACK)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"srm: error: {path}: line "), lines


def test_broken_pack_in_a_real_process(tmp_path):
    shutil.copytree(BASE_PACK, tmp_path / "pack")
    apply_case(
        yaml.safe_load((HOSTILE / "packs" / "cycler-global.yaml").read_text()), tmp_path / "pack"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "srm_tui", "validate", str(tmp_path / "pack")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert "questionnaire.yaml: line " in proc.stderr


def test_json_answers_equal_yaml_answers(runner, tmp_path):
    """The same answers as JSON are accepted too (the corpus above is not JSON-only noise)."""
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(yaml.safe_load(VALID_ANSWERS)))
    result = runner.invoke(cli, ["validate", str(path), "-q", str(BASE_PACK)])
    assert result.exit_code == 0, result.output
