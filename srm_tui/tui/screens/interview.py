"""The interview: sections on the left, the current question, its help on the right.

Only the current question's editor is mounted. Moving swaps that one widget and
updates the sidebar counts and the responsibility bar in place, so a step costs the
same in a 500-question pack as in a short one. Typed text is stored after a short
pause or when the person moves on; choices are stored at once.

The screen starts as the header and the question alone (position, title, editor, error
line): shortly after its editor has focus and has been painted, the sidebar, note,
buttons, help pane, bar and footer are mounted in their places (``_furnish``), and
after another paint the help pane's Markdown widget, with markdown-it. Mounting and
styling them first took most of the start-up.

In a re-assessment each question shows whether its answer was carried over from last
time, confirmed (visited and kept) or changed; the header counts those left to confirm.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount, MountError
from textual.widgets import Button, Header, Input, Static

from srm_tui.engine import reassess
from srm_tui.engine.interview import Interview
from srm_tui.engine.values import AnswerError
from srm_tui.tui.app import SrmApp
from srm_tui.tui.commands import JumpProvider
from srm_tui.tui.widgets.questions import Edited, Editor, make_editor
from srm_tui.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from srm_tui.tui.widgets.bar import ResponsibilityBar
    from srm_tui.tui.widgets.sidebar import Sidebar

IDLE_SAVE = 0.6  # seconds of no typing before text is stored
NO_HELP = "_No help for this question._"
STATUS_DELAY = 0.1  # seconds after a question is painted before the counts and bar follow
# Seconds between the first question's first paint and building the rest of the screen:
# the loop is free meanwhile, so a key typed then goes to the question without waiting.
FURNISH_DELAY = 0.02
REVIEW_MARKS = {
    reassess.CARRIED: ("◆ carried over", "bold $text-warning"),
    reassess.CONFIRMED: ("✓ confirmed", "$text-success"),
    reassess.CHANGED: ("✎ changed", "$text-accent"),
}


class InterviewScreen(Screen):
    """Answer the questions of one engagement."""

    app = getters.app(SrmApp)
    AUTO_FOCUS = ""  # the editor takes focus once mounted: nothing is focused before it
    COMMANDS = {JumpProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (60, "-narrow"), (100, "-normal"), (140, "-wide")]
    BINDINGS = [
        Binding("ctrl+n,alt+right", "next", "Next", priority=True),
        Binding("ctrl+b,alt+left", "back", "Back", priority=True),
        Binding("ctrl+r", "review", "Review", priority=True),
        Binding("ctrl+o", "results", "Results", priority=True),
    ]

    def __init__(self, interview: Interview) -> None:
        # Textual adds the breakpoint class on the first resize, once every widget has
        # been styled, and so styles them all again; set now, that resize changes nothing.
        width = self.app.size.width
        fitting = [name for least, name in self.HORIZONTAL_BREAKPOINTS if width >= least]
        super().__init__(classes=fitting[-1])
        self.interview = interview
        self._pending: tuple[str, Any] | None = None
        self._pending_note: tuple[str, str] | None = None
        self._timer: Timer | None = None
        self._position_timer: Timer | None = None
        self._status_timer: Timer | None = None
        self._visit: tuple[str, Any] | None = None  # question on screen, value on arrival
        self._return_to: tuple[str, Callable[[], None]] | None = None  # editing from there
        self._focus_pending = False  # a question swapped in, not yet focused
        self._editor: Editor | None = None  # the current question's, once swapped in
        self._status_stale = False  # an answer changed since the counts and bar were drawn
        self._help = NO_HELP  # the current question's help, shown once the pane is built
        self._help_pane: Markdown | None = None
        self._furnished = False  # _furnish has begun
        # Mounted by _furnish once the first question has focus; None until then.
        self._sidebar: Sidebar | None = None
        self._note: TextInput | None = None
        self._bar: ResponsibilityBar | None = None

    @property
    def _shown_id(self) -> str | None:
        """The question whose editor was swapped in last."""
        return self._editor.cq.id if self._editor is not None else None

    def compose(self) -> ComposeResult:
        yield Header()  # with the question: mounted later, its title watcher could run after a quit
        with Horizontal(id="body"), Horizontal(id="content"), Vertical(id="main"):
            yield Static(id="where")
            yield Static(id="title")
            yield VerticalScroll(id="answer")
            yield Static(id="error")

    async def _furnish(self) -> None:
        """The rest of the screen around the question (see the module's docstring)."""
        if self._furnished:
            return
        self._furnished = True
        from srm_tui.tui.widgets.bar import ResponsibilityBar
        from srm_tui.tui.widgets.footer import KeyFooter
        from srm_tui.tui.widgets.sidebar import Sidebar

        sidebar = Sidebar(id="sidebar")
        note = TextInput(placeholder="Note (optional)", id="note", compact=True)
        bar = ResponsibilityBar("Split", id="bar")
        nav = Horizontal(
            Button("◂ Back", id="back", compact=True),
            Button("Next ▸", id="next", compact=True, variant="primary"),
            id="nav",
        )
        body = self.query_one("#body")
        with self.app.batch_update():
            try:
                mounts = [
                    body.mount(sidebar, before=0),
                    self.query_one("#main").mount(note, nav),
                    self.query_one("#content").mount(VerticalScroll(id="help")),
                    self.mount(bar, KeyFooter()),
                ]
            except MountError:  # quitting at once: the screen is being taken down
                return
            for mounted in mounts:
                await mounted
            self._sidebar, self._note, self._bar = sidebar, note, bar
            self._fit_sidebar(self.size.width)
            self._show_note()
            self.refresh_status()
        self.refresh_bindings()  # the footer shows the keys once told they are there
        self.call_after_refresh(self._build_help)

    def on_resize(self, event) -> None:
        self._fit_sidebar(event.size.width)

    def _fit_sidebar(self, width: int) -> None:
        sidebar = self._sidebar
        if sidebar is None:
            return
        sidebar.compact = width < 100  # as the -narrow class
        if width >= 140:  # -wide: room for the longest section title
            longest = max((len(s.title) for s in self.interview.pack.sections), default=20)
            sidebar.styles.width = min(44, max(26, longest + 8))
        else:
            sidebar.styles.width = None  # the stylesheet's width for the breakpoint

    def on_mount(self) -> None:
        self.title = "srm"
        self.update_sub_title()
        self.show_question()

    # -- showing -----------------------------------------------------------------------
    def show_question(self) -> None:
        """Swap in the current question's editor (the only per-question widget)."""
        iv = self.interview
        cq = iv.current
        self._visit = (cq.id, copy.deepcopy(iv.value(cq.id)))
        holder = self.query_one("#answer", VerticalScroll)
        editor = make_editor(cq, iv.pack.choices(cq.q), iv.value(cq.id))
        self._editor = editor
        with self.app.batch_update():
            # The old editor is hidden, not removed, until the new one has focus: focus
            # then moves once (each move repaints the whole screen) and never to the holder.
            for widget in holder.children:
                widget.display = False
            mounted = holder.mount(editor)
            self.query_one("#title", Static).update(Content(cq.q.title))
            self.query_one("#error", Static).update("")
            self._show_note()
            self._help = cq.q.help or cq.section.intro or NO_HELP
            if self._help_pane is not None:
                self._help_pane.update(self._help)
            self.update_where()
        self._focus_pending = True
        if self._status_timer is not None:  # restarted once this question is painted
            self._status_timer.stop()
        self.call_next(self._shown, editor, mounted)

    def _show_note(self) -> None:
        if self._note is not None:
            with self._note.prevent(Input.Changed):
                self._note.value = self.interview.file.notes.get(self.interview.current_id, "")

    async def _shown(self, editor: Editor, mounted: AwaitMount) -> None:
        await mounted  # its inputs exist now
        if editor is not self._editor:  # a newer question is on its way
            return
        self._focus_pending = False
        editor.focus_first()
        self.app.question_ready()
        for widget in self.query_one("#answer", VerticalScroll).children:
            if widget is not editor:
                widget.remove()
        if not self._furnished:  # once the question has been painted
            self.call_after_refresh(self.set_timer, FURNISH_DELAY, self._furnish)
        if self._status_stale:  # after the question is painted, not before
            self.call_after_refresh(self._status_soon)

    async def _build_help(self) -> None:
        """The help pane's text, once the rest is on screen (see the module's docstring)."""
        if self._help_pane is not None:
            return
        from textual.widgets import Markdown

        pane = Markdown(self._help, id="help-text", open_links=False)
        try:
            await self.query_one("#help", VerticalScroll).mount(pane)
        except MountError:  # quitting at once: the screen is being taken down
            return
        self._help_pane = pane  # updated from now on: an update before its mount was lost
        if pane.source != self._help:
            pane.update(self._help)

    def _status_soon(self) -> None:
        """Counts and bar STATUS_DELAY from now; each move restarts the wait, so a run of
        quick answers redraws them once, never between a key and its question."""
        if self._status_timer is not None:
            self._status_timer.stop()
        self._status_timer = self.set_timer(STATUS_DELAY, self._refresh_if_stale)

    def _refresh_if_stale(self) -> None:
        """The sidebar counts and the bar need an assessment: they wait for the question."""
        if self._status_stale and not self._focus_pending:
            self._status_stale = False
            self.refresh_status()

    def update_where(self) -> None:
        iv = self.interview
        cq = iv.current
        where = Content.assemble(
            (f"{iv.position + 1} of {len(iv.visible)} · ", "$text-muted"),
            Content(cq.section.title).stylize("$text-accent"),
        )
        mark = REVIEW_MARKS.get(reassess.status(iv.file, cq.id) or "")
        if mark:
            where = Content.assemble(where, "  ", mark)
        if self._return_to is not None:
            where = Content.assemble(
                where, (f"  Next ▸ returns to {self._return_to[0]}", "$text-muted")
            )
        self.query_one("#where", Static).update(where)

    def update_sub_title(self) -> None:
        """The client, and in a re-assessment how many carried-over answers are left."""
        iv = self.interview
        meta = iv.file.meta
        text = str(meta.get("client") or meta.get("participant") or iv.file.path or "")
        if reassess.is_reassessment(iv.file):
            left = reassess.to_confirm(iv.file, [q.id for q in iv.visible])
            text += f" · {left} to confirm" if left else " · all confirmed"
        self.sub_title = text

    def refresh_status(self) -> None:
        """Sidebar counts, position line and the bar, after an answer changed."""
        iv = self.interview
        self.update_where()
        self.update_sub_title()
        if self._sidebar is not None and self._bar is not None:
            self._sidebar.show(iv.section_progress(), iv.current.section.id)
            self._bar.shares = iv.assessment().shares["overall"]

    # -- answering ---------------------------------------------------------------------
    @on(Edited)
    def edited(self, message: Edited) -> None:
        message.stop()
        if message.qid != self._shown_id:  # from an editor on its way out
            return
        error = self.query_one("#error", Static)
        if message.value in ("", [], None):
            error.update("")
            taken = self._queue(message.qid, None, message.final)
        else:
            try:
                self.interview.check(message.qid, message.value)
            except AnswerError as exc:
                error.update(Content(str(exc)))
                self._pending = None
                return
            error.update("")
            taken = self._queue(message.qid, message.value, message.final)
        if message.advance and taken:
            self.action_next()
            editor = self._editor
            if editor is not None and editor.cq.id == message.qid:  # it stays: review, results
                editor.show_value(message.value)

    def _queue(self, qid: str, value: Any, final: bool) -> bool:
        """Hold the value to store; a final one is stored now (False if it was refused)."""
        self._pending = (qid, value)
        if final:
            return self.flush()
        self._restart_timer()
        return True

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(IDLE_SAVE, self.flush)

    @on(Input.Changed, "#note")
    def note_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._pending_note = (self.interview.current_id, event.value)
        self._restart_timer()

    @on(Input.Submitted, "#note")
    def note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()

    def flush(self) -> bool:
        """Store what is waiting (typed text, a note); saved by the engine. False when the
        engine refused the answer: its message is shown and the question stays."""
        iv = self.interview
        changed, taken = False, True
        if self._pending is not None:
            qid, value = self._pending
            self._pending = None
            try:
                if value is None:
                    if qid in iv.file.answers:
                        self.mark(qid, None)
                        iv.clear(qid)
                        changed = True
                else:
                    checked = iv.check(qid, value)
                    if checked != iv.value(qid):
                        self.mark(qid, checked)
                        iv.answer(qid, value)
                        changed = True
            except AnswerError as exc:
                self.query_one("#error", Static).update(Content(str(exc)))
                taken = False
        if self._pending_note is not None:
            qid, text = self._pending_note
            self._pending_note = None
            if text.rstrip() != iv.file.notes.get(qid, ""):
                iv.set_note(qid, text)
        if changed:  # counts and bar once the next question is on screen
            self._status_stale = True
            self._status_soon()
        return taken

    def mark(self, qid: str, after: Any) -> None:
        """Re-assessment: a question left or changed is confirmed or changed (saved later)."""
        if self._visit is not None and self._visit[0] == qid:
            reassess.mark(self.interview.file, qid, self._visit[1], after)

    def save_position(self) -> None:
        """Moving alone does not change answers; the position is saved shortly after."""
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(0.5, self.interview.save_soon)

    # -- moving ------------------------------------------------------------------------
    def _moved(self) -> None:
        iv = self.interview
        if self._visit is not None:
            self.mark(self._visit[0], iv.value(self._visit[0]))
        self.show_question()
        if self._sidebar is not None:
            self._sidebar.show(iv.section_progress(), iv.current.section.id)
        self.update_sub_title()
        self.save_position()

    def action_next(self) -> None:
        if not self.flush():
            return
        if self._return_to is not None:  # an answer opened from review or results
            _, back = self._return_to
            self._return_to = None
            back()
        elif self.interview.next():
            self._moved()
        else:
            self.action_review()

    def action_back(self) -> None:
        if not self.flush():
            return
        self._return_to = None
        if self.interview.previous():
            self._moved()

    def jump(self, qid: str) -> None:
        if not self.flush():
            return
        self._return_to = None
        if self.interview.is_visible(qid) and qid != self._shown_id:
            self.interview.goto(qid)
            self._moved()

    def jump_to_section(self, section_id: str) -> None:
        iv = self.interview
        qs = [q for q in iv.visible if q.section.id == section_id]
        if qs:
            target = next((q for q in qs if not iv.is_answered(q.id)), qs[0])
            self.jump(target.id)

    def on_sidebar_jump(self, message: Sidebar.Jump) -> None:
        self.jump_to_section(message.section_id)

    @on(Button.Pressed, "#next")
    def next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def back_pressed(self) -> None:
        self.action_back()

    def action_review(self) -> None:
        from srm_tui.tui.screens.review import ReviewScreen

        self.flush()
        self._return_to = None
        back = partial(self._returned, ("Review", self.action_review))
        self.app.push_screen(ReviewScreen(self.interview), back)

    def action_results(self) -> None:
        from srm_tui.tui.screens.results import ResultsScreen

        self.flush()
        self._return_to = None
        back = partial(self._returned, ("Results", self.action_results))
        self.app.push_screen(ResultsScreen(self.interview), back)

    def _returned(self, came_from: tuple[str, Callable[[], None]], qid: str | None) -> None:
        """Back from review or results: show the question chosen there, if any; once it
        is answered, Enter (or Next) goes back to where it was chosen."""
        from srm_tui.tui.screens.review import RESULTS

        if qid == RESULTS:
            self.action_results()
            return
        if qid and self.interview.is_visible(qid):
            self.interview.goto(qid)
            self._return_to = came_from
        self.refresh_status()
        if self.interview.current_id != self._shown_id:
            self._moved()
        elif self._editor is not None:
            self._editor.focus_first()

    def on_screen_suspend(self) -> None:
        self.flush()

    def on_unmount(self) -> None:
        self.flush()
        self.interview.save()
