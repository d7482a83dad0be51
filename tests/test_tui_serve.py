"""``srm serve`` as a real process: the page, loopback only, one interview per browser."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import aiohttp
import pytest
from tui_support import FIXTURE_PACK

from srm_tui import cli
from srm_tui.engine.answers import load_answers
from srm_tui.engine.pack_loader import load_pack


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


def start(tmp_path, stdout=subprocess.DEVNULL):
    """``srm serve`` on a free loopback port in a process group of its own, once it answers."""
    port = free_port()
    folder = tmp_path / "workshop"
    err = open(tmp_path / "stderr", "w+")  # noqa: SIM115 (closed by stop)
    proc = subprocess.Popen(
        [sys.executable, "-m", "srm_tui", "-q", str(FIXTURE_PACK), "serve"]
        + ["--port", str(port), "--dir", str(folder), "--client", "Acme Ltd"],
        stdout=stdout,
        stderr=err,
        env={**os.environ, "SRM_DATA_DIR": str(tmp_path / "data")},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                page = r.read().decode()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err.seek(0)
                stop(proc, err)
                pytest.fail(f"srm serve did not start: {err.read()}")
            time.sleep(0.3)
    return proc, port, folder, page, err


def stop(proc, err) -> None:
    """Stop the server and its app processes (SIGKILL if SIGTERM is not enough)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with contextlib.suppress(ProcessLookupError):  # app processes left behind
        os.killpg(proc.pid, signal.SIGKILL)
    err.close()


@pytest.fixture
def server(tmp_path):
    """``srm serve`` on a free loopback port; stopped (with its app processes) afterwards."""
    proc, port, folder, page, err = start(tmp_path)
    try:
        yield proc, port, folder, page, err
    finally:
        stop(proc, err)


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


