"""The interview state every front end drives.

It knows which questions are visible now, which one is current, how far the person
has got, and it re-evaluates conditions after every change. Answers to questions that
become hidden stay in the file but stop counting, in progress and in the assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.background_save import BackgroundWriter
from srm_tui.engine.conditions import ConditionFailed
from srm_tui.engine.pack import CompiledQuestion, Pack
from srm_tui.engine.pack_schema import Section
from srm_tui.engine.values import AnswerError, coerce
from srm_tui.engine.visibility import evaluate, reevaluate

if TYPE_CHECKING:
    from srm_tui.engine.assessment import Assessment
    from srm_tui.engine.tracking import Tracking

_UNSET = object()  # no answer at all, as opposed to an answer of None


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0


class Interview:
    """Answers, visibility, position and autosave for one engagement."""

    def __init__(
        self,
        pack: Pack,
        answers: AnswersFile,
        autosave: bool = True,
        on_change: Callable[[Interview], None] | None = None,
        writer: BackgroundWriter | None = None,
    ):
        self.pack = pack
        self.file = answers
        self.autosave = autosave and answers.path is not None
        self.writer = writer  # autosaves go through it, off the caller's thread
        self.on_change = on_change
        self._assessment: Assessment | None = None
        self._recompute()
        start = answers.position if answers.position in self._visible_set else None
        self.current_id: str = start or self.visible[0].id

    # -- what is visible ---------------------------------------------------------------
    def _recompute(self, changed: str | None = None) -> None:
        """Decide visibility again: all of it, or what reads the ``changed`` answer."""
        if changed is None:
            self._visible_set, self.context = evaluate(self.pack, self.file.answers)
        else:
            self._visible_set, self.context = reevaluate(
                self.pack, self.file.answers, self._visible_set, self.context, changed
            )
        self.visible: list[CompiledQuestion] = [
            q for q in self.pack.questions if q.id in self._visible_set
        ]
        self._index = {q.id: i for i, q in enumerate(self.visible)}
        self._assessment = None

    def is_visible(self, qid: str) -> bool:
        return qid in self._visible_set

    @property
    def current(self) -> CompiledQuestion:
        return self.pack.question_by_id[self.current_id]

    @property
    def position(self) -> int:
        """Index of the current question among the visible ones."""
        return self._index.get(self.current_id, 0)

    def value(self, qid: str) -> Any:
        return self.file.answers.get(qid)

    def is_answered(self, qid: str) -> bool:
        return self.file.answers.get(qid) not in (None, "", [])

    # -- moving -----------------------------------------------------------------------
    def next(self) -> bool:
        """Move to the next visible question; False at the end."""
        i = self.position
        if i + 1 >= len(self.visible):
            return False
        self._move(self.visible[i + 1].id)
        return True

    def previous(self) -> bool:
        """Move to the previous visible question; False at the start."""
        i = self.position
        if i == 0:
            return False
        self._move(self.visible[i - 1].id)
        return True

    def goto(self, qid: str) -> None:
        if qid not in self._visible_set:
            raise KeyError(f"question {qid!r} is not visible now")
        self._move(qid)

    def first_unanswered(self) -> CompiledQuestion | None:
        return next((q for q in self.visible if not self.is_answered(q.id)), None)

    def _move(self, qid: str) -> None:
        self.current_id = qid
        self.file.position = qid

    # -- changing ---------------------------------------------------------------------
    def check(self, qid: str, value: Any) -> Any:
        """The stored form of ``value`` if valid, else :class:`AnswerError`."""
        cq = self.pack.question_by_id[qid]
        stored = coerce(self.pack, cq, value)
        if cq.validator is not None:
            try:
                message = cq.validator.evaluate({**self.context, "value": stored})
            except ConditionFailed as exc:  # an answer that cannot be checked is not taken
                # The reason first: a prompt shows one line, cut at the terminal's width.
                raise AnswerError(
                    f"this answer could not be checked: {exc.reason} ({exc.message})"
                ) from None
            if message:
                raise AnswerError(str(message))
        return stored

    def answer(self, qid: str, value: Any) -> None:
        """Validate and store an answer, re-evaluate, autosave."""
        self._set(qid, self.check(qid, value))

    def clear(self, qid: str) -> None:
        self._set(qid, _UNSET)

    def _set(self, qid: str, stored: Any) -> None:
        """Store (or with ``_UNSET`` remove) an answer; if a condition then fails to run,
        the answer is not taken and nothing is saved (fail closed, never half-applied)."""
        before = self.file.answers.get(qid, _UNSET)
        self._put(qid, stored)
        try:
            self._changed(changed=qid)
        except ConditionFailed as exc:
            self._put(qid, before)
            self._recompute()
            raise AnswerError(
                f"this answer could not be taken: {exc.reason} ({exc.message})"
            ) from None

    def _put(self, qid: str, value: Any) -> None:
        if value is _UNSET:
            self.file.answers.pop(qid, None)
        else:
            self.file.answers[qid] = value

    def set_note(self, qid: str, text: str) -> None:
        text = (text or "").rstrip()
        if text:
            self.file.notes[qid] = text
        else:
            self.file.notes.pop(qid, None)
        self._changed(recompute=False)

    def set_tracking(
        self, control_id: str, changes: dict[str, Any], today: dt.date, confirm: bool = False
    ) -> Tracking:
        """Record how a duty stands (see :mod:`srm_tui.engine.tracking`), then autosave."""
        from srm_tui.engine import tracking

        entry = tracking.update(self.tracking(control_id), changes, today, confirm)
        tracking.store(self.file.raw, control_id, entry)
        self._changed(recompute=False)
        return entry

    def tracking(self, control_id: str) -> Tracking | None:
        from srm_tui.engine import tracking

        return tracking.entries(self.file.raw).get(control_id)

    def set_meta(self, **meta: Any) -> None:
        self.file.meta.update(meta)
        self._changed(recompute=False)

    def _changed(self, recompute: bool = True, changed: str | None = None) -> None:
        if recompute:
            self._recompute(changed)
            if self.current_id not in self._visible_set:
                self._move(self._nearest_visible(self.current_id))
        self._assessment = None
        self.save_soon()
        if self.on_change is not None:
            self.on_change(self)

    def _nearest_visible(self, qid: str) -> str:
        index = self.pack.question_by_id[qid].index
        before = [q for q in self.visible if q.index <= index]
        return (before[-1] if before else self.visible[0]).id

    def save(self) -> None:
        """Write the file; it is on disk when this returns."""
        self.save_soon()
        if self.writer is not None:
            self.writer.wait()

    def save_soon(self) -> None:
        """Write the file, through the background writer when there is one."""
        if not self.autosave:
            return
        if self.writer is None or self.file.path is None:
            self.file.save(self.pack)
        else:
            self.writer.write(self.file.path, self.file.text(self.pack))

    # -- progress and results ---------------------------------------------------------
    def progress(self) -> Progress:
        answered = sum(1 for q in self.visible if self.is_answered(q.id))
        return Progress(answered, len(self.visible))

    def section_progress(self) -> list[tuple[Section, Progress]]:
        """Answered and visible questions per section with any visible (one pass)."""
        counts: dict[str, list[int]] = {}
        for q in self.visible:
            tally = counts.setdefault(q.section.id, [0, 0])
            tally[0] += self.is_answered(q.id)
            tally[1] += 1
        return [
            (section, Progress(*counts[section.id]))
            for section in self.pack.sections
            if section.id in counts
        ]

    def assessment(self) -> Assessment:
        """The assessment of the answers as they stand (cached until the next change)."""
        if self._assessment is None:
            from srm_tui.engine.assessment import assess  # not needed for the first question

            self._assessment = assess(self.pack, self.file)
        return self._assessment
