"""The PDF laid out on two cores is the PDF laid out on one, in every variant.

Each variant of the demo report is rendered both ways and compared: the words on each
page (headers, "Page X of Y" and the contents' page numbers included), bookmarks,
the pages named destinations and links lead to, the tag tree element by element and
its parent tree, attachments, form fields, metadata and PDF/A's output intent.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import os
import subprocess
import sys
import threading
import time

import pikepdf
import pytest
from pdf_support import assert_same_pdf, both, destinations, links, words
from pypdf import PdfReader

from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess
from srm_tui.engine.pack_loader import load_pack
from srm_tui.report import parallel, pdf_join, render
from srm_tui.resources import example_answers


@pytest.fixture(scope="module")
def assessment():
    pack = load_pack()
    return assess(pack, load_answers(example_answers(), pack), today=dt.date(2026, 12, 2))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"pdf_variant": "pdf/a-3u"},
        {"pdf_variant": "pdf/a-2u"},
        {"pdf_variant": "pdf/ua-1"},
        {"fillable": True},
    ],
    ids=["default", "pdf-a-3u", "pdf-a-2u", "pdf-ua-1", "fillable"],
)
def test_two_cores_make_the_same_pdf(assessment, monkeypatch, options):
    assert_same_pdf(*both(assessment, monkeypatch, **options))


def test_the_joined_pdf_has_what_the_reader_looks_for(assessment, monkeypatch):
    """Not only equal to the single render: page numbers run 1 to N, the links work."""
    _, split = both(assessment, monkeypatch)
    pages = PdfReader(io.BytesIO(split)).pages
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):  # the cover has no furniture
        assert f"Page {number} of {total}" in page.extract_text()
    contents = pages[1].extract_text()
    for name, title in (("checklist", "Your checklist"), ("glossary", "Glossary")):
        assert f"\n{title} {destinations(split)[name] + 1}\n" in f"\n{contents}\n"
    assert all(target < total for page in links(split) for _, target in page)
    assert sum(map(len, links(split))) > 50
    files = {}
    document = pikepdf.open(io.BytesIO(split))
    for obj in document.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    files[obj[key].objgen] = obj[key].read_raw_bytes()
    contents = collections.Counter(files.values())
    assert len(files) >= 3 and max(contents.values()) == 1, "a font is embedded more than once"


def test_a_child_that_dies_leaves_the_single_render(assessment, monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    single = render(assessment, "pdf")
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "_child", lambda *a: os._exit(3))
    assert words(render(assessment, "pdf")) == words(single)


def test_templates_of_ones_own_render_in_one_process(assessment, monkeypatch, tmp_path):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    joins = []
    monkeypatch.setattr(pdf_join, "join", lambda *a: joins.append(1))
    assert render(assessment, "pdf", template_dir=tmp_path).startswith(b"%PDF")
    assert joins == []


def test_no_child_is_forked_while_other_threads_run():
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert parallel.cores() == 1
    finally:
        release.set()
        worker.join()


def test_a_custom_skeleton_is_not_split():
    assert parallel.split("<html><body><p>one part</p></body></html>") is None
    unbalanced = (
        '<html><body><section class="cover"><section class="part" id="summary">'
        '</section><section class="part" id="checklist"></section>'
        '<section class="part" id="providers"></section></body></html>'
    )
    assert parallel.split(unbalanced) is None


KILLED_MIDWAY = """
import datetime as dt, multiprocessing, sys
from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess
from srm_tui.engine.pack_loader import load_pack
from srm_tui.report import parallel, pdf_join, render
from srm_tui.resources import example_answers

parallel.cores = lambda: 2
pack = load_pack()
assessment = assess(pack, load_answers(example_answers(), pack), today=dt.date(2026, 12, 2))

def progress(step, pages):
    for child in multiprocessing.active_children():
        print(child.pid, flush=True)

render(assessment, "pdf", progress=progress)
"""


def ended(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "\\nState:\\tZ" in status.read()  # a zombie no one has reaped yet
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_a_killed_parent_leaves_no_child_running():
    """Killed with SIGKILL (no clean-up runs), the parent's child stops at its next send."""
    parent = subprocess.Popen([sys.executable, "-c", KILLED_MIDWAY], stdout=subprocess.PIPE)
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 60
    while not ended(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ended(child)
