"""Printed lines fitted to the terminal: prompts, answers and help wrap between words.

questionary hands its message to prompt_toolkit, which breaks lines at the last column
whatever the word; so every message is wrapped here first, to the width the terminal
has now. Help texts are Markdown in the pack and are printed as plain text (rich, which
comes with Textual, renders them without colour).
"""

from __future__ import annotations

import io
import shutil
import textwrap
from typing import TypedDict

import click

from srm_tui.engine.text import without_control

PROSE_WIDTH = 100  # longer lines of prose are hard to read, even on a wide terminal


class _Whole(TypedDict):
    break_on_hyphens: bool
    break_long_words: bool


WHOLE: _Whole = {"break_on_hyphens": False, "break_long_words": False}  # paths stay copyable


def width() -> int:
    """Columns to fill: one less than the terminal has, so no line touches the edge."""
    return max(shutil.get_terminal_size().columns - 1, 20)


class _Printed:
    """Rows printed since the last prompt began, so the next list leaves them in view."""

    rows = 0


def say(text: str = "") -> None:
    """Print a line; terminal control characters from packs or answers are dropped."""
    click.echo(without_control(text))
    _Printed.rows += text.count("\n") + 1


def rows_printed() -> int:
    """Rows printed since the last call; each prompt calls this as it begins."""
    rows, _Printed.rows = _Printed.rows, 0
    return rows


def fit(text: str) -> str:
    """A prompt message that, after questionary's "? ", wraps between words."""
    lines = textwrap.wrap(" ".join(text.split()), width(), initial_indent="? ", **WHOLE)
    return "\n".join(lines or ["? "])[2:]


def wrap_entry(text: str, indent: int) -> str:
    """A list entry that wraps between words, its next lines under its first."""
    lines = textwrap.wrap(text, width() - indent, **WHOLE) or [""]
    return ("\n" + " " * indent).join(lines)


def say_answer(message: str, answer: str) -> None:
    """The line left on screen after a prompt: the question and what was given."""
    flat = " / ".join(line.strip() for line in answer.splitlines() if line.strip())
    text = f"? {' '.join(message.split())} {flat}"
    say(textwrap.fill(text, width(), subsequent_indent="  ", **WHOLE))


def say_wrapped(text: str) -> None:
    """Plain prose, each paragraph wrapped to the terminal."""
    for paragraph in text.splitlines() or [""]:
        line = paragraph.strip() and textwrap.fill(paragraph, min(width(), PROSE_WIDTH), **WHOLE)
        say(line or "")


def say_markdown(text: str) -> None:
    """A help text written in Markdown, printed as plain wrapped text (lists as bullets)."""
    from rich.console import Console
    from rich.markdown import Markdown

    out = io.StringIO()
    console = Console(
        file=out,
        width=min(width(), PROSE_WIDTH),
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
    )
    console.print(Markdown(text, hyperlinks=False))
    say("\n".join(line.rstrip() for line in out.getvalue().rstrip().splitlines()))
