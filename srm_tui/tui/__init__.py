"""The Textual interview: start or resume an engagement, answer, review, export.

Only :func:`run_app` lives here, so importing the package costs nothing until the app
is started; Textual is imported inside it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def run_app(
    pack_name: str | None = None,
    answers_path: str | Path | None = None,
    today: dt.date | None = None,
    previous: str | Path | None = None,
    workshop: str | Path | None = None,
    client: str | None = None,
    participant: str | None = None,
) -> None:
    """Run the app: the start screen, or straight into the interview on ``answers_path``.

    A missing ``answers_path`` is created (dated today) before the app starts; a file
    that does not load raises :class:`~srm_tui.engine.errors.InputError` here, before
    the terminal is taken over. ``previous`` starts a re-assessment from that file;
    ``workshop`` is the folder where each participant's answers are kept (``srm serve``),
    ``client`` the organisation the workshop is about and ``participant`` the browser's
    token: the answers file it started before is opened again.
    """
    from srm_tui.engine.pack_loader import load_pack

    pack = load_pack(pack_name)
    if previous is not None:
        from srm_tui.engagements import start_from

        answers = start_from(pack, previous, answers_path, today)
    elif answers_path:
        answers = open_answers(pack, answers_path, today)
    else:
        answers = None
    room = None
    if workshop is not None:
        from srm_tui import participants
        from srm_tui.engagements import Workshop
        from srm_tui.engine.answers import load_answers

        Path(workshop).mkdir(parents=True, exist_ok=True)
        room = Workshop(Path(workshop), client or "", participant or "")
        resumed = participants.recall(room.folder, participant)
        if answers is None and resumed is not None:
            answers = load_answers(resumed, pack)

    from srm_tui.tui.app import SrmApp

    app = SrmApp(pack, answers=answers, today=today, workshop=room)
    app.run()
    app.settle()
    if room is None:  # in a browser there is no terminal to tell
        print(app.farewell(), file=sys.stderr)


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
