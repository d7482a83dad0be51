"""Property-based fuzzing: loaders, answers checking, the interview and conditions.

Whatever goes in, the outcome is either success or the one error type a front end
turns into a message (InputError, AnswerError, ConditionError, ConditionFailed) — nothing else.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srm_tui.engine import yamlio
from srm_tui.engine.answers import AnswersFile, check_answers, load_answers
from srm_tui.engine.assessment import assess
from srm_tui.engine.conditions import ConditionError, ConditionFailed, compile_expression
from srm_tui.engine.errors import InputError
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack
from srm_tui.engine.values import AnswerError

BASE_PACK = Path(__file__).parent / "hostile" / "base-pack"
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def base():
    return load_pack(BASE_PACK)


# -- loaders ----------------------------------------------------------------------------
YAML_TOKENS = [
    "a", "answers", "meta", "notes", "services", "mfa", "days", ":", ": ", "- ", "\n", "  ",
    "[", "]", "{", "}", ",", "&x ", "*x", "!!python/object:os.system", "!!int ", "!!float ",
    "!!timestamp ", "!!binary ", "!!bool ", "!!set ", "!!omap ", "? ", "'", '"', "#", "|",
    ">", "2026-13-45", "2026-02-28", ".nan", "-.inf", "1e999", "9" * 50, "yes", "~", "null",
    "<<: ", "---", "...", "%YAML 1.1", "\t", "é", "\x07", "\\x00", "@", "`",
]  # fmt: skip
yamlish = st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join)
documents = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    yamlish.map(str.encode),
    yamlish.map(lambda s: s.encode("utf-16")),
    yamlish.map(lambda s: s.encode("latin-1", "replace")),
)


@FUZZ
@given(content=documents, suffix=st.sampled_from([".yaml", ".json"]))
def test_loaders_succeed_or_raise_input_error(tmp_path, base, content, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    try:
        yamlio.load(path)
    except InputError as exc:
        assert "\n" not in exc.message
    try:
        load_answers(path, base)
    except InputError as exc:
        assert "\n" not in exc.message


# -- answers and the interview ------------------------------------------------------------
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["yes", "no", "dont_know", "us", "msp", "acme.vm", "acme.db", "2026-02-28"]),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
QIDS = ["services", "patcher", "mfa", "days", "owner_name", "remarks", "since"]
keys = st.one_of(st.sampled_from([*QIDS, "retired_q"]), st.text(max_size=8), st.integers())
raw_answers = st.fixed_dictionaries(
    {},
    optional={
        "questionnaire": st.one_of(
            st.sampled_from(["hostile-base@2.1.0", "hostile-base@2.0.0", "x@1.0.0"]), values
        ),
        "meta": st.one_of(st.dictionaries(st.sampled_from(["client", "date"]), values), values),
        "answers": st.one_of(st.dictionaries(keys, values, max_size=8), values),
        "notes": st.one_of(st.dictionaries(keys, values, max_size=3), values),
    },
)  # fmt: skip


@FUZZ
@given(data=raw_answers)
def test_check_answers_then_assess_never_crashes(base, data):
    doc = yamlio.Document(Path("fuzz.yaml"), data, {})
    problems = check_answers(doc, base)
    assert all(isinstance(p, InputError) and "\n" not in p.message for p in problems)
    if not problems:
        result = assess(base, AnswersFile(data))
        shares = result.shares["overall"]
        assert math.isclose(sum(shares.values()), 1.0, abs_tol=1e-6)
        result.to_json()


@FUZZ
@given(steps=st.lists(st.tuples(st.sampled_from(QIDS), values), max_size=12))
def test_interview_answers_are_accepted_or_refused(tmp_path, base, steps):
    path = tmp_path / "answers.yaml"
    path.unlink(missing_ok=True)  # tmp_path is shared by every example
    interview = Interview(base, AnswersFile.new(base, path, client="Fuzz"))
    for qid, value in steps:
        try:
            interview.answer(qid, value)
        except AnswerError as exc:
            assert str(exc)
        interview.progress()
        interview.assessment().to_json()
    if path.exists():  # what was saved reads back and checks clean
        reread = load_answers(path, base)
        assert reread.answers == interview.file.answers


@FUZZ
@given(qid=st.sampled_from(QIDS), value=values)
def test_typed_and_saved_answers_agree(tmp_path, base, qid, value):
    """A value the interview accepts is saved, read back unchanged and accepted again."""
    interview = Interview(base, AnswersFile.new(base, None), autosave=False)
    try:
        stored = interview.check(qid, value)
    except AnswerError:
        return
    assert interview.check(qid, stored) == stored
    path = tmp_path / "one.yaml"
    AnswersFile({"answers": {qid: stored}}).save(base, path)
    assert load_answers(path, base).answers[qid] == stored
    if qid == "since":
        assert isinstance(stored, dt.date)


# -- conditions ---------------------------------------------------------------------------
EXPR_TOKENS = [
    "models", "services", "providers", "mfa", "days", "value", "answer", "'iaas'", "'x'",
    "1", "0", "-1", "10**9", "9", "999999999", "1.5", "[", "]", "(", ")", "{", "}", ",", ":",
    " in ", " not ", " and ", " or ", " if ", " else ", " is ", "defined", "none", "==", "!=",
    "<", ">", "+", "-", "*", "**", "/", "//", "%", "~", "|", ".", "length", "upper", "count",
    "attr", "format", "center", "join", "map", "range", "lipsum", "cycler", "namespace",
    "__class__", "_x", "mro", "'%s'", "'{0}'", "get", "split", "startswith", "[0]", "[::-1]",
]  # fmt: skip
expressions = st.one_of(
    st.lists(st.sampled_from(EXPR_TOKENS), min_size=1, max_size=12).map("".join),
    st.lists(st.sampled_from(EXPR_TOKENS), min_size=1, max_size=12).map(" ".join),
    st.text(max_size=40),
)
KNOWN = ["models", "services", "providers", "mfa", "days", "value", "answer"]
contexts = st.fixed_dictionaries({name: values for name in KNOWN})


@FUZZ
@given(source=expressions, context=contexts)
def test_conditions_compile_or_refuse_and_fail_only_with_a_message(source, context):
    try:
        expression = compile_expression(source, KNOWN)
    except ConditionError as exc:
        assert str(exc)
        return
    for ctx in (context, {}):
        try:
            expression.evaluate(ctx)
        except ConditionFailed as exc:  # reported with the expression, never swallowed
            assert source in exc.problem and "failed" in exc.problem
