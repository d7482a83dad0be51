"""One questionary prompt per question type, with the interview's commands built in.

questionary has no back key, so every prompt also offers going back, help, a note and
skipping: as extra entries at the end of a list, or as typed commands in a text prompt.
Each prompt returns either the raw answer or a :class:`Command`; checking and storing
the answer is the engine's job.

A default (the pack's, or the answer given before) is shown in brackets, not put in the
input as editable text: Enter on an empty input takes it, typing replaces it, and Up
brings it back into the input to edit. Every prompt is erased when done; the caller
prints the answer as one wrapped line instead (see :mod:`srm_tui.prompt.lines`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypedDict

import questionary
from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.keys import Keys
from questionary import Choice, Separator

from srm_tui.engine.pack import CompiledQuestion, Pack
from srm_tui.engine.values import tick
from srm_tui.prompt.lines import fit, rows_printed, wrap_entry
from srm_tui.prompt.lists import SPARE_ROWS, fit_height, improve_checkbox


class Command(Enum):
    BACK = "Back to the previous question"
    HELP = "Show help for this question"
    NOTE = "Add or change a note"
    SKIP = "Skip for now"


CLEAR = ":clear"
TEXT_COMMANDS = {":back": Command.BACK, "?": Command.HELP, ":help": Command.HELP}
TEXT_COMMANDS.update({":note": Command.NOTE, ":skip": Command.SKIP})
TEXT_HINT = "(empty skips; :back, ?, :note)"
DEFAULT_HINT = "(Enter keeps it, Up edits it; :skip, :clear, :back, ?, :note)"
MULTILINE_END = "Esc then Enter ends;"
LIST_HINT = "(arrow keys, Enter)"
CHECKBOX_HINT = "(Space ticks, Enter ends; type to find, then Enter ticks)"
SELECT_INDENT, CHECKBOX_INDENT = 3, 5  # " » " and " » ○ " before each entry
SHOWN_DEFAULT = 40  # characters of a default shown in brackets


class _Done(TypedDict):
    erase_when_done: bool


DONE: _Done = {"erase_when_done": True}  # the caller prints the answer line itself


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


def is_command(value: Any) -> bool:
    return isinstance(value, Command)


def _command_choices(cq: CompiledQuestion) -> list[Any]:
    """The commands end the list, Back last: one Up from the first entry reaches it."""
    commands = [Command.SKIP, Command.NOTE, *([Command.HELP] if cq.q.help else []), Command.BACK]
    return [Separator(), *(Choice(title=c.value, value=c) for c in commands)]


def _label(choice: Any, indent: int) -> str:
    """A choice's title, wrapped between words under the pointer (and tick box)."""
    text = f"{choice.label} ({choice.help})" if choice.help else choice.label
    return wrap_entry(text, indent)


def _select(pack: Pack, cq: CompiledQuestion, message: str, current: Any) -> Reply:
    options = pack.choices(cq.q)
    values = [c.value for c in options]
    default = current if current in values else None
    choices = [Choice(title=_label(c, SELECT_INDENT), value=c.value) for c in options]
    prompt = fit(f"{message} {LIST_HINT}")
    question = questionary.select(
        prompt,
        choices=[*choices, *_command_choices(cq)],
        default=default,
        instruction=" ",
        **DONE,
    )
    fit_height(question, prompt)
    picked = question.unsafe_ask()
    if is_command(picked):
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
        Choice(title=_label(c, CHECKBOX_INDENT), value=c.value, checked=c.value in ticked)
        for c in pack.choices(cq.q)
    ]

    def validate(picked: list[Any]) -> bool | str:
        if any(is_command(v) for v in picked):
            return True
        return check(picked) or True

    prompt = fit(f"{message} {CHECKBOX_HINT}")
    question = questionary.checkbox(
        prompt,
        choices=[*choices, *_command_choices(cq)],
        validate=validate,
        use_search_filter=True,
        use_jk_keys=False,
        instruction="",
        **DONE,
    )
    fit_height(question, prompt, SPARE_ROWS)
    options = pack.choices(cq.q)
    improve_checkbox(question, is_command, lambda before, after: tick(options, before, after))
    picked = question.unsafe_ask()
    values = [v for v in picked if not is_command(v)]
    commands = [v for v in picked if is_command(v)]
    if commands:
        return Reply(command=commands[0], value=values)
    return Reply(value=values)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def shown(default: str) -> str:
    """A default as the prompt shows it: one line, cut short if long."""
    line = " ".join(default.split())
    return line if len(line) <= SHOWN_DEFAULT else line[: SHOWN_DEFAULT - 1] + "…"


def _text(
    cq: CompiledQuestion, message: str, current: Any, check: Callable[[Any], str | None]
) -> Reply:
    multiline = cq.q.type == "multiline"
    default = _as_text(current)

    def validate(text: str) -> bool | str:
        if text.strip() in TEXT_COMMANDS:
            return True
        text = "" if text.strip() == CLEAR else text
        if not text.strip() and not cq.q.required:
            return True
        return check(text) or True

    hint = DEFAULT_HINT if default else TEXT_HINT
    if cq.q.placeholder and not default:  # an example, in words: grey text reads as typed
        hint = f"(for example {cq.q.placeholder}; {hint[1:]}"
    if multiline:
        hint = f"({MULTILINE_END} {hint[1:]}"
    shown_default = f" [{shown(default)}]" if default else ""
    text = line(f"{message}{shown_default} {hint}", default, validate, multiline=multiline)
    command = TEXT_COMMANDS.get(text.strip())
    if command:
        return Reply(command=command)
    return Reply(value="" if text.strip() == CLEAR else text)


def line(
    message: str,
    default: str = "",
    validate: Callable[[str], bool | str] | None = None,
    **options: Any,
) -> str:
    """One text prompt; an empty input gives ``default``, which Up brings back to edit."""

    def check(text: str) -> bool | str:
        return validate(text if text.strip() else default) if validate else True

    rows_printed()
    text = questionary.text(
        fit(message),
        validate=check,
        key_bindings=_text_keys(default, options.get("multiline", False)),
        instruction="",  # the message says how to finish a multi-line answer
        **DONE,
        **options,
    ).unsafe_ask()
    return text if text.strip() else default


def _typed() -> str:
    return get_app().current_buffer.text


def _text_keys(default: str, multiline: bool) -> KeyBindings:
    """Up in an empty input brings the default back into it, to edit.

    In a multi-line answer Enter starts a new line, except on an empty input or a
    command (``?``, ``:back`` ...), which it submits as a one-line answer would.
    """
    bindings = KeyBindings()
    empty = Condition(lambda: not _typed())
    command = Condition(lambda: _typed().strip() in (*TEXT_COMMANDS, CLEAR))

    @bindings.add(Keys.Up, filter=empty & Condition(lambda: bool(default)))
    def _up(event) -> None:
        event.current_buffer.insert_text(default)

    @bindings.add(Keys.Enter, filter=Condition(lambda: multiline) & (empty | command))
    def _enter(event) -> None:
        event.current_buffer.validate_and_handle()

    return bindings


def with_default(label: str, default: str) -> str:
    """A prompt label showing its default, as :func:`line` takes it."""
    return f"{label} [{shown(default)}]:" if default else f"{label}:"


def note(existing: str) -> str:
    """Ask for the note on the current answer; ``:clear`` removes it."""
    if not existing:
        return line("Note on this answer (empty adds none):")
    keys = f"(Enter keeps it, Up edits it, {CLEAR} removes it)"
    text = line(f"Note on this answer [{shown(existing)}] {keys}:", existing)
    return "" if text.strip() == CLEAR else text
