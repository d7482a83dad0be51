"""questionary 2.1's list prompts, made to fit the terminal and to take keys as expected.

A list taller than the terminal scrolled the terminal itself, so the question went off
the top and the prompt could not be erased when done: :func:`fit_height` keeps the
list inside the screen, scrolling within it, with a scroll bar showing there is more.

questionary's checkbox ticks with Space even while a filter is being typed (so
"amazon rds" ticks whatever "amazon" found first), inverts every tick on Tab, and on
Enter returns only what is ticked, so a command entry such as "Add or change a note"
needed Space first. The bindings added here come after questionary's and so win:

- Space types a space while a filter is being typed, and ticks otherwise;
- Enter while filtering ticks the entry found and clears the filter; otherwise ends;
- Tab ticks or unticks the entry under the pointer, filter or not;
- Enter, Space or Tab on a command entry runs it at once, keeping the ticks.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any

from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import Dimension, ScrollbarMargin, Window
from questionary import Question
from questionary.prompts.common import InquirerControl

from srm_tui.prompt.lines import rows_printed

SPARE_ROWS = 3  # under a checkbox: the filter line and a blank one, an error line
FEWEST_ROWS = 8  # a long list shows at least this many entries when the screen has room


def _list_window(question: Question) -> tuple[Window, InquirerControl]:
    """The window showing the list, and questionary's control that holds the list."""
    return next(
        (window, window.content)
        for window in question.application.layout.find_all_windows()
        if isinstance(window.content, InquirerControl)
    )


def _rows(title: Any) -> int:
    return title.count("\n") + 1 if isinstance(title, str) else 1


def fit_height(question: Question, message: str, spare: int = 0) -> None:
    """Keep the list of ``question`` (asked with ``message``) inside the terminal.

    A list that fits is shown whole. A longer one scrolls inside the rows left over by
    what was printed just before (a help text, a section's introduction), so that stays
    in view, as long as the list can still show a handful of entries. ``spare`` rows are
    kept free under the list.
    """
    window, control = _list_window(question)
    room = shutil.get_terminal_size().lines - message.count("\n") - 2 - spare
    printed = rows_printed()
    entries = sum(_rows(choice.title) for choice in control.choices)
    rows = entries if entries <= room else max(room - printed, min(room, FEWEST_ROWS), 3)
    window.height = Dimension(max=rows)
    if entries > rows:
        window.right_margins = [ScrollbarMargin(display_arrows=True)]


def improve_checkbox(
    question: Question,
    is_command: Callable[[Any], bool],
    settle: Callable[[list[Any], list[Any]], list[Any]] | None = None,
) -> None:
    """Add the bindings above to a questionary checkbox ``question``.

    ``settle(before, after)`` gives the ticks after each change (exclusive choices).
    """
    _, control = _list_window(question)
    bindings = question.application.key_bindings
    assert isinstance(bindings, KeyBindings)  # questionary's checkbox makes its own

    def settled(handler: Callable[[KeyPressEvent], object]) -> Callable[[KeyPressEvent], None]:
        def run(event: KeyPressEvent) -> None:
            before = list(control.selected_options)
            handler(event)
            if settle is not None:
                control.selected_options[:] = settle(before, list(control.selected_options))

        return run

    questionary_key = {
        key: settled(bindings.get_bindings_for_keys((key,))[-1].handler)
        for key in (" ", Keys.ControlM)
    }

    def filtering() -> bool:
        return bool(control.search_filter)

    def pointed() -> Any:
        return control.get_pointed_at().value

    def run_command(event: KeyPressEvent) -> None:
        ticked = [c.value for c in control.get_selected_values()]
        control.is_answered = True
        event.app.exit(result=[*ticked, pointed()])

    @settled
    def toggle(event: KeyPressEvent) -> None:
        value = pointed()
        if value in control.selected_options:
            control.selected_options.remove(value)
        else:
            control.selected_options.append(value)

    @settled
    def pick_found(event: KeyPressEvent) -> None:
        found = control.get_pointed_at() if control.found_in_search else None
        if found is not None and found.value not in control.selected_options:
            control.selected_options.append(found.value)
        control.search_filter = None
        control.pointed_at = control.choices.index(found) if found is not None else 0

    @bindings.add(" ", eager=True)
    def _space(event: KeyPressEvent) -> None:
        if filtering():
            # questionary types the character as Keys, but takes any str (its own
            # binding passes the typed key); a space has no Keys member.
            control.add_search_character(" ")  # type: ignore[arg-type]
        elif is_command(pointed()):
            run_command(event)
        else:
            questionary_key[" "](event)

    @bindings.add(Keys.ControlM, eager=True)
    def _enter(event: KeyPressEvent) -> None:
        if is_command(pointed()) and (control.found_in_search or not filtering()):
            run_command(event)
        elif filtering():
            pick_found(event)
        else:
            questionary_key[Keys.ControlM](event)

    @bindings.add(Keys.Tab, eager=True)
    def _tab(event: KeyPressEvent) -> None:
        if is_command(pointed()):
            run_command(event)
        else:
            toggle(event)
