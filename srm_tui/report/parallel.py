"""The PDF laid out on two cores: the checklist in a forked process, the rest here.

Laying out pages is most of a report's time and WeasyPrint does it on one core. The
report's parts start on pages of their own, so they can be laid out apart:

- a forked child lays out the checklist; this process lays out the parts before and
  after it (summary to belief check, providers to glossary);
- the parts are rendered without page furniture (headers, footers), and the contents
  and the furniture wait for the page counts: then one more document, the *frame*,
  holds the real cover and contents followed by one empty page for every other page,
  each carrying the ids that land on it and the chapter it is in. WeasyPrint resolves
  the contents' page numbers and "Page X of Y" in it as in the whole document;
- :func:`srm_tui.report.pdf_join.join` puts the pages together, draws the frame's
  furniture on each, and joins tags, bookmarks, links and form fields.

Used only with the bundled templates (templates of one's own may name pages of other
sizes or use other margin boxes), on Linux with two cores or more. A child that fails,
or parts that do not fit the frame, leave the render to one process. The PDF is the
same either way: the tests compare the two page by page, tag by tag.
"""

from __future__ import annotations

import contextlib
import html as htmlmod
import multiprocessing
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

MARGIN_BOXES = (
    *("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner"),
    *("bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner"),
    *("left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom"),
)
# Parts are rendered bare: the frame draws every page's furniture.
BARE = "<style>@page {{ {} }}</style>".format(
    " ".join(f"@{box} {{ content: none }}" for box in MARGIN_BOXES)
)
# An empty page of the frame, named after the chapter its page is in.
FRAME = "<style>.srm-frame { break-before: page; string-set: chapter attr(data-chapter); }</style>"
SECTION = '<section class="part" id="{}"'
SPLITS = ("summary", "checklist", "providers")


@dataclass(frozen=True)
class Parts:
    """The report's HTML cut at the start of the summary, checklist and providers."""

    head: str  # up to and including <body ...>
    front: str  # cover and contents
    middle: str  # summary up to the checklist
    checklist: str
    back: str  # providers to the end

    def document(self, body: str, extra: str) -> str:
        head = self.head.replace("</head>", extra + "</head>", 1)
        return f"{head}{body}\n</body></html>"

    def bare(self, body: str) -> tuple[str, set[str]]:
        """A part as a document without furniture, and the ids it links to elsewhere.

        WeasyPrint drops a link whose target is not in the document, so those ids
        are added in an empty block at the end, which the join takes out again.
        """
        missing = linked(body) - {htmlmod.unescape(i) for i in re.findall(r'\sid="([^"]+)"', body)}
        if missing:
            spans = "".join(f'<span id="{htmlmod.escape(i)}"></span>' for i in sorted(missing))
            body = f"{body}<div>{spans}</div>"
        return self.document(body, BARE), missing


@dataclass(frozen=True)
class Layout:
    """What the frame needs from a part: per page, its ids and its first chapter."""

    anchors: list[list[str]]
    chapters: list[str | None]

    @property
    def pages(self) -> int:
        return len(self.anchors)


