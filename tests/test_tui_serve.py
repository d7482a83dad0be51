"""``srm serve`` as a real process: the page, loopback only, one interview per browser."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import aiohttp
import pytest
from tui_support import FIXTURE_PACK

from srm_tui import cli
from srm_tui.engine.answers import load_answers
from srm_tui.engine.pack import load_pack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def outward_address() -> str | None:
    """This machine's address on its default route (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def listening(port: int) -> list[str]:
    """Local addresses (hex, as the kernel writes them) with a listening TCP socket on port."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as fh:
            for line in fh.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, _, hex_port = local.partition(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.append(address)
    return found


@pytest.fixture
def server(tmp_path):
    """``srm serve`` on a free loopback port; stopped (with its app processes) afterwards."""
    port = free_port()
    folder = tmp_path / "workshop"
    with open(tmp_path / "stderr", "w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "srm_tui", "-q", str(FIXTURE_PACK), "serve"]
            + ["--port", str(port), "--dir", str(folder), "--client", "Acme Ltd"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "SRM_DATA_DIR": str(tmp_path / "data")},
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                        page = r.read().decode()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        err.seek(0)
                        pytest.fail(f"srm serve did not start: {err.read()}")
                    time.sleep(0.3)
            yield proc, port, folder, page, err
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # waits for open browser sessions otherwise
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def test_serves_the_app_page_on_loopback_only(server):
    proc, port, folder, page, err = server
    assert "<div>srm workshop</div>" in page
    assert 'class="textual-terminal"' in page
    assert f"ws://127.0.0.1:{port}/ws" in page
    assert listening(port) == ["0100007F"]  # 127.0.0.1, and nothing on IPv6 or 0.0.0.0
    for address in ("127.0.0.2", outward_address()):  # same machine, other addresses
        if address:
            with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
                pass
    err.seek(0)
    assert "warning" not in err.read()
    assert folder.is_dir() and list(folder.iterdir()) == []


async def participant(port: int, name: str) -> None:
    """One browser: wait for the workshop start screen, type a name, press Enter."""
    url = f"http://127.0.0.1:{port}/ws?width=100&height=30"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        seen = b""
        while b"Join the workshop" not in seen:
            msg = await ws.receive(timeout=60)
            assert msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), msg
            seen += msg.data if isinstance(msg.data, bytes) else msg.data.encode()
        await ws.send_str(json.dumps(["stdin", f"{name}\r"]))
        while b"Which cloud services" not in seen:
            msg = await ws.receive(timeout=60)
            assert msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), msg
            seen += msg.data if isinstance(msg.data, bytes) else msg.data.encode()


def test_each_browser_gets_its_own_interview(server):
    proc, port, folder, page, err = server

    async def two_browsers():
        await asyncio.gather(participant(port, "Ann Lee"), participant(port, "Bo Chan"))

    asyncio.run(two_browsers())
    files = sorted(folder.glob("*.yaml"))
    assert [f.name.rsplit("-", 3)[0] for f in files] == ["ann-lee", "bo-chan"]
    pack = load_pack(FIXTURE_PACK)
    people = [load_answers(f, pack).meta for f in files]
    assert [(m["participant"], m["client"]) for m in people] == [
        ("Ann Lee", "Acme Ltd"),
        ("Bo Chan", "Acme Ltd"),
    ]
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)


def test_another_host_warns_that_anyone_can_answer(runner, monkeypatch, tmp_path):
    from srm_tui.tui import serve as web

    calls = []
    monkeypatch.setattr(web, "serve", lambda *a, **k: calls.append((a, k)))
    result = runner.invoke(cli.cli, ["serve", "--host", "0.0.0.0", "--dir", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    assert "anyone who can reach this address can open an interview" in result.stderr
    assert calls[0][0][:2] == ("0.0.0.0", 8000)
    quiet = runner.invoke(cli.cli, ["serve", "--dir", str(tmp_path / "ws")])
    assert quiet.stderr == "" and calls[1][0][:3] == ("127.0.0.1", 8000, tmp_path / "ws")


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "srm_tui", "serve", "--port", str(port)]
            + ["--dir", str(tmp_path / "ws")],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 2
    assert (
        out.stderr.strip()
        .splitlines()[-1]
        .startswith(f"srm: error: 127.0.0.1:{port}: cannot listen here")
    )


def test_app_command_quotes_its_arguments(tmp_path):
    from srm_tui.tui.serve import app_command, is_loopback

    command = app_command(tmp_path / "a b", None, "O'Brien & Co; rm -rf /")
    assert command.endswith(
        f"--workshop '{tmp_path}/a b' --workshop-client 'O'\"'\"'Brien & Co; rm -rf /'"
    )
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.com")
