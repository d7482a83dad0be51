"""Joining separately rendered parts of the report into one PDF (pikepdf).

The *frame* is a WeasyPrint PDF holding the real cover and contents, then one page for
each page of the parts, empty but for its furniture (headers, "Page X of Y"). The
parts' pages replace those empty pages, each with the frame's furniture drawn over it
as an artifact. What WeasyPrint writes across pages is joined:

- tags: the parts' structure elements go under the frame's Document element, and the
  parent tree is renumbered (pages first, then link and form annotations);
- named destinations (the targets of internal links) and bookmarks;
- form fields, for the fillable PDF;
- fonts: every part embeds the same font files, which are kept once.

The frame's catalog (metadata, attachments, PDF/A output intent, language) is kept.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, OutlineItem

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


class JoinError(ValueError):
    """The parts do not fit the frame (page count, size or layout): render in one process."""


def join(frame: bytes, parts: list[tuple[bytes, set[str]]], front: int) -> bytes:
    """One PDF: the frame's first ``front`` pages, then every part's pages in order.

    Each part comes with the ids it borrowed: link targets that live in another part,
    held in an empty block at its end (see ``Parts.bare``), which is dropped here.
    """
    out = pikepdf.open(io.BytesIO(frame))
    sources = [(pikepdf.open(io.BytesIO(pdf)), borrowed) for pdf, borrowed in parts]
    total = len(out.pages)
    if total != front + sum(len(source.pages) for source, _ in sources):
        raise JoinError("the frame's pages do not match the parts'")
    joined = _Joined(out, front)
    for source, borrowed in sources:
        joined.add(source, borrowed)
    return joined.finish()


class _Joined:
    """The frame, taking in the parts one by one."""

    def __init__(self, out: pikepdf.Pdf, front: int) -> None:
        self.out, self.front, self.total = out, front, len(out.pages)
        empty = list(out.pages)[front:]
        self.stamps = [_stamp(out, page) for page in empty]
        gone = {page.obj.objgen for page in empty}
        root = out.Root.StructTreeRoot
        self.document = root.K[0]
        self.document.K = Array(
            kid for kid in self.document.K if "/Pg" not in kid or kid.Pg.objgen not in gone
        )
        # The parent tree: pages (kept: the cover and contents) then annotations.
        nums = list(root.ParentTree.Nums)
        self.numbers = {
            int(key): value
            for key, value in zip(nums[::2], nums[1::2], strict=True)
            if int(key) < front or int(key) >= self.total
        }
        self.next_key = max([self.total - 1, *self.numbers]) + 1
        self.names = {name: dest for name, dest in _destinations(out) if dest[0].objgen not in gone}
        self.fields = list(out.Root.AcroForm.Fields) if "/AcroForm" in out.Root else []
        self.fonts: dict[str, Any] = {}
        self.font_files: dict[tuple[str, int, int], pikepdf.Object] = {}
        self._keep_fonts_once(out.pages[0].obj.Resources)
        self.outline: list[OutlineItem] = []
        self.index = front  # where the next part's first page goes

    def add(self, source: pikepdf.Pdf, borrowed: set[str]) -> None:
        out = self.out
        first = len(out.pages)
        for page in source.pages:
            out.pages.append(page)
        copied = out.pages[first:]
        moved = {old.objgen: new.obj for old, new in zip(source.pages, copied, strict=True)}
        annotation_keys: dict[int, int] = {}
        for offset, page in enumerate(copied):
            stamp = self.stamps[self.index - self.front + offset]
            if list(page.mediabox) != list(stamp.BBox):
                raise JoinError("a part's page is not the size of the frame's")
            page.obj.StructParents = self.index + offset
            _draw_over(page, stamp)
            for annotation in page.obj.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    old = int(annotation.StructParent)
                    new = annotation_keys.setdefault(old, self.next_key + len(annotation_keys))
                    annotation.StructParent = new
        self.next_key += len(annotation_keys)

        source_root = source.Root.StructTreeRoot
        kids = list(out.copy_foreign(source_root.K[0]).K)
        if borrowed:
            _check_empty(kids.pop())
        for kid in kids:
            kid.P = self.document
            self.document.K.append(kid)
        nums = list(out.copy_foreign(source_root.ParentTree).Nums)
        for key, value in zip(nums[::2], nums[1::2], strict=True):
            old = int(key)
            page_key = old < len(copied)
            self.numbers[self.index + old if page_key else annotation_keys[old]] = value
        self.index += len(copied)

        for name, dest in _destinations(source):
            if name not in borrowed:
                self.names[name] = _moved(dest, moved)
        if "/AcroForm" in source.Root:
            self.fields.extend(out.copy_foreign(field) for field in source.Root.AcroForm.Fields)
        self._keep_fonts_once(copied[0].obj.Resources)
        with source.open_outline() as outline:
            self.outline.extend(_copy_outline(item, moved) for item in outline.root)

    def finish(self) -> bytes:
        out, root = self.out, self.out.Root
        del out.pages[self.front : self.total]
        tree = Array([x for key in sorted(self.numbers) for x in (key, self.numbers[key])])
        root.StructTreeRoot.ParentTree = out.make_indirect(Dictionary(Nums=tree))
        root.StructTreeRoot.ParentTreeNextKey = self.next_key
        if self.names:
            if "/Names" not in root:
                root.Names = Dictionary()
            flat = [x for n in sorted(self.names) for x in (pikepdf.String(n), self.names[n])]
            root.Names.Dests = Dictionary(Names=Array(flat))
        if self.fields:
            form = root.get("/AcroForm") or Dictionary()
            form.Fields = Array(self.fields)
            form.NeedAppearances = True
            form.DR = Dictionary(Font=Dictionary(self.fonts))
            root.AcroForm = form
        with out.open_outline() as outline:
            outline.root.extend(self.outline)
        buffer = io.BytesIO()
        out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()

    def _keep_fonts_once(self, resources: pikepdf.Object) -> None:
        """Point each font at the first copy of the same font file, and note each font by
        its name for the form fields' resources."""
        for name, font in resources.get("/Font", Dictionary()).items():
            self.fonts.setdefault(name, font)
            holder = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = holder.get("/FontDescriptor")
            for key in FONT_FILES:
                if descriptor is None or key not in descriptor:
                    continue
                data = descriptor[key].read_raw_bytes()
                kept = self.font_files.setdefault((key, len(data), hash(data)), descriptor[key])
                if kept.objgen != descriptor[key].objgen and kept.read_raw_bytes() == data:
                    descriptor[key] = kept


