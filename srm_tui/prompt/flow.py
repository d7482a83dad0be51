"""The walk through the visible questions, one prompt at a time.

Everything that decides (visibility, validation, effects, saving) is the engine's
:class:`Interview`; this loop only moves through it and prints plain lines.
"""

from __future__ import annotations

import shlex
from typing import Any

from srm_tui.engine import reassess
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack import CompiledQuestion
from srm_tui.engine.values import AnswerError, display
from srm_tui.prompt import questions
from srm_tui.prompt.lines import say, say_answer, say_markdown, say_wrapped
from srm_tui.prompt.questions import Command
from srm_tui.resources import questionnaires_dir

START_HINT = """\
Lists: arrows and Enter. Tick boxes: Space ticks, Enter ends, typing finds.
Text: a default in [brackets] is kept by Enter and replaced by what you type.
Go back: "Back to the previous question" (Up from the top of a list), or :back.
Skip: "Skip for now" in a list; in text, :skip, or Enter on an empty answer.
Help and notes: the entries at the end of a list, or ? and :note in text.
Stop: Ctrl-C saves every answer given so far. To carry on later:"""

HELP_KEYS = """\
Go back: "Back to the previous question" at the end of a list, or type :back.
Skip: "Skip for now", or :skip in text. Stop: Ctrl-C saves. To carry on later:"""


def say_with_command(text: str, interview: Interview) -> None:
    """``text``, then the command that carries on, on its own line so it copies whole."""
    say_wrapped(text)
    say(f"  {resume_command(interview)}")


def resume_command(interview: Interview) -> str:
    """The command that carries on with this answers file later."""
    command = f"srm ask {shlex.quote(str(interview.file.path))}"
    pack = interview.pack.path
    if pack.resolve().parent != questionnaires_dir().resolve():
        command += f" -q {shlex.quote(str(pack))}"
    return command


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
    start: CompiledQuestion | None
    if ask_all:
        start = interview.visible[0]
    else:
        start = next((q for q in interview.visible if not settled(interview, q.id)), None)
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
        if passed_over and settled(interview, cq.id):
            if not interview.next():
                return
            continue
        forced = False
        shown.add(cq.id)
        if cq.section is not section:
            section = cq.section
            say(f"\n{section.title}")
            if section.intro:
                say_wrapped(section.intro)
        if ask_one(interview) is Command.BACK:
            if not interview.previous():
                say("This is the first question.")
            forced = True
            continue
        if not interview.next():
            return


def settled(interview: Interview, qid: str) -> bool:
    """Answered, and not an answer carried over from last time that waits to be confirmed."""
    carried = reassess.status(interview.file, qid) == reassess.CARRIED
    return interview.is_answered(qid) and not carried


def ask_one(interview: Interview) -> Command | None:
    """Ask the current question until it is answered, skipped, or left by going back."""
    cq = interview.current
    pack = interview.pack
    draft = interview.value(cq.id)
    if draft is None:
        draft = cq.q.default
    before = interview.value(cq.id)
    if reassess.status(interview.file, cq.id) == reassess.CARRIED:
        say_wrapped(f"Carried over from last time: {display(pack, cq, before)} (Enter keeps it).")
    if interview.file.notes.get(cq.id):
        say_wrapped(f"Note: {interview.file.notes[cq.id]}")
    while True:
        message = f"({interview.position + 1}/{len(interview.visible)}) {cq.q.title}"
        note = interview.file.notes.get(cq.id)
        reply = questions.ask(pack, cq, message, draft, checker(interview, cq.id))
        if reply.command is Command.BACK:
            return Command.BACK
        if reply.command is Command.SKIP:
            say_answer(message, "(skipped)")
            return None
        if reply.command is Command.HELP:
            say_markdown(cq.q.help or "There is no help text for this question.")
            say_with_command(HELP_KEYS, interview)
            draft = reply.value if reply.value is not None else draft
            continue
        if reply.command is Command.NOTE:
            interview.set_note(cq.id, questions.note(note or ""))
            saved = interview.file.notes.get(cq.id)
            say_wrapped(f"Note saved: {saved}" if saved else "No note.")
            draft = reply.value if reply.value is not None else draft
            continue
        if store(interview, cq.id, reply.value):
            if reassess.mark(interview.file, cq.id, before, interview.value(cq.id)):
                interview.save()
            answered = interview.is_answered(cq.id)
            shown = display(pack, cq, interview.value(cq.id)) if answered else "(skipped)"
            say_answer(message, shown or "none")
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
