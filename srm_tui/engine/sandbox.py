"""The Jinja2 side of the conditions (:mod:`srm_tui.engine.conditions`): the sandbox
they run in, parsing and checking an expression, and the code Jinja2 generates for it.

Pack authors write small expressions over the answers (``'vm' in compute``) and the
derived facts (``models``, ``providers``, ``services``). Expressions are parsed once,
checked for names that do not exist, for reaching into private attributes and for
filters or method calls outside a short list, then compiled in Jinja2's immutable
sandbox, whose ``*``, ``**`` and ``%`` refuse results that would exhaust memory or time
(``'a' * 10**9``). The same holds when the large operand is an answer (``value * days``),
and for the filters and methods that would be slow in an answer's size: ``round`` refuses
a precision beyond :data:`MAX_PRECISION`, and an attribute path (``sort``, ``unique``,
``min``, ``max``) or a set of characters to strip longer than :data:`MAX_ARGUMENT` is
refused. Nothing here ever calls ``eval``.

This module imports Jinja2; :mod:`~srm_tui.engine.conditions` imports it only when an
expression is first compiled or evaluated, so a cached pack loads without Jinja2.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from types import CodeType
from typing import Any

from jinja2 import nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.filters import do_round
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment

from srm_tui.engine.conditions import ConditionError, Expression, describe

# What a condition may use besides operators, tests and names: nothing that builds
# large values from small arguments (center, format, batch, replace, join with a
# separator) or formats strings.
FILTERS = frozenset(
    {
        *("abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "int"),
        *("items", "last", "length", "list", "lower", "max", "min", "reject", "reverse"),
        *("round", "select", "sort", "string", "title", "trim", "unique", "upper", "wordcount"),
    }
)
METHODS = frozenset(
    {
        *("count", "endswith", "find", "get", "index", "isdigit", "items", "keys", "lower"),
        *("split", "startswith", "strip", "upper", "values"),
    }
)
MAX_SIZE = 100_000  # items or characters one ``*`` may produce
MAX_BITS = 100_000  # bits of an integer one ``*`` or ``**`` may produce
MAX_PRECISION = 100  # digits ``round`` may round to (it computes ``10 ** precision``)
# Characters of a text argument whose every character costs work per item: an attribute
# path (``sort(attribute=...)`` looks up each dotted part for each item) and the set of
# characters ``strip`` and ``trim`` remove (searched for each character stripped).
MAX_ARGUMENT = 100


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with size limits on the operators that can multiply."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("string formatting is not allowed in conditions")
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() * right > MAX_BITS
        ):
            raise SecurityError("power too large")
        if operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > MAX_BITS:
                    raise SecurityError("product too large")
            else:
                seq, times = (right, left) if isinstance(left, int) else (left, right)
                if isinstance(times, int) and _size(seq, MAX_SIZE) * max(times, 0) > MAX_SIZE:
                    raise SecurityError("repetition too large")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if getattr(__obj, "__name__", None) in _STRIPS and isinstance(
            getattr(__obj, "__self__", None), str
        ):
            _short_texts(__obj.__name__, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


_STRIPS = frozenset({"strip", "lstrip", "rstrip"})


def _short_texts(what: str, args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    """Refuse a text argument long enough to make ``what`` quadratic in it."""
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, str) and len(arg) > MAX_ARGUMENT:
            raise SecurityError(f"{what}: argument too long ({len(arg)} characters)")


def _limited(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Filter ``fn`` refusing long text arguments (the filtered value itself is free)."""
    skip = 2 if getattr(fn, "jinja_pass_arg", None) is not None else 1  # environment, value

    @functools.wraps(fn)
    def limited(*args: Any, **kwargs: Any) -> Any:
        _short_texts(name, args[skip:], kwargs)
        return fn(*args, **kwargs)

    return limited


def _round(value: Any, precision: Any = 0, method: Any = "common") -> Any:
    """Jinja's ``round``, refusing a precision that would build a huge ``10 ** precision``."""
    if not isinstance(precision, int) or abs(precision) > MAX_PRECISION:
        raise SecurityError(f"round: precision must be a whole number within ±{MAX_PRECISION}")
    return do_round(value, precision, method)


