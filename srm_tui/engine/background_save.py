"""Writing answers files on a worker thread, for a screen that must not wait for the disk.

The caller makes the YAML text, so each write holds the answers as they stood when it
was asked for. One worker writes them in the order asked, each atomically (temp file,
fsync, rename): a process killed at any moment leaves the previous version or the new
one, never a mix. The fsync, the slow part, no longer holds up the next question.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from srm_tui.engine import yamlio


class BackgroundWriter:
    """Writes in order on one thread; ``wait`` returns once all asked for is on disk.

    A write the disk refuses goes to ``on_error`` (called on the worker thread), or,
    without one, is raised again by the next ``wait``.
    """

    def __init__(self, on_error: Callable[[Path, OSError], None] | None = None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="srm-save")
        self._last: Future[None] | None = None
        self.on_error = on_error

    def write(self, path: Path, text: str, mode: int = 0o600) -> None:
        try:
            self._last = self._pool.submit(self._write, path, text, mode)
        except RuntimeError:  # closed: a save asked for while the app ends is done here
            self._write(path, text, mode)

    def _write(self, path: Path, text: str, mode: int) -> None:
        try:
            yamlio.write_atomic(path, text, mode=mode)
        except OSError as exc:
            if self.on_error is None:
                raise
            self.on_error(path, exc)

    def wait(self) -> None:
        """Block until every write asked for so far is done (one worker: in order)."""
        if self._last is not None:
            self._last.result()

    def close(self) -> None:
        """Finish the writes asked for, then stop the worker."""
        self._pool.shutdown(wait=True)
