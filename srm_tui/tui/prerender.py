"""The default PDF made in the background while the results are read, so that Export
can write it at once: WeasyPrint takes about 15 seconds over the default report.

A render is keyed on a hash of what goes into it: the answers file as saved, the
branding, the pack and the date. Export uses it only when the dialog's choices give
the same key (an unfinished render is waited for, with its progress shown); other
branding, or a change since, renders as before. One render runs at a time, in the
export job's child process; a newer one stops an older one, unless an export is
waiting for that. Renders live in a private temporary folder (``mkdtemp``: 0700),
removed when the app ends.

Not in the browser (``srm serve``): one server runs every participant's app there,
and a render for each results page would crowd it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from srm_tui.engine import yamlio
from srm_tui.engine.errors import InputError
from srm_tui.engine.interview import Interview
from srm_tui.tui import export_job
from srm_tui.tui.export_job import Event, ExportRequest

if TYPE_CHECKING:
    from textual.timer import Timer

    from srm_tui.report.config import Branding
    from srm_tui.tui.app import SrmApp

SHOWN = 0.5  # seconds after the results appear (passing through them starts nothing)
CHANGED = 2.0  # seconds after the last change, so a run of edits renders once


def saved_answers(interview: Interview) -> bytes:
    """The answers file as the PDF will carry it: saved first, then read back."""
    interview.save()
    path = interview.file.path
    if path is not None and Path(path).is_file():
        return Path(path).read_bytes()
    return yamlio.dump(interview.file.raw).encode("utf-8")


def render_key(pack_path: Path, answers: bytes, branding: Branding) -> str:
    """A hash of everything the default PDF is made from."""
    digest = hashlib.sha256()
    for part in (str(pack_path), dt.date.today().isoformat(), repr(branding)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(answers)
    logo = Path(branding.logo) if branding.logo else None
    if logo is not None and logo.is_file():
        digest.update(logo.read_bytes())
    return digest.hexdigest()


@dataclass
class Render:
    """One background render: what the child has said so far, and how it ended."""

    key: str
    folder: Path
    branding: Branding
    steps: list[tuple[str, int | None]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    pdf: Path | None = None
    problem: str | None = None
    followed: bool = False  # an export waits for it: not to be stopped by a newer one


class Prerender:
    """The app's background renders (``app.prerender``)."""

    enabled = True

    def __init__(self, app: SrmApp) -> None:
        self.app = app
        self.folder: Path | None = None  # made with the first render
        self.current: Render | None = None
        self.closed = False
        self._remove: weakref.finalize | None = None
        self._timer: Timer | None = None
        self._made = 0

    def soon(self, interview: Interview, delay: float) -> None:
        """Render ``delay`` seconds from now, unless asked again before then."""
        if self.closed or not self.enabled or self.app.is_web:
            return
        self.hold()
        self._timer = self.app.set_timer(delay, partial(self.start, interview))

    def hold(self) -> None:
        """Drop a render asked for but not started (an export is making its own)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def key_for(self, interview: Interview, branding: Branding) -> str:
        return render_key(self.app.pack.path, saved_answers(interview), branding)

    def start(self, interview: Interview) -> None:
        from srm_tui.report.config import load_branding

        self._timer = None
        if self.closed:
            return
        try:
            branding = load_branding()
        except InputError:
            return  # the export dialog says what is wrong with the config file
        key = self.key_for(interview, branding)
        current = self.current
        if current is not None and current.key == key:
            return
        if current is not None and current.followed and not current.done.is_set():
            self.soon(interview, CHANGED)  # after the export that waits for it
            return
        if current is not None and current.done.is_set():
            shutil.rmtree(current.folder, ignore_errors=True)
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="srm-pdf-"))
            self._remove = weakref.finalize(self, shutil.rmtree, self.folder, True)
        self._made += 1
        folder = self.folder / str(self._made)
        folder.mkdir()
        render = self.current = Render(key, folder, branding)
        job = partial(self._run, render, copy.deepcopy(interview.file.raw), interview.file.path)
        self.app.run_worker(job, thread=True, exclusive=True, group="prerender")

    def _run(self, render: Render, raw: dict[str, Any], answers_path: Path | None) -> None:
        """In a worker thread: the child renders into the render's own folder."""
        worker = get_current_worker()
        finished = threading.Event()
        self.app.export_jobs.append(finished)  # quitting waits for the child to be stopped
        request = ExportRequest(render.folder, ("pdf",), render.branding)
        try:
            for kind, _, text, number in export_job.run(
                self.app.pack.path, raw, answers_path, request, lambda: worker.is_cancelled
            ):
                if kind == "step":
                    render.steps.append((text, number))
                elif kind == "written":
                    render.pdf = Path(text)
                else:
                    render.problem = text
        finally:
            render.done.set()
            if self.current is not render:
                shutil.rmtree(render.folder, ignore_errors=True)
            if self.closed and self._remove is not None:
                self._remove()
            finished.set()

    def matching(self, key: str) -> Render | None:
        """The render made (or being made) from ``key``, now claimed by an export."""
        render = self.current
        if render is None or render.key != key or render.problem is not None:
            return None
        if render.done.is_set() and render.pdf is None:
            return None  # stopped
        render.followed = True
        return render

    def close(self) -> None:
        """The app ends: no more renders; the folder goes once the child has stopped."""
        self.closed = True
        self.hold()
        running = self.current is not None and not self.current.done.is_set()
        if self._remove is not None and not running:
            self._remove()


def follow(render: Render, target: Path, cancelled: Callable[[], bool]) -> Iterator[Event]:
    """Export events for ``render``: its steps while it runs, then the copy to ``target``
    (written atomically, so a stopped export leaves nothing half-written)."""
    from srm_tui.report import REPORT_MODE

    seen = len(render.steps) if render.done.is_set() else 0  # a finished one: no replay
    while True:
        if cancelled():
            return
        finished = render.done.wait(export_job.POLL)
        new = render.steps[seen:]
        seen += len(new)
        for text, number in new:
            yield ("step", "pdf", text, number)
        if finished and seen == len(render.steps):
            break
    render.followed = False
    if render.pdf is None:
        yield ("failed", "pdf", render.problem or f"{target}: the render was stopped", None)
        return
    try:
        yamlio.write_atomic(target, render.pdf.read_bytes(), mode=REPORT_MODE)
    except OSError as exc:
        yield ("failed", "pdf", f"{target}: cannot write: {exc.strerror or exc}", None)
    else:
        yield ("written", "pdf", str(target), None)