def split(html: str) -> Parts | None:
    """The parts, or None when the HTML is not cut where expected."""
    body = re.search(r"<body[^>]*>", html)
    end = html.rfind("</body>")
    if body is None or end < 0:
        return None
    cuts = [html.find(SECTION.format(name)) for name in SPLITS]
    bounds = [body.end(), *cuts, end]
    if any(c < 0 for c in cuts) or bounds != sorted(bounds):
        return None
    chunks = [html[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    if any(c.count("<section") != c.count("</section>") for c in chunks):
        return None
    return Parts(html[: body.end()], *chunks)


def layout_of(document, borrowed: set[str]) -> Layout:
    """A rendered part's own ids and level-1 headings, page by page."""
    anchors, chapters = [], []
    seen = set(borrowed)  # an element over several pages has its id on each: the first counts
    for page in document.pages:
        anchors.append([a for a in page.anchors if a not in seen])
        seen.update(page.anchors)
        chapters.append(next((label for level, label, _, _ in page.bookmarks if level == 1), None))
    return Layout(anchors, chapters)


def linked(html: str) -> set[str]:
    """The ids the links in ``html`` lead to."""
    return {htmlmod.unescape(i) for i in re.findall(r'href="#([^"]+)"', html)}


def frame_body(parts: Parts, layouts: list[Layout]) -> str:
    """The cover and contents, then an empty page for each page of ``layouts``, holding
    the ids the contents link to (each id more is a tag and a name to write)."""
    wanted = linked(parts.front)
    pages = []
    chapter = ""
    for layout in layouts:
        for anchors, first in zip(layout.anchors, layout.chapters, strict=True):
            chapter = first or chapter
            ids = "".join(f'<span id="{htmlmod.escape(a)}"></span>' for a in anchors if a in wanted)
            pages.append(
                f'<div class="srm-frame" data-chapter="{htmlmod.escape(chapter)}">{ids}</div>'
            )
    return parts.front + "\n".join(pages)


def cores() -> int:
    """The cores a forked child could use; 1 where it is not forked: off Linux
    (Windows cannot fork; macOS's system libraries are not safe in a forked child) and
    while other threads run (the child would hold only this one, and a lock another
    thread held at the fork would stay locked there)."""
    if not hasattr(os, "sched_getaffinity") or threading.active_count() > 1:
        return 1
    return len(os.sched_getaffinity(0))


def render_parallel(parts: Parts, render: Callable, progress: Callable) -> bytes | None:
    """The joined PDF, or None if the child failed (the caller renders in one process).

    ``render(html, frame)`` lays out one document and returns the WeasyPrint document
    and a function writing its PDF; ``frame`` says whether it carries the attachments.
    ``progress(step, pages)`` hears the pages laid out so far, then the writing.
    """
    from srm_tui.report.pdf import LAYING_OUT, WRITING, pages_reported
    from srm_tui.report.pdf_join import JoinError, join

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(parts, render, receive, send), daemon=True)
    child.start()
    send.close()
    try:
        done, mine = 0, []  # the parts before and after the checklist, laid out meanwhile
        for body in (parts.middle, parts.back):
            text, missing = parts.bare(body)
            with pages_reported(lambda step, pages, start=done: progress(step, start + pages)):
                document, write = render(text, False)
            done += len(document.pages)
            mine.append((layout_of(document, missing), write(), missing))
        (before, before_pdf, before_ids), (after, after_pdf, after_ids) = mine
        message = receive.recv()
        if message[0] != "layout":
            return None
        _, checklist, borrowed = message
        done += checklist.pages
        progress(LAYING_OUT, done)
        layouts = [before, checklist, after]
        frame, write_frame = render(parts.document(frame_body(parts, layouts), FRAME), True)
        progress(LAYING_OUT, len(frame.pages))
        progress(WRITING, len(frame.pages))
        framed = write_frame()
        message = receive.recv()
        if message[0] != "pdf":
            return None
        pieces = [(before_pdf, before_ids), (message[1], borrowed), (after_pdf, after_ids)]
        return join(framed, pieces, len(frame.pages) - done)
    except (EOFError, JoinError):  # the child died, or the parts do not fit the frame
        return None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()


def _child(parts: Parts, render: Callable, receive, send) -> None:
    """Lay out and write the checklist, telling the parent the layout first.

    The parent's end of the pipe is closed here, so a parent that dies leaves the
    pipe without a reader and the child's next send ends it. It leaves with
    ``os._exit``: a normal exit would flush output buffers copied from the parent.
    """
    receive.close()
    try:
        text, missing = parts.bare(parts.checklist)
        document, write = render(text, False)
        send.send(("layout", layout_of(document, missing), missing))
        send.send(("pdf", write()))
    except BaseException as exc:  # told to the parent, which renders in one process
        with contextlib.suppress(OSError):
            send.send(("failed", repr(exc)))
    finally:
        os._exit(0)