def _size(value: Any, budget: int) -> int:
    """Characters and items in ``value`` (shared parts counted each time), up to ``budget``."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, dict)):
        total = len(value)
        for item in value.values() if isinstance(value, dict) else value:
            if total > budget:
                break
            total += _size(item, budget - total)
        return total
    return 1


_ENV = _Sandbox()
_ENV.filters["round"] = _round
for _name in ("sort", "unique", "min", "max", "trim"):
    _ENV.filters[_name] = _limited(_name, _ENV.filters[_name])
del _name


def generate(tree: nodes.Expr) -> CodeType:
    """Python code for an already parsed expression, generated by the sandbox."""
    body = [nodes.Assign(nodes.Name("result", "store"), tree, lineno=1)]
    source = _ENV.compile(nodes.Template(body, lineno=1), raw=True)
    return compile(source, "<condition>", "exec")


def function(code: CodeType) -> Callable[..., Any]:
    """A callable over ``code`` (what ``Environment.compile_expression`` returns)."""
    template = _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None))
    return TemplateExpression(template, undefined_to_none=True)


def parse(source: str) -> nodes.Expr:
    parser = Parser(_ENV, source, state="variable")
    tree = parser.parse_expression()
    if not parser.stream.eos:
        token = parser.stream.current
        raise ConditionError(f"unexpected {token.value!r} in expression {source!r}")
    return tree


def compile_checked(
    source: str,
    known: Iterable[str],
    origin: tuple[str | None, str | None] = (None, None),
) -> Expression:
    """:func:`~srm_tui.engine.conditions.compile_expression`, here with Jinja2."""
    if not isinstance(source, str) or not source.strip():
        raise ConditionError("empty expression")
    try:
        tree = parse(source)
    except TemplateError as exc:
        raise ConditionError(f"expression {source!r} does not parse: {exc.message}") from None
    except RecursionError:
        raise ConditionError(f"expression {source[:40]!r}... is nested too deeply") from None
    everything = [tree, *tree.find_all(nodes.Node)]
    for node in everything:
        if isinstance(node, nodes.Getattr):
            attr = node.attr
        elif isinstance(node, nodes.Getitem):
            attr = _const(node.arg)
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
            attr = _const(node.args[0])
        else:
            continue
        if isinstance(attr, str) and attr.startswith("_"):
            raise ConditionError(f"expression {source!r} reaches private attribute {attr!r}")
    names = frozenset(n.name for n in everything if isinstance(n, nodes.Name) and n.ctx == "load")
    known = set(known)
    unknown = sorted(names - known)
    if unknown:
        raise ConditionError(f"expression {source!r} names unknown {', '.join(unknown)}")
    for node in everything:
        _check_call(source, node)
    if names:
        return Expression(source, names, tree, origin)
    # An expression that reads nothing gives the same result every time: run it now, so
    # whatever it raises (``[0] * 10**9``, ``1 / 0``) is reported when the pack is checked.
    try:
        function(generate(tree))()
    except SecurityError as exc:
        raise ConditionError(f"expression {source!r} is refused by the sandbox: {exc}") from None
    except RecursionError:
        raise ConditionError(f"expression {source[:40]!r}... is nested too deeply") from None
    except Exception as exc:  # reported as a pack error
        raise ConditionError(f"expression {source!r} fails: {describe(exc)}") from None
    return Expression(source, names, tree, origin)


def _check_call(source: str, node: nodes.Node) -> None:
    """Refuse filters, calls and tests outside :data:`FILTERS`, :data:`METHODS` and Jinja's."""
    if isinstance(node, nodes.Test) and node.name not in _ENV.tests:
        raise ConditionError(f"expression {source!r} uses unknown test {node.name!r}")
    if isinstance(node, nodes.Filter) and node.name not in FILTERS:
        raise ConditionError(f"expression {source!r} uses filter {node.name!r}, not allowed here")
    if isinstance(node, nodes.Call):
        func = node.node
        if not isinstance(func, nodes.Getattr) or func.attr not in METHODS:
            what = f"method {func.attr!r}" if isinstance(func, nodes.Getattr) else "a function"
            raise ConditionError(f"expression {source!r} calls {what}, not allowed here")


def _const(node: nodes.Node) -> Any:
    return node.value if isinstance(node, nodes.Const) else None
