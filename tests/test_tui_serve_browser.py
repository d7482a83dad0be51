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
    """What the app writes to the page (terminal output, over the websocket).

    A key that changes screen or focus is followed by a repaint; waiting for the text of
    that repaint (a first paint, then the repaint for the focus) keeps a key from
    arriving before the widget it is meant for has focus.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.frames: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: self.frames.append(f)))

    def shown(self, text: str) -> int:
        data = b"".join(f if isinstance(f, bytes) else f.encode() for f in self.frames)
        return data.count(text.encode())

    def wait(self, text: str, times: int = 1, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.shown(text) < times:
            assert time.monotonic() < deadline, f"the page never showed {text!r} {times}x"
            self.page.wait_for_timeout(50)
        self.page.wait_for_timeout(150)

    def press(self, key: str, then: str | None = None, times: int = 1) -> None:
        """Press a key; with ``then``, wait until the page has shown that text."""
        self.frames.clear()
        self.page.keyboard.press(key)
        if then:
            self.wait(then, times)


def export_pdf(page, screen):
    """Open the export dialog from the results and take the PDF it delivers."""
    screen.press("Control+e", then="Export the checklist")  # PDF ticked, Export focused
    screen.wait("Export the checklist", times=2)
    with page.expect_download(timeout=60_000) as info:
        screen.press("Enter")
    return info.value


def test_join_answer_download_the_pdf_and_resume_after_a_reload(tmp_path, chromium):
    proc, port, folder, page_html, err = start(tmp_path)
    try:
        page = chromium.pages[0] if chromium.pages else chromium.new_page()
        screen = Screen(page)
        page.goto(f"http://127.0.0.1:{port}/")
        screen.wait("our name (required)", times=2)  # the name field, painted and focused
        page.focus(".xterm-helper-textarea")  # keys to the terminal, no click in the app
        page.keyboard.type("Ann Lee")
        screen.press("Enter", then="ype to filter", times=2)  # painted, then focused
        screen.press("ArrowDown", then="Amazon EC2")  # the list takes focus
        screen.press("Space")  # tick the first service
        wait_for(lambda: answers_in(folder).get("services"), "the first answer")
        screen.press("Control+n", then="Mostly in the cloud", times=2)
        screen.press("Enter")  # the first option, and on to the next question
        wait_for(lambda: answers_in(folder).get("hosting"), "the second answer")

        screen.press("Control+o", then="Services in scope")
        download = export_pdf(page, screen)
        if download.failure() == "canceled":
            # Seen once with the machine at a load of 17: Chromium cancelled the download.
            # Exporting again is what a person would do; a second failure fails the test.
            download = export_pdf(page, screen)
        assert download.failure() is None
        assert download.suggested_filename.endswith("-report.pdf")
        data = download.path().read_bytes()
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Acme Ltd" in text
        assert len(chromium.pages) == 1  # no pop-up window

        address = page.url
        assert "participant=" in address
        screen.frames.clear()
        page.reload()
        screen.wait("Does a managed service provider")  # where it stopped, not the start
        screen.wait("Yes", times=2)  # and focused
        page.focus(".xterm-helper-textarea")
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


def test_the_html_export_reads_as_a_column_in_a_browser(chromium, tmp_path, runner, example):
    """Opened in a browser, the HTML export is a centred column, not text from edge to
    edge, and its contents have no dots leading to page numbers a browser does not have."""
    from srm_tui.cli import cli

    out = tmp_path / "report.html"
    result = runner.invoke(cli, ["report", str(example), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = chromium.new_page()
    page.goto(out.as_uri())
    body = page.locator("body").bounding_box()
    assert body is not None and body["width"] < 800 and body["x"] > 100
    dots = page.locator(".toc a").first.evaluate("a => getComputedStyle(a).backgroundImage")
    assert dots == "none"
