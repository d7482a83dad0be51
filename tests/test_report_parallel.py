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
import time

import pikepdf
import pytest
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


def both(assessment, monkeypatch, **options) -> tuple[bytes, bytes]:
    """The report rendered in one process, then on two cores (which must be taken)."""
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    single = render(assessment, "pdf", **options)
    joins = []
    real_join = pdf_join.join
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(pdf_join, "join", lambda *a: joins.append(1) or real_join(*a))
    split = render(assessment, "pdf", **options)
    assert joins == [1], "the two-core path was not taken"
    return single, split


def words(pdf: bytes) -> list[list[str]]:
    """Each page's words, sorted: the furniture is drawn last on a joined page."""
    return [sorted(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def outline(pdf: bytes) -> list[tuple[int, str, int]]:
    reader = PdfReader(io.BytesIO(pdf))

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item)

    return list(walk(reader.outline, 0))


def destinations(pdf: bytes) -> dict[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return {k: reader.get_destination_page_number(v) for k, v in reader.named_destinations.items()}


def links(pdf: bytes) -> list[list[tuple[str, int]]]:
    """Per page, each internal link's target name and the page it leads to."""
    named = destinations(pdf)
    pages = []
    for page in pikepdf.open(io.BytesIO(pdf)).pages:
        pages.append(
            [
                (str(a.Dest), named[str(a.Dest)])
                for a in page.obj.get("/Annots", [])
                if a.get("/Subtype") == "/Link" and "/Dest" in a
            ]
        )
    return pages


def tags(pdf: bytes) -> tuple[list[tuple[int, str, int | None]], int]:
    """The tag tree as (depth, type, page) in order, and how many parent-tree faults.

    A fault: a page whose marked-content count differs from its parent-tree entry, an
    element there on another page, or an annotation whose entry does not point back.
    """
    document = pikepdf.open(io.BytesIO(pdf))
    page_of = {page.obj.objgen: i for i, page in enumerate(document.pages)}
    root = document.Root.StructTreeRoot
    elements: list[tuple[int, str, int | None]] = []

    def kids(element):
        k = element.get("/K")
        return list(k) if isinstance(k, pikepdf.Array) else ([] if k is None else [k])

    def walk(element, depth):
        page = page_of.get(element.Pg.objgen) if "/Pg" in element else None
        elements.append((depth, str(element.S), page))
        for kid in kids(element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                elements.append((depth + 1, "OBJR", page_of[kid.Pg.objgen]))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, depth + 1)
            elif isinstance(kid, pikepdf.Dictionary):  # marked content elsewhere
                elements.append((depth + 1, "MCR", page_of[kid.Pg.objgen]))
            else:
                elements.append((depth + 1, f"MCID {int(kid)}", page))

    for element in kids(root):
        walk(element, 0)
    nums = list(root.ParentTree.Nums)
    tree = dict(zip((int(k) for k in nums[::2]), nums[1::2], strict=True))
    faults = 0
    for i, page in enumerate(document.pages):
        marked = tree[int(page.obj.StructParents)]
        operators = [op for _, op in pikepdf.parse_content_stream(page) if str(op) == "BDC"]
        faults += len(operators) != len(marked)
        faults += sum(page_of[e.Pg.objgen] != i for e in marked if "/Pg" in e)
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                owner = tree[int(annotation.StructParent)]
                faults += not any(
                    k.get("/Type") == "/OBJR" and k.Obj.objgen == annotation.objgen
                    for k in kids(owner)
                    if isinstance(k, pikepdf.Dictionary)
                )
    return elements, faults


def catalog(pdf: bytes) -> dict[str, object]:
    document = pikepdf.open(io.BytesIO(pdf))
    root = document.Root
    with document.open_metadata() as xmp:
        identity = {k: v for k, v in xmp.items() if "pdfaid" in k or "pdfuaid" in k}
    return {
        "lang": str(root.get("/Lang")),
        "marked": bool(root.MarkInfo.Marked),
        "title": str(document.docinfo.get("/Title")),
        "intents": len(root.get("/OutputIntents", [])),
        "identity": identity,
        "attachments": {
            name: f.get_file().read_bytes() for name, f in document.attachments.items()
        },
        "fields": sorted(str(f.T) for f in root.AcroForm.Fields) if "/AcroForm" in root else [],
    }


@pytest.mark.parametrize(
    "options",
    [{}, {"pdf_variant": "pdf/a-3u"}, {"pdf_variant": "pdf/ua-1"}, {"fillable": True}],
    ids=["default", "pdf-a-3u", "pdf-ua-1", "fillable"],
)
def test_two_cores_make_the_same_pdf(assessment, monkeypatch, options):
    single, split = both(assessment, monkeypatch, **options)
    assert words(split) == words(single)
    assert outline(split) == outline(single)
    assert destinations(split) == destinations(single)
    assert links(split) == links(single)
    single_tags, single_faults = tags(single)
    split_tags, split_faults = tags(split)
    assert single_faults == split_faults == 0
    assert split_tags == single_tags
    assert catalog(split) == catalog(single)


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
from srm_tui.report import parallel, render
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
