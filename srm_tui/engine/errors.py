"""The one error type front ends turn into a one-line message and exit code 2."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
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


def did_you_mean(word: object, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known id, or nothing if none is close."""
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
