"""Writing reports in a child process, so the app answers keys while WeasyPrint lays
out pages, and quitting can stop a render half-way (each file is written atomically,
so a stopped render leaves nothing behind).

The child (``python -m srm_tui.tui.export_job``) reads the answers as they are in the
app (already saved), the pack's folder and the request from its standard input,
assesses again, and prints one JSON line per event: ``[kind, format, text, number]``
with kind ``step``, ``written`` or ``failed``. A plain subprocess rather than
``multiprocessing``: Textual replaces ``sys.stderr`` while it runs, which
``multiprocessing``'s start-up cannot cope with.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import queue as queues
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srm_tui.report.config import Branding

POLL = 0.1  # seconds between looks at the child's output and at the cancel flag
Event = tuple[str, str, str, "int | None"]
Say = Callable[[str, str, str, "int | None"], None]  # hears one event


@dataclass(frozen=True)
class ExportRequest:
    """What the export dialog asked for."""

    folder: Path
    formats: tuple[str, ...]
    branding: Branding  # srm_tui.report is imported only when exporting


def report_name(answers_path: Path | None, fmt: str) -> str:
    from srm_tui.report import suffix

    stem = answers_path.stem if answers_path is not None else "srm"
    return f"{stem}-report{suffix(fmt)}"


# What the child reads: the pack's folder, the answers, their file and the request.
Job = tuple[str, dict[str, Any], "str | None", ExportRequest]


def render_all(
    pack_path: str, raw: dict[str, Any], answers_path: str | None, request: ExportRequest, say: Say
) -> None:
    """Every format in turn; a failed one does not stop the others."""
    from srm_tui.engine.answers import AnswersFile
    from srm_tui.engine.assessment import assess
    from srm_tui.engine.errors import InputError
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.report import write_report

    try:
        pack = load_pack(pack_path)
        path = Path(answers_path) if answers_path else None
        assessment = assess(pack, AnswersFile(raw, path))
    except InputError as exc:
        say("failed", "", exc.message, None)
        return
    for fmt in request.formats:
        target = request.folder / report_name(path, fmt)

        def progress(step: str, pages: int | None, fmt: str = fmt) -> None:
            say("step", fmt, step, pages)

        try:
            write_report(assessment, target, fmt, branding=request.branding, progress=progress)
        except InputError as exc:
            say("failed", fmt, exc.message, None)
        except Exception as exc:  # shown to the person; the answers are not touched
            say("failed", fmt, f"{target}: export failed: {exc}", None)
        else:
            say("written", fmt, str(target), None)


def child_main() -> None:
    # Stopped from the app: unwind, so a file being written removes its temp file.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    job: Job = pickle.load(sys.stdin.buffer)
    out = sys.stdout

    def say(kind: str, fmt: str, text: str, number: int | None) -> None:
        out.write(json.dumps([kind, fmt, text, number]) + "\n")
        out.flush()

    render_all(*job, say)


def run(
    pack_path: Path,
    raw: dict[str, Any],
    answers_path: Path | None,
    request: ExportRequest,
    cancelled: Callable[[], bool],
) -> Iterator[Event]:
    """Start the child and yield what it reports until it ends (or is cancelled)."""
    job: Job = (str(pack_path), raw, str(answers_path) if answers_path else None, request)
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: WeasyPrint may warn a lot
        yield from _watch(job, errors, cancelled)


def _watch(job: Job, errors: IO[bytes], cancelled: Callable[[], bool]) -> Iterator[Event]:
    child = subprocess.Popen(
        [sys.executable, "-m", "srm_tui.tui.export_job"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
    )
    stdin, stdout = child.stdin, child.stdout
    assert stdin is not None and stdout is not None  # both are pipes
    lines: queues.Queue[bytes] = queues.Queue()

    def read() -> None:
        for line in stdout:
            lines.put(line)
        lines.put(b"")  # end of output

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        with contextlib.suppress(BrokenPipeError):  # a child that died says so below
            stdin.write(pickle.dumps(job))
            stdin.close()
        while not cancelled():
            try:
                line = lines.get(timeout=POLL)
            except queues.Empty:
                continue
            if not line:
                if child.wait() != 0:
                    yield ("failed", "", f"the report process stopped: {last_line(errors)}", None)
                return
            kind, fmt, text, number = json.loads(line)
            yield (kind, fmt, text, number)
    finally:
        if child.poll() is None:
            child.terminate()
        try:  # a second for the child to remove a temp file, then no more waiting
            child.wait(timeout=1)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def last_line(errors: IO[bytes]) -> str:
    errors.seek(0)
    text = errors.read().decode("utf-8", "replace").strip()
    return text.splitlines()[-1] if text else "no message"


if __name__ == "__main__":
    child_main()
