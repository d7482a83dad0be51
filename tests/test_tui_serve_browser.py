"""``srm serve`` in a real browser: Debian's Chromium, driven by Playwright.

The terminal in the page is a canvas, so keys go to the page and what the app did is
read from the answers file on disk. Playwright normally turns off Chromium's pop-up
blocker; it is left on here, as it is in a browser someone uses.
"""

from __future__ import annotations

import io
import shutil
import time

import pytest
from pypdf import PdfReader
from test_tui_serve import answers_in, start, stop, wait_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which("chromium") is None, reason="Debian's chromium is not installed"
    ),
]


@pytest.fixture
def chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            tmp_path / "profile",
            executable_path=CHROMIUM,
            args=ARGS,
            ignore_default_args=["--disable-popup-blocking"],
            headless=True,
            accept_downloads=True,
            viewport={"width": 1100, "height": 640},
        )
        try:
            yield context
        finally:
            context.close()


class Screen:
    """What the app writes to the page (terminal output, over the websocket)."""

    def __init__(self, page) -> None:
        self.page = page
        self.frames: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: self.frames.append(f)))

    def wait(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        want = text.encode()
        while want not in b"".join(f if isinstance(f, bytes) else f.encode() for f in self.frames):
            assert time.monotonic() < deadline, f"the page never showed {text!r}"
            self.page.wait_for_timeout(100)
        self.page.wait_for_timeout(300)  # focus moves once the new screen is painted
        self.frames.clear()

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(300)  # a key can move focus; the next waits for it


def test_join_answer_download_the_pdf_and_resume_after_a_reload(tmp_path, chromium):
    proc, port, folder, page_html, err = start(tmp_path)
    try:
        page = chromium.pages[0] if chromium.pages else chromium.new_page()
        screen = Screen(page)
        page.goto(f"http://127.0.0.1:{port}/")
        screen.wait("Join the workshop")
        page.focus(".xterm-helper-textarea")  # keys to the terminal, no click in the app
        page.keyboard.type("Ann Lee")
        screen.press("Enter")
        screen.wait("Which cloud services")
        page.screenshot(path="/tmp/serve-explore/b0.png")
        screen.press("ArrowDown", "Space")  # from the filter to the list; tick the first
        page.screenshot(path="/tmp/serve-explore/b1.png")
        wait_for(lambda: answers_in(folder).get("services"), "the first answer")
        screen.press("Control+n")
        screen.wait("Where do most workloads run")
        screen.press("Enter")  # the first option, and on to the next question
        wait_for(lambda: answers_in(folder).get("hosting"), "the second answer")
        screen.wait("Does a managed service provider")

        screen.press("Control+o")
        screen.wait("Services in scope")
        screen.press(*["ArrowRight"] * 5)  # Split, Matrix, Controls, Beliefs, What-if, Export
        screen.wait("Write the responsibility checklist")
        screen.press("Tab")  # the PDF button
        with page.expect_download(timeout=60_000) as info:
            screen.press("Enter")
        download = info.value
        assert download.failure() is None
        assert download.suggested_filename.endswith("-report.pdf")
        data = download.path().read_bytes()
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Acme Ltd" in text
        assert len(chromium.pages) == 1  # no pop-up window

        address = page.url
        assert "participant=" in address
        page.reload()
        screen.wait("Does a managed service provider")  # where it stopped, not the start
        page.focus(".xterm-helper-textarea")  # keys to the terminal, no click in the app
        screen.press("Enter")  # the first option
        wait_for(lambda: answers_in(folder).get("uses_msp"), "an answer after the reload")
        assert page.url == address
        assert answers_in(folder) == {
            "services": ["aws.ec2"],
            "hosting": "cloud",
            "uses_msp": "yes",
        }
    finally:
        started = time.monotonic()
        stop(proc, err)
        print(f"srm serve stopped {time.monotonic() - started:.2f} s after SIGTERM")
