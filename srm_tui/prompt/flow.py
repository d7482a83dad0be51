"""The walk through the visible questions, one prompt at a time.

Everything that decides (visibility, validation, effects, saving) is the engine's
:class:`Interview`; this loop only moves through it and prints plain lines.
"""

from __future__ import annotations

import shutil
import textwrap
from typing import Any

import click

from srm_tui.engine.interview import Interview
from srm_tui.engine.values import AnswerError, display
from srm_tui.prompt import questions
from srm_tui.prompt.questions import Command

START_HINT = """\
Lists end with Note, Help and Back: press Up at the top of a list to reach Back.
In a list of tick boxes, tick one of them with Space and press Enter.
In a text answer, type :back to go back, ? for help, :note to add a note;
leave it empty to skip. Ctrl-C saves and stops."""


def say(text: str = "") -> None:
    click.echo(text)


def say_wrapped(text: str) -> None:
    """Longer prose (help texts), wrapped at word boundaries to fit the terminal."""
    width = min(shutil.get_terminal_size().columns, 100) - 1
    for paragraph in text.splitlines() or [""]:
        say(textwrap.fill(paragraph, width) if paragraph.strip() else "")


def checker(interview: Interview, qid: str):
    """A function giving the engine's message for a bad value, or None."""

    def check(value: Any) -> str | None:
        try:
            interview.check(qid, value)
        except AnswerError as exc:
            return str(exc)
        return None

    return check


def walk(interview: Interview, ask_all: bool = False) -> None:
    """Ask the visible questions in order until the last one is done.

    Unless ``ask_all``, questions answered before this run are passed over on the way
    forward; a question reached by going back is always asked.
    """
    start = interview.visible[0] if ask_all else interview.first_unanswered()
    if start is None:
        say("Every question is answered (use --all to go through them again).")
        return
    interview.goto(start.id)
    shown: set[str] = set()
    forced = False
    section = None
    while True:
        cq = interview.current
        passed_over = not ask_all and not forced and cq.id not in shown
        if passed_over and interview.is_answered(cq.id):
            if not interview.next():
                return
            continue
        forced = False
        shown.add(cq.id)
        if cq.section is not section:
            section = cq.section
            say(f"\n{section.title}")
        if ask_one(interview) is Command.BACK:
            if not interview.previous():
                say("This is the first question.")
            forced = True
            continue
        if not interview.next():
            return


def ask_one(interview: Interview) -> Command | None:
    """Ask the current question until it is answered, skipped, or left by going back."""
    cq = interview.current
    pack = interview.pack
    draft = interview.value(cq.id)
    if draft is None:
        draft = cq.q.default
    while True:
        message = f"({interview.position + 1}/{len(interview.visible)}) {cq.q.title}"
        note = interview.file.notes.get(cq.id)
        if note:
            say_wrapped(f"Note: {note}")
        reply = questions.ask(pack, cq, message, draft, checker(interview, cq.id))
        if reply.command is Command.BACK:
            return Command.BACK
        if reply.command is Command.SKIP:
            return None
        if reply.command is Command.HELP:
            say_wrapped(cq.q.help or "There is no help text for this question.")
            draft = reply.value if reply.value is not None else draft
            continue
        if reply.command is Command.NOTE:
            interview.set_note(cq.id, questions.note(note or ""))
            say("Note saved." if interview.file.notes.get(cq.id) else "No note.")
            draft = reply.value if reply.value is not None else draft
            continue
        if store(interview, cq.id, reply.value):
            if cq.q.type == "multi":  # the prompt itself only says how many
                say(f"Chosen: {display(pack, cq, interview.value(cq.id)) or 'none'}")
            return None
        draft = reply.value


def store(interview: Interview, qid: str, value: Any) -> bool:
    """Hand the answer to the engine; an empty text answer leaves the question open."""
    if isinstance(value, str) and not value.strip():
        if interview.is_answered(qid):
            interview.clear(qid)
        return True
    try:
        interview.answer(qid, value)
    except AnswerError as exc:
        say(f"Not saved: {exc}")
        return False
    return True
