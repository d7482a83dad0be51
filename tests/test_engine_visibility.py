"""Deciding again only what reads a changed answer gives what deciding everything gives."""

from __future__ import annotations

import contextlib
import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.interview import Interview
from srm_tui.engine.values import AnswerError
from srm_tui.engine.visibility import evaluate


def test_readers_follow_conditions_through_other_questions(pack):
    readers = pack.readers
    gated = [cq for cq in pack.questions if cq.when is not None]
    assert gated, "the bundled pack shows questions on conditions"
    for cq in gated:
        for name in cq.when.names:
            if name in readers:
                assert cq.id in readers[name]
            if name in ("models", "providers"):
                assert cq.id in readers["services"]
    # A reader of a reader is a reader: the sets are closed.
    for qid, direct in readers.items():
        for reader in direct:
            assert readers[reader] <= direct, (qid, reader)


def _steps(pack):
    choosable = [cq for cq in pack.questions if cq.q.type in ("single", "yesno", "multi")]

    def step(cq):
        values = [c.value for c in pack.choices(cq.q)]
        if cq.q.type == "multi":
            pick = st.lists(st.sampled_from(values), unique=True, max_size=6)
        else:
            pick = st.sampled_from(values)
        return st.tuples(st.just(cq.id), st.one_of(st.none(), pick))

    return st.lists(st.one_of([step(cq) for cq in choosable]), min_size=1, max_size=25)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_run_of_answers_and_clears_is_decided_as_from_scratch(pack, data):
    interview = Interview(pack, AnswersFile.new(pack), autosave=False)
    for qid, value in data.draw(_steps(pack)):
        with contextlib.suppress(AnswerError):
            if value is None:
                interview.clear(qid)
            else:
                interview.answer(qid, value)
        visible, context = evaluate(pack, interview.file.answers)
        assert {q.id for q in interview.visible} == visible
        assert interview.context == context


def test_a_new_engagement_sees_what_deciding_every_condition_gives(pack):
    """The visibility kept with a checked pack for no answers is what evaluating gives,
    and a caller changing what it got does not change it for the next interview."""
    assert pack.blank is not None
    kept = evaluate(pack, {})
    decided = evaluate(dataclasses.replace(pack, blank=None), {})
    assert kept == decided
    assert any(cq.when is not None and cq.id not in kept[0] for cq in pack.questions)
    kept[0].clear()
    kept[1]["services"].append("aws.ec2")
    assert evaluate(pack, {}) == decided
