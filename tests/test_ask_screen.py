"""``srm ask`` on a real pseudo-terminal, read back as a screen: text wraps between words."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pytest
import yaml

pyte = pytest.importorskip("pyte", reason="pyte comes with the test extra")

SRM = Path(sys.executable).with_name("srm")
UP, SPACE, CTRL_C = "\x1b[A", " ", "\x03"

pytestmark = pytest.mark.skipif(not SRM.exists(), reason="the srm script is not installed")


class Screen(pyte.Screen):
    """A terminal screen that answers the program's cursor position requests, as a real one."""

    child: pexpect.spawn | None = None

    def write_process_input(self, data: str) -> None:
        if self.child is not None:
            self.child.send(data)


class Terminal:
    """``srm ask`` in a pty of a given size, its output fed to a terminal emulator."""

    def __init__(self, args: list[str], rows: int, cols: int, tmp_path: Path) -> None:
        env = {**os.environ, "SRM_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color"}
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.screen = Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            str(SRM), args, env=env, dimensions=(rows, cols), cwd=tmp_path, timeout=30
        )
        self.screen.child = self.child

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)
            self._feed(0.15)

    def wait_for(self, *texts: str) -> list[str]:
        """The screen once every one of ``texts`` is on it and the output has gone quiet."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            quiet = not self._feed(0.5)
            lines = list(self.screen.display)
            if quiet and all(any(t in line for line in lines) for t in texts):
                return lines
        raise AssertionError("\n".join(self.screen.display))

    def _feed(self, wait: float) -> bool:
        """Feed what the program wrote within ``wait`` seconds; False if it wrote nothing."""
        try:
            self.stream.feed(self.child.read_nonblocking(65536, timeout=wait))
        except (pexpect.TIMEOUT, pexpect.EOF):
            return False
        return True

    def close(self) -> None:
        self.child.close(force=True)


def broken_words(lines: list[str]) -> list[str]:
    """Pairs of rows where a word runs from the last column of one into the next."""
    found = []
    for upper, lower in zip(lines, lines[1:], strict=False):
        if upper[-1:].isalnum() and lower[:1].isalnum():
            found.append(f"{upper.rstrip()!r} / {lower.rstrip()!r}")
    return found


@pytest.mark.parametrize("cols", [80, 50])
def test_question_hint_and_help_wrap_between_words(tmp_path, cols):
    path = tmp_path / "acme.yaml"
    answers = {"engagement_purpose": "baseline", "frameworks": ["soc2"], "industry": "retail"}
    doc = {"questionnaire": "cloud-srm@1.0.0", "meta": {"client": "Acme"}, "answers": answers}
    path.write_text(yaml.safe_dump(doc))
    term = Terminal(["ask", path.name], 24, cols, tmp_path)
    try:
        first = term.wait_for("Which cloud services", "Amazon EC2")  # the longest title
        assert broken_words(first) == []
        term.keys(UP, UP, SPACE)  # Show help, then the list again
        with_help = term.wait_for("Choose each service", "Which cloud services", "Amazon EC2")
        assert broken_words(with_help) == []
        term.keys(CTRL_C)
    finally:
        term.close()


def test_long_choices_wrap_under_themselves_instead_of_being_cut(tmp_path):
    path = tmp_path / "acme.yaml"
    answers = {
        "engagement_purpose": "baseline",
        "frameworks": ["soc2"],
        "industry": "retail",
        "services": ["onprem.datacenter"],
        "cloud_share": 10,
        "onprem_kept": ["directory"],
        "onprem_facility": "colocation",
    }
    doc = {"questionnaire": "cloud-srm@1.0.0", "meta": {"client": "Acme"}, "answers": answers}
    path.write_text(yaml.safe_dump(doc))
    term = Terminal(["ask", path.name], 24, 80, tmp_path)
    try:
        screen = term.wait_for("How are the on-premises hypervisors", "destroyed with certificates")
        assert broken_words(screen) == []
        term.keys(CTRL_C)
    finally:
        term.close()
