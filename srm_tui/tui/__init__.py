"""The Textual interview: start or resume an engagement, answer, review, export.

Only :func:`run_app` lives here, so importing the package costs nothing until the app
is started; Textual is imported inside it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def run_app(
    pack_name: str | None = None,
    answers_path: str | Path | None = None,
    today: dt.date | None = None,
) -> None:
    """Run the app: the start screen, or straight into the interview on ``answers_path``.

    A missing ``answers_path`` is created (dated today) before the app starts; a file
    that does not load raises :class:`~srm_tui.engine.errors.InputError` here, before
    the terminal is taken over.
    """
    from srm_tui.engine.pack import load_pack

    pack = load_pack(pack_name)
    answers = open_answers(pack, answers_path, today) if answers_path else None

    from srm_tui.tui.app import SrmApp

    SrmApp(pack, answers=answers, today=today).run()


def open_answers(pack, path: str | Path, today: dt.date | None = None):
    """Load an answers file, or create it (owner-only) when it does not exist yet."""
    from srm_tui.engine.answers import AnswersFile, load_answers
    from srm_tui.engine.errors import InputError

    path = Path(path)
    if path.is_dir():
        raise InputError(path, None, "is a folder, not an answers file")
    if path.exists():
        return load_answers(path, pack)
    if not path.parent.is_dir():
        raise InputError(path, None, "the folder does not exist")
    answers = AnswersFile.new(pack, path, date=today or dt.date.today())
    answers.save(pack)
    return answers