class Terminal:
    """One browser's websocket to its app: what the app has written, and keys to send."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.seen = b""

    async def until(self, text: bytes, times: int = 1) -> None:
        while self.seen.count(text) < times:
            msg = await self.ws.receive(timeout=60)
            assert msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), msg
            self.seen += msg.data if isinstance(msg.data, bytes) else msg.data.encode()

    async def keys(self, text: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", text]))

    async def tick_first_service(self) -> None:
        """Down from the focused filter to the list, then Space, each after its repaint."""
        await self.until(b"ype to filter", times=2)  # painted, then focused
        await self.until(b"Pick every service")  # the help pane, built once the question has focus
        self.seen = b""
        await self.keys("\x1b[B")
        await self.until(b"Amazon EC2")  # the list repainted with focus
        await asyncio.sleep(0.1)
        await self.keys(" ")

    async def drain(self) -> None:
        """Read until the server closes the connection, as a browser does."""
        while not self.ws.closed:
            msg = await self.ws.receive(timeout=60)
            if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break


@contextlib.asynccontextmanager
async def browser(url: str):
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        yield Terminal(ws)


async def participant(port: int, name: str) -> None:
    """One browser: wait for the workshop start screen, type a name, press Enter."""
    async with browser(f"http://127.0.0.1:{port}/ws?width=100&height=30") as term:
        await term.until(b"Join the workshop")
        await term.keys(f"{name}\r")
        await term.until(b"Which cloud services")


def wait_for(check, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
    return found


def answers_in(folder) -> dict:
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 1, files
    return load_answers(files[0], load_pack(FIXTURE_PACK)).answers


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


def test_sigterm_stops_at_once_and_keeps_the_last_answer(tmp_path):
    """The tick is stored after an idle pause; SIGTERM comes before it, yet it is saved."""
    proc, port, folder, page, err = start(tmp_path)
    try:

        async def answer_then_stop() -> float:
            async with browser(f"http://127.0.0.1:{port}/ws?width=100&height=30") as term:
                await term.until(b"Join the workshop")
                await term.keys("Ann Lee\r")
                await term.until(b"Which cloud services")
                await term.tick_first_service()
                await asyncio.sleep(0.2)  # the idle pause before storing is 0.6 s
                started = time.monotonic()
                os.kill(proc.pid, signal.SIGTERM)
                await asyncio.wait_for(term.drain(), 5)  # a generous bound; the aim is 1 s
                await asyncio.to_thread(proc.wait, 5)
                return time.monotonic() - started

        elapsed = asyncio.run(answer_then_stop())
    finally:
        stop(proc, err)
    print(f"srm serve stopped {elapsed:.2f} s after SIGTERM")
    assert proc.returncode == 0
    assert answers_in(folder) == {"services": ["aws.ec2"]}


def test_the_facilitator_sees_where_to_send_people_and_each_new_file(tmp_path):
    with open(tmp_path / "stdout", "w+") as out:
        proc, port, folder, page, err = start(tmp_path, stdout=out)
        try:
            asyncio.run(participant(port, "Ann Lee"))
            name = wait_for(lambda: list(folder.glob("*.yaml")), "the answers file")[0].name

            def console() -> str:
                out.seek(0)
                return out.read()

            wait_for(lambda: name in console(), "the new file on the console")
        finally:
            stop(proc, err)
        text = console()
    assert f"http://127.0.0.1:{port}" in text
    assert str(folder.resolve()) in text
    assert re.search(
        rf"srm .*merge {re.escape(str(folder.resolve()))}/\*\.yaml -o acme-ltd\.yaml", text
    )
    assert re.search(r"srm .*report acme-ltd\.yaml -o acme-ltd\.pdf", text)
    assert "Ann Lee" in text.split(name, 1)[1].splitlines()[0]
    assert "GET /" not in text  # no request log in the facilitator's way


def test_reloading_the_page_resumes_the_same_answers(server):
    proc, port, folder, page, err = server
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
        address, page = r.url, r.read().decode()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(address).query)["participant"][0]
    assert len(token) >= 20
    assert f"ws://127.0.0.1:{port}/ws/{token}" in page
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
        assert token not in r.url  # another browser, another participant
    ws_url = f"http://127.0.0.1:{port}/ws/{token}?width=100&height=30"

    async def first_visit():
        async with browser(ws_url) as term:
            await term.until(b"Join the workshop")
            await term.keys("Ann Lee\r")
            await term.until(b"Which cloud services")
            await term.tick_first_service()
            await asyncio.to_thread(
                wait_for, lambda: answers_in(folder).get("services"), "the first answer"
            )

    async def reload():
        async with browser(ws_url) as term:
            await term.until(b"Which cloud services")
            assert b"Join the workshop" not in term.seen
            await asyncio.sleep(0.5)
            await term.keys("\x0e")  # Ctrl+N: next question
            await term.until(b"Where do most workloads run")
            await asyncio.sleep(0.3)
            await term.keys("\r")  # choose the first option
            await asyncio.to_thread(
                wait_for, lambda: answers_in(folder).get("hosting"), "the second answer"
            )

    asyncio.run(first_visit())
    asyncio.run(reload())
    assert answers_in(folder) == {"services": ["aws.ec2"], "hosting": "cloud"}


def test_a_browser_that_leaves_mid_exchange_leaves_no_traceback(tmp_path):
    """A closed tab can still have pings in flight; the answers to them go nowhere."""
    with open(tmp_path / "stdout", "w+") as out:
        proc, port, folder, page, err = start(tmp_path, stdout=out)
        try:

            async def leave_abruptly():
                async with browser(f"http://127.0.0.1:{port}/ws?width=100&height=30") as term:
                    await term.until(b"Join the workshop")
                    for n in range(50):
                        await term.ws.send_str(json.dumps(["ping", str(n)]))
                    term.ws._response.connection.transport.abort()
                    await asyncio.sleep(1)

            asyncio.run(leave_abruptly())
        finally:
            stop(proc, err)
        out.seek(0)
        console = out.read()
    assert "Error" not in console and "Traceback" not in console, console
    assert (tmp_path / "stderr").read_text() == ""


def test_a_participant_token_finds_only_its_own_file_in_the_folder(tmp_path):
    from srm_tui import participants

    token = participants.new_token()
    assert participants.valid(token) and token != participants.new_token()
    answers = tmp_path / "ann-lee-2026-01-15.yaml"
    answers.write_text("x")
    participants.remember(tmp_path, token, answers)
    assert participants.recall(tmp_path, token) == answers
    assert (tmp_path / ".participants" / token).stat().st_mode & 0o777 == 0o600
    assert list(tmp_path.glob("*.yaml")) == [answers]  # merge FOLDER/*.yaml sees no index
    other = participants.new_token()
    assert participants.recall(tmp_path, other) is None
    for name in ("../outside.yaml", "/etc/passwd", ".participants", ""):
        (tmp_path / ".participants" / other).write_text(name)
        assert participants.recall(tmp_path, other) is None, name
    for bad in ("../../etc", "short", "a" * 65, "", None):
        assert not participants.valid(bad)
        assert participants.recall(tmp_path, bad) is None
    answers.unlink()
    assert participants.recall(tmp_path, token) is None  # gone: the browser starts anew
