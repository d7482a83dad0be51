"""``srm ask`` without a terminal stops at once and says how to run without one."""

from __future__ import annotations

import subprocess
import sys


def test_ask_without_a_terminal_exits_2_with_a_clear_message(tmp_path):
    path = tmp_path / "acme.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "srm_tui", "ask", str(path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr
    assert "srm report ANSWERS" in done.stderr
    assert "Traceback" not in done.stderr
    assert not path.exists()
