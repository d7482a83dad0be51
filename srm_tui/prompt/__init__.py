"""``srm ask``: the interview as line-by-line questionary prompts.

For terminals where a full-screen app is unwelcome (plain SSH, screen readers): one
question per prompt, plain printed lines, the same engine state as the Textual app.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
import questionary

from srm_tui.engine import reassess
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.errors import InputError
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack import Pack
from srm_tui.plain_text import belief_line, counted_line, shares_table
from srm_tui.prompt.flow import START_HINT, resume_command, say_with_command, walk
from srm_tui.prompt.lines import say, say_answer, say_wrapped
from srm_tui.prompt.questions import line, with_default

NO_TERMINAL = """\
srm ask needs a terminal to ask its questions.
To run without one, write an answers file and render it:
  srm report ANSWERS -o report.pdf
(the service ids an answers file takes: srm catalog services --json)"""


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def run_ask(
    pack: Pack,
    path: Path | None,
    ask_all: bool = False,
    track: bool = False,
    previous: Path | None = None,
) -> Path:
    """Run the interview on ``path`` (created if missing); returns the answers file.

    With ``previous``, ``path`` is a new re-assessment of that earlier file; with
    ``track``, a pass over the open duties follows the questions."""
    if path is not None and not path.parent.is_dir():
        raise InputError(path, None, "the folder for the answers file does not exist")
    try:
        return _run(pack, path, ask_all, track, previous)
    except OSError as exc:  # the disk refused a save: what was saved before stays
        raise InputError(
            exc.filename or path or "answers file", None, exc.strerror or str(exc)
        ) from None


def _run(pack: Pack, path: Path | None, ask_all: bool, track: bool, previous: Path | None) -> Path:
    if previous is not None:
        from srm_tui.engagements import start_from

        file = start_from(pack, previous, path)
        say_wrapped(
            f"A re-assessment of {file.meta.get('client') or previous.name}: last time's "
            "answers are carried over. Enter keeps an answer (confirmed); change it if it "
            "no longer holds."
        )
    elif path is not None and path.exists():
        file = load_answers(path, pack)
        say(f"Resuming {file.meta.get('client') or path.name}.")
    else:
        file = start_file(pack, path)
    saved = file.path
    assert saved is not None  # each way of getting the file above leaves it on disk
    interview = Interview(pack, file)
    done, total = interview.progress().answered, interview.progress().total
    say(f"Answers are saved to {file.path} after every answer ({done} of {total} answered).")
    if reassess.is_reassessment(file) and not ask_all:
        say("Answers confirmed or changed are skipped; carried-over ones are asked again.")
    elif done and not ask_all:
        say("Questions already answered are skipped; --all asks them again.")
    say_with_command(START_HINT, interview)
    try:
        walk(interview, ask_all=ask_all)
        if track:
            from srm_tui.prompt.tracking import track_duties

            track_duties(interview)
        finish(interview)
    except (KeyboardInterrupt, EOFError):
        interview.save()
        click.echo(f"\nsrm: answers saved to {file.path}", err=True)
        click.echo(f"srm: to carry on later: {resume_command(interview)}", err=True)
        raise KeyboardInterrupt from None
    return saved


def start_file(pack: Pack, path: Path | None) -> AnswersFile:
    """Ask for the engagement details, then write the new answers file.

    Without a path, a client who already has an engagement in the data folder is
    offered that one to carry on with, rather than a second file beside it.
    """
    say("A new engagement. First, a few details for the report cover.")
    today = dt.date.today().isoformat()
    try:
        client = ask_meta("Client")
        earlier = None if path is not None else _earlier(pack, client)
        if earlier is not None:
            return load_answers(earlier, pack)
        meta = {
            "client": client,
            "assessor": ask_meta("Assessor"),
            "date": dt.date.fromisoformat(ask_meta("Date (YYYY-MM-DD)", today, _is_date)),
            "scope": ask_meta("Scope"),
            "classification": ask_meta("Classification", "Confidential"),
        }
    except (KeyboardInterrupt, EOFError):
        click.echo("\nsrm: nothing saved yet", err=True)
        raise KeyboardInterrupt from None
    if path is None:
        from srm_tui import engagements

        return engagements.create(pack, **meta)
    file = AnswersFile.new(pack, path, **meta)
    file.save(pack)
    return file


def _earlier(pack: Pack, client: str) -> Path | None:
    """The latest engagement for ``client`` in the data folder, if the user takes it."""
    from srm_tui import engagements

    same = engagements.with_client(pack, client) if client.strip() else []
    if not same:
        return None
    found = same[0]
    say_wrapped(
        f"{client} already has an engagement: {found.path.name} ({found.date}, "
        f"{found.answered} of {found.total} answered)."
    )
    message = "Carry on with it? (No starts a new one)"
    carry_on = questionary.confirm(message, default=True, erase_when_done=True).unsafe_ask()
    say_answer(message, "Yes" if carry_on else "No")
    return found.path if carry_on else None


def ask_meta(label: str, default: str = "", validate=None) -> str:
    """One cover-page detail; Enter on an empty input takes the default shown."""
    message = with_default(label, default)
    value = line(message, default, validate).strip()
    say_answer(message, value)
    return value


def _is_date(text: str) -> bool | str:
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return "use YYYY-MM-DD"
    return True


def finish(interview: Interview) -> None:
    """The shares summary, then an offer to write the PDF."""
    path = interview.file.path
    assert path is not None  # the interview saved every answer there
    result = interview.assessment()
    say("\nWho holds the duties")
    say(shares_table(result))
    say(counted_line(result))
    belief = belief_line(result)
    if belief:
        say(belief)
    say(f"\nAnswers saved to {path}")
    progress = interview.progress()
    if progress.answered < progress.total:
        open_ = f"{progress.total - progress.answered} of {progress.total} questions are open"
        say_with_command(f"{open_}. To answer them:", interview)
    if reassess.is_reassessment(interview.file):
        left = reassess.to_confirm(interview.file, [q.id for q in interview.visible])
        if left:
            say_with_command(
                f"{left} carried-over answers are still to confirm. To go on:", interview
            )
    message = "Write the PDF report now?"
    write = questionary.confirm(message, default=True, erase_when_done=True).unsafe_ask()
    say_answer(message, "Yes" if write else "No")
    if not write:
        say(f"Later: srm report {path} -o report.pdf")
        return
    out = Path(ask_meta("PDF file", str(path.with_suffix(".pdf"))))
    try:
        from srm_tui.report import write_report
    except ImportError:
        say(f"The PDF cannot be made from here; run: srm report {path} -o {out}")
        return
    say(f"Writing {out} ...")
    try:
        written = write_report(result, out, "pdf")
    except (InputError, OSError) as exc:
        message = exc.message if isinstance(exc, InputError) else str(exc)
        say(f"The PDF was not written: {message}\nYour answers are safe in {path}.")
        return
    say(f"Wrote {written}")