def _destinations(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The named destinations WeasyPrint writes: one flat, sorted name array."""
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return []
    flat = list(pdf.Root.Names.Dests.Names)
    return [(str(name), dest) for name, dest in zip(flat[::2], flat[1::2], strict=True)]


def _moved(destination: Any, moved: dict) -> Array:
    """An explicit destination ``[page /XYZ x y zoom]`` pointing at the copied page."""
    return Array([moved[destination[0].objgen], *list(destination)[1:]])


def _copy_outline(item: OutlineItem, moved: dict) -> OutlineItem:
    copy = OutlineItem(item.title, destination=_moved(item.destination, moved))
    copy.is_closed = item.is_closed
    copy.children.extend(_copy_outline(child, moved) for child in item.children)
    return copy


def _check_empty(element: pikepdf.Object) -> None:
    """The block of borrowed ids: a Div of empty Spans, marking no content."""
    kids = element.get("/K", Array())
    kids = kids if isinstance(kids, Array) else Array([kids])
    if Name.Div != element.S or any(kid.get("/K", Array()) for kid in kids):
        raise JoinError("a part does not end with its block of borrowed ids")


def _stamp(pdf: pikepdf.Pdf, page: pikepdf.Page) -> pikepdf.Stream:
    """The frame page's drawing as a form, its marked content turned into artifacts."""
    instructions: list[Any] = []
    for instruction in pikepdf.parse_content_stream(page):
        operands: Any = instruction.operands
        operator = instruction.operator
        if operator == Operator("BDC"):
            operands, operator = [Name.Artifact], Operator("BMC")
        elif operator == Operator("BMC"):
            operands = [Name.Artifact]
        instructions.append((operands, operator))
    return pdf.make_stream(
        pikepdf.unparse_content_stream(instructions),
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=page.mediabox,
        Resources=page.obj.Resources,
    )


def _draw_over(page: pikepdf.Page, stamp: pikepdf.Stream) -> None:
    """Draw ``stamp`` over the page as an artifact, in a resources dictionary of its own."""
    resources = Dictionary(dict(page.obj.Resources.items()))
    xobjects = Dictionary(dict(resources.get("/XObject", Dictionary()).items()))
    xobjects.SrmFrame = stamp
    resources.XObject = xobjects
    page.obj.Resources = resources
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ /Artifact BMC q /SrmFrame Do Q EMC\n")
