"""The one error type front ends turn into a one-line message and exit code 2."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input: names the file, the place in it, and what is wrong."""

    def __init__(self, path: str | Path | None, place: str | None, problem: str):
        self.path = str(path) if path is not None else None
        self.place = place
        self.problem = problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = [part for part in (self.path, self.place) if part]
        return ": ".join([*where, self.problem])
