"""Faults: a process killed mid-save, a disk that refuses writes, WeasyPrint missing.

Answers are what the tool must never lose: after any of these the answers file on disk
is a complete version (the old one or the new one) and no temp file looks like answers.
"""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from srm_tui.cli import cli
from srm_tui.engine import yamlio
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack

BASE_PACK = Path(__file__).parent / "hostile" / "base-pack"
TEMP_NAME = re.compile(r"^\.answers\.yaml\..+\.tmp$")

# Saves one answers file over and over, each version longer than the last, and a note
# that follows the answer; prints "ready" once the first version is on disk.
SAVER = r"""
import sys
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack

pack = load_pack(sys.argv[1])
interview = Interview(pack, AnswersFile.new(pack, sys.argv[2], client="Kill test"))
interview.answer("remarks", "0:")
print("ready", flush=True)
i = 0
while True:
    i += 1
    interview.answer("remarks", f"{i}:" + "x" * (i * 997 % 60000) + f":{i}")
    interview.set_note("mfa", f"note {i}")
"""


@pytest.fixture(scope="module")
def base():
    return load_pack(BASE_PACK)


def test_killed_mid_save_leaves_a_complete_version(tmp_path, base):
    rng = random.Random(20261128)
    path = tmp_path / "answers.yaml"
    versions = []
    for _round in range(6):
        path.unlink(missing_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(BASE_PACK), str(path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        proc.stdout.close()
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

        answers = load_answers(path, base)  # parses and checks clean
        remarks = answers.answers["remarks"]
        match = re.fullmatch(r"(\d+):(x*):(\d+)", remarks)
        if remarks != "0:":
            assert match, remarks[:80]
            i = int(match.group(1))
            versions.append(i)
            assert match.group(3) == str(i) and len(match.group(2)) == i * 997 % 60000
            note = answers.notes.get("mfa")
            assert note in (f"note {i}", f"note {i - 1}") or (i == 1 and note is None)
        assert oct(path.stat().st_mode & 0o777) == oct(0o600)
        for stray in set(os.listdir(tmp_path)) - {"answers.yaml"}:
            assert TEMP_NAME.match(stray), stray  # hidden, and never *.yaml
            (tmp_path / stray).unlink()
    assert versions and max(versions) > 1, "the kills never landed among the saves"


@pytest.mark.parametrize(
    "where,code",
    [("fsync", errno.ENOSPC), ("replace", errno.EROFS), ("fchmod", errno.EACCES)],
)
def test_disk_refusing_a_save_keeps_the_old_file(tmp_path, base, monkeypatch, where, code):
    path = tmp_path / "answers.yaml"
    interview = Interview(base, AnswersFile.new(base, path, client="Disk test"))
    interview.answer("mfa", "yes")
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, where, refuse)
    with pytest.raises(OSError) as caught:
        interview.answer("owner_name", "Eve")
    assert caught.value.errno == code
    assert interview.value("owner_name") == "Eve"  # kept in memory, to save again
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["answers.yaml"]
    interview.save()  # once the disk has room again, nothing was lost
    assert load_answers(path, base).answers == {"mfa": "yes", "owner_name": "Eve"}


def test_short_write_on_a_full_disk_leaves_no_partial_file(tmp_path, monkeypatch):
    """The disk fills half-way through the bytes: no partial file takes the name."""
    path = tmp_path / "answers.yaml"
    path.write_text("answers: {}\n")
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(OSError):
        yamlio.write_atomic(path, "answers: {mfa: 'yes'}\n" * 1000)
    assert path.read_text() == "answers: {}\n"
    assert os.listdir(tmp_path) == ["answers.yaml"]


def test_saving_into_a_missing_folder_fails_cleanly(tmp_path, base):
    file = AnswersFile.new(base, tmp_path / "gone" / "answers.yaml")
    with pytest.raises(OSError):
        file.save(base)
    assert os.listdir(tmp_path) == []


def test_a_pipe_or_device_is_written_into_not_replaced(tmp_path):
    """``-o /dev/null`` or a named pipe: the bytes go into it and it stays what it was
    (a rename would put a plain file in its place, which as root replaces /dev/null)."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    yamlio.write_atomic(fifo, "answers: {}\n")
    reader.join(timeout=10)
    assert received == [b"answers: {}\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["out.fifo"]


def test_a_symbolic_link_is_written_through(tmp_path):
    """Saving through a link replaces the file it points to; the link stays a link."""
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "answers.yaml"
    target.write_text("answers: {}\n")
    link = tmp_path / "answers.yaml"
    link.symlink_to(target)
    yamlio.write_atomic(link, "answers: {mfa: 'yes'}\n")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "answers: {mfa: 'yes'}\n"
    assert sorted(os.listdir(tmp_path / "real")) == ["answers.yaml"]


BLOCK_WEASYPRINT = r"""
import builtins, sys
real_import = builtins.__import__
def fake_import(name, *args, **kwargs):
    if name.split(".")[0] in ("weasyprint", "cairocffi", "pango"):
        raise OSError("cannot load library 'libpango-1.0-0': no such file")
    return real_import(name, *args, **kwargs)
builtins.__import__ = fake_import
sys.argv = ["srm", *sys.argv[1:]]
from srm_tui.cli import main
main()
"""


@pytest.mark.parametrize("command", [["validate"], ["assess"], ["assess", "--json"]])
def test_commands_work_without_weasyprint(tmp_path, command):
    """Pango missing makes importing WeasyPrint fail; validate and assess do not need it."""
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  services: [acme.vm]\n  mfa: 'yes'\n")
    args = [*command, str(answers), "-q", str(BASE_PACK)]
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK_WEASYPRINT, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_engine_runs_with_weasyprint_unimportable(runner, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  services: [acme.db]\n")
    for command in (["validate", str(BASE_PACK)], ["assess", str(answers)]):
        result = runner.invoke(cli, [*command, "-q", str(BASE_PACK)])
        assert result.exit_code == 0, result.output


def test_pdf_report_without_weasyprint_is_a_clear_error(runner, tmp_path, monkeypatch):
    if "report" not in cli.commands:
        pytest.skip("srm report is not available in this build")
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  services: [acme.vm]\n")
    out = tmp_path / "out.pdf"
    result = runner.invoke(
        cli, ["report", str(answers), "-o", str(out), "--format", "pdf", "-q", str(BASE_PACK)]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("srm: error:") and len(result.output.splitlines()) == 1
    assert not out.exists()
