"""One questionary prompt per question type, with the interview's commands built in.

questionary has no back key, so every prompt also offers going back, help, a note and
(in lists) skipping: as extra entries at the end of a list, or as typed commands in a
text prompt. Each prompt returns either the raw answer or a :class:`Command`; checking
and storing the answer is the engine's job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import questionary
from questionary import Choice, Separator

from srm_tui.engine.pack import CompiledQuestion, Pack


class Command(Enum):
    BACK = "Back to the previous question"
    HELP = "Show help for this question"
    NOTE = "Add or change a note"
    SKIP = "Skip for now"


TEXT_COMMANDS = {":back": Command.BACK, "?": Command.HELP, ":help": Command.HELP}
TEXT_COMMANDS[":note"] = Command.NOTE
TEXT_HINT = "(:back, ?, :note)"
MULTILINE_HINT = "(Esc then Enter to finish; :back, ?, :note)"
LIST_HINT = "(arrow keys, Enter)"
CHECKBOX_HINT = "(Space ticks, Enter ends, type to filter)"


@dataclass
class Reply:
    """What one prompt gave: a command, or a value (with ticks kept when a command came)."""

    command: Command | None = None
    value: Any = None


def ask(
    pack: Pack,
    cq: CompiledQuestion,
    message: str,
    current: Any,
    check: Callable[[Any], str | None],
) -> Reply:
    """Prompt for ``cq``; ``current`` is pre-selected, ``check`` returns a message or None."""
    kind = cq.q.type
    if kind in ("single", "yesno"):
        return _select(pack, cq, message, current)
    if kind == "multi":
        return _checkbox(pack, cq, message, current, check)
    return _text(cq, message, current, check)


def _command_choices(cq: CompiledQuestion, with_skip: bool) -> list[Any]:
    """The commands end the list, Back last: one Up from the first entry reaches it."""
    commands = [Command.SKIP] if with_skip else []
    commands += [Command.NOTE, Command.HELP] if cq.q.help else [Command.NOTE]
    commands.append(Command.BACK)
    return [Separator(), *(Choice(title=c.value, value=c) for c in commands)]


def _label(choice: Any) -> str:
    return f"{choice.label} ({choice.help})" if choice.help else choice.label


def _select(pack: Pack, cq: CompiledQuestion, message: str, current: Any) -> Reply:
    options = pack.choices(cq.q)
    values = [c.value for c in options]
    default = current if current in values else None
    choices = [Choice(title=_label(c), value=c.value) for c in options]
    picked = questionary.select(
        message,
        choices=[*choices, *_command_choices(cq, with_skip=True)],
        default=default,
        instruction=LIST_HINT,
    ).unsafe_ask()
    if isinstance(picked, Command):
        return Reply(command=picked)
    return Reply(value=picked)


def _checkbox(
    pack: Pack,
    cq: CompiledQuestion,
    message: str,
    current: Any,
    check: Callable[[Any], str | None],
) -> Reply:
    ticked = set(current or [])
    choices = [
        Choice(title=_label(c), value=c.value, checked=c.value in ticked)
        for c in pack.choices(cq.q)
    ]

    def validate(picked: list[Any]) -> bool | str:
        if any(isinstance(v, Command) for v in picked):
            return True
        return check(picked) or True

    picked = questionary.checkbox(
        message,
        choices=[*choices, *_command_choices(cq, with_skip=False)],
        validate=validate,
        use_search_filter=True,
        use_jk_keys=False,
        instruction=CHECKBOX_HINT,
    ).unsafe_ask()
    values = [v for v in picked if not isinstance(v, Command)]
    commands = [v for v in picked if isinstance(v, Command)]
    if commands:
        return Reply(command=commands[0], value=values)
    return Reply(value=values)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _text(
    cq: CompiledQuestion, message: str, current: Any, check: Callable[[Any], str | None]
) -> Reply:
    multiline = cq.q.type == "multiline"

    def validate(text: str) -> bool | str:
        if text.strip() in TEXT_COMMANDS or (not text.strip() and not cq.q.required):
            return True
        return check(text) or True

    extra = {"placeholder": cq.q.placeholder} if cq.q.placeholder else {}
    text = questionary.text(
        message,
        default=_as_text(current),
        validate=validate,
        multiline=multiline,
        instruction=MULTILINE_HINT if multiline else TEXT_HINT,
        **extra,
    ).unsafe_ask()
    command = TEXT_COMMANDS.get(text.strip())
    return Reply(command=command) if command else Reply(value=text)


def note(existing: str) -> str:
    """Ask for the note on the current answer; empty removes it."""
    return questionary.text(
        "Note on this answer (empty removes it):", default=existing
    ).unsafe_ask()
