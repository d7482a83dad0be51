"""Comparing a PDF rendered on two cores with the same PDF rendered in one process."""

from __future__ import annotations

import io

import pikepdf
from pypdf import PdfReader

from srm_tui.report import parallel, pdf_join, render


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
        "attachments": {  # PDF/A-2 keeps an attachment's name but not its content
            name: f.get_file().read_bytes() if "/EF" in f.obj else None
            for name, f in document.attachments.items()
        },
        "fields": sorted(str(f.T) for f in root.AcroForm.Fields) if "/AcroForm" in root else [],
    }


def assert_same_pdf(single: bytes, split: bytes) -> None:
    """Words per page, bookmarks, destinations, links, tags and catalog all equal."""
    assert words(split) == words(single)
    assert outline(split) == outline(single)
    assert destinations(split) == destinations(single)
    assert links(split) == links(single)
    single_tags, single_faults = tags(single)
    split_tags, split_faults = tags(split)
    assert single_faults == split_faults == 0
    assert split_tags == single_tags
    assert catalog(split) == catalog(single)
