"""``srm interview FILE`` as a real process in a pseudo-terminal, killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pexpect
import pytest
from tui_support import FIXTURE_PACK, fixture_pack

from srm_tui.engine.answers import load_answers

SRM = Path(sys.executable).with_name("srm")
DOWN, CTRL_N, ENTER = "\x1b[B", "\x0e", "\r"

pytestmark = pytest.mark.skipif(not SRM.exists(), reason="the srm script is not installed")


def start(path: Path, tmp_path: Path) -> pexpect.spawn:
    env = {**os.environ, "SRM_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color"}
    child = pexpect.spawn(
        str(SRM),
        ["-q", str(FIXTURE_PACK), "interview", str(path)],
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    return child


def send(child: pexpect.spawn, *keys: str, wait: float = 0.4) -> None:
    for key in keys:
        child.send(key)
        time.sleep(wait)


def test_answers_survive_sigkill_and_come_back(tmp_path):
    path = tmp_path / "engagement.yaml"
    child = start(path, tmp_path)
    try:
        child.expect("Which cloud services")
        send(child, DOWN, " ", CTRL_N)  # services: Amazon EC2
        child.expect("Where do most workloads")
        send(child, ENTER)  # hosting: Mostly in the cloud
        send(child, ENTER)  # uses_msp: Yes
        child.expect("Which managed service provider")
        send(child, *"Contoso", wait=0.05)
        time.sleep(2.0)  # typed text is stored after a short pause
    finally:
        child.kill(signal.SIGKILL)
        child.close(force=True)
    assert child.signalstatus == signal.SIGKILL

    saved = load_answers(path, fixture_pack())  # valid after the kill
    assert saved.answers == {
        "services": ["aws.ec2"],
        "hosting": "cloud",
        "uses_msp": "yes",
        "msp_name": "Contoso",
    }
    assert saved.position == "msp_name"
    assert path.stat().st_mode & 0o777 == 0o600

    again = start(path, tmp_path)
    try:
        again.expect("Which managed service provider")
        again.expect("Contoso")
        send(again, "\x11")  # Ctrl+Q
        again.expect(pexpect.EOF)
    finally:
        again.close(force=True)
    assert load_answers(path, fixture_pack()).answers["msp_name"] == "Contoso"
