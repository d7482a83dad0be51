"""Tracking in the rendered checklist: the PDF's text, the Markdown, and hostile values."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from pypdf import PdfReader

from srm_tui.cli import cli
from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess
from srm_tui.report import tracking as view

LATE = (dt.date.today() - dt.timedelta(days=10)).isoformat()
LATER = (dt.date.today() + dt.timedelta(days=60)).isoformat()
DUTIES = [
    ("IAM-01", "--status", "planned", "--assignee", "Priya Shah (IT)", "--due", LATER,
     "--evidence", "CHG-1042 MFA rollout plan", "--note", "Contractors first."),
    ("IAM-02", "--status", "implemented", "--assignee", "Priya Shah (IT)",
     "--evidence", "Entra PIM report"),
    ("OPS-01", "--status", "partial", "--assignee", "Brightline MSP", "--due", LATE),
    ("CEK-02", "--status", "risk_accepted", "--assignee", "Tom Okafor",
     "--reason", "Board decision: provider keys for non-cardholder data"),
]  # fmt: skip


def hostile(url: str) -> tuple[str, ...]:
    return (
        "IAM-03", "--assignee", "<b>Bold</b> <img src='" + url + "/a.png'>",
        "--evidence", url + "/evidence.pdf",
        "--evidence", "<link rel=stylesheet href='" + url + "/x.css'>",
        "--note", "{{ 7*7 }} <script>alert(1)</script>",
    )  # fmt: skip


@pytest.fixture(scope="module")
def server():
    """A listener that must never be reached (the conftest one lives per test)."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.setblocking(False)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", sock
    sock.close()


@pytest.fixture(scope="module")
def tracked(tmp_path_factory, example, server):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("tracked")
    path = folder / "northwind.yaml"
    shutil.copy(example, path)
    runner = CliRunner()
    for cid, *args in [*DUTIES, hostile(server[0])]:
        result = runner.invoke(cli, ["track", str(path), cid, *args])
        assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def pages(tracked) -> list[str]:
    from click.testing import CliRunner

    out = tracked.with_suffix(".pdf")
    result = CliRunner().invoke(cli, ["report", str(tracked), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return pdf_pages(out)


@pytest.fixture(scope="module")
def example():
    from srm_tui.resources import example_answers

    return example_answers()


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(path).pages]


def block(pages: list[str], cid: str, title: str) -> str:
    """The text of a control's block in the checklist (from its title to the next block)."""
    text = " ".join(pages)
    # the owner and status badges stand between the title and the priority
    heads = re.finditer(re.escape(f"{cid} {title}") + r" .{0,80}?(High|Medium|Low) priority", text)
    start = next(heads).start()
    nxt = re.search(r"[A-Z]{2,4}-\d\d [A-Z]", text[start + 10 :])
    return text[start : start + 10 + (nxt.start() if nxt else 3000)]


def test_pdf_shows_tracking_on_the_control_and_progress_in_the_summary(pages):
    mfa = block(pages, "IAM-01", "Require multi-factor authentication for every person")
    assert "Planned set by hand on" in mfa and "the answers say Not implemented" in mfa
    assert "Priya Shah (IT)" in mfa and LATER in mfa and "CHG-1042 MFA rollout plan" in mfa
    assert "Contractors first." in mfa and "overdue" not in mfa.lower()

    patch = block(pages, "OPS-01", "Patch guest operating systems")
    assert "Brightline MSP" in patch and f"DUE DATE {LATE} OVERDUE" in patch
    assert "EC2 instances patched monthly" in patch  # the interview note on the answer behind it

    keys = block(pages, "CEK-02", "Manage customer-managed keys where the data requires it")
    assert "Risk accepted" in keys and "Board decision: provider keys" in keys

    start = next(i for i, p in enumerate(pages) if "Progress by assignee" in p)
    summary = " ".join(pages[start : start + 2])
    for row in ("Priya Shah (IT) (2)", "Brightline MSP (1)", "Tom Okafor (1)", "Unassigned ("):
        assert row in summary, row
    assert "Accepted or N/A" in summary and f"due before {dt.date.today()}" in summary


def test_untracked_controls_keep_their_lines_to_write_on(example, tmp_path):
    from click.testing import CliRunner

    out = tmp_path / "plain.html"
    assert CliRunner().invoke(cli, ["report", str(example), "-o", str(out)]).exit_code == 0
    html = out.read_text()
    assert 'class="tracking' not in html and "Progress</h2>" in html
    assert html.count("_" * 22) >= 3 * html.count('class="control"') - 10


def test_progress_counts_per_assignee(pack, tracked):
    result = assess(pack, load_answers(tracked, pack))
    rows = {r["label"]: r for r in view.progress_rows(result)}
    everyone = rows["All duties"]
    assert everyone["total"] == sum(1 for c in result.controls if c.status is not None)
    assert sum(everyone[k] for k in view.PROGRESS_KEYS) == everyone["total"]
    assert rows["Priya Shah (IT)"] | {} == {
        "label": "Priya Shah (IT)", "total": 2, "implemented": 1, "in_progress": 1,
        "open": 0, "overdue": 0, "accepted": 0,
    }  # fmt: skip
    assert rows["Brightline MSP"]["overdue"] == 1 and rows["Tom Okafor"]["accepted"] == 1
    assert rows["Unassigned"]["total"] == everyone["total"] - 5  # four duties and IAM-03


def test_markdown_carries_the_tracking(tracked, tmp_path):
    from click.testing import CliRunner

    out = tmp_path / "tracked.md"
    assert CliRunner().invoke(cli, ["report", str(tracked), "-o", str(out)]).exit_code == 0
    body = out.read_text()
    assert "## Progress" in body and "| Priya Shah (IT) | 1 | 1 | 0 | 0 | 0 | 2 |" in body
    assert f"assignee Brightline MSP; due {LATE} (**overdue**)" in body
    assert "  - Evidence on file: CHG-1042 MFA rollout plan" in body
    assert "  - Reason: Board decision: provider keys for non-cardholder data" in body


def test_html_and_urls_in_tracking_print_literally_and_are_never_fetched(
    pages, tracked, server, tmp_path
):
    from click.testing import CliRunner

    html = tmp_path / "h.html"
    assert CliRunner().invoke(cli, ["report", str(tracked), "-o", str(html)]).exit_code == 0
    text = " ".join(pages)
    assert "<b>Bold</b> <img src='" in text and "{{ 7*7 }} <script>alert(1)</script>" in text
    assert server[0] + "/evidence.pdf" in text
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html.read_text() and "<script>alert" not in html.read_text()
    with pytest.raises(BlockingIOError):  # nobody connected while the PDF was made
        server[1].accept()
