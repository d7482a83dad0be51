"""``when``, ``validator`` and effect conditions: Jinja2 expressions run in its sandbox.

Pack authors write small expressions over the answers (``'vm' in compute``) and the
derived facts (``models``, ``providers``, ``services``). Expressions are parsed once,
checked for names that do not exist and for reaching into private attributes, then
compiled in Jinja2's immutable sandbox. Nothing here ever calls ``eval``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment

_ENV = ImmutableSandboxedEnvironment()


class ConditionError(ValueError):
    """An expression that does not parse, names unknown things or tries to escape."""


@dataclass(frozen=True)
class Expression:
    """A compiled condition and the names it reads."""

    source: str
    names: frozenset[str]
    _fn: Callable[..., Any]

    def evaluate(self, context: dict[str, Any]) -> Any:
        """Value of the expression; sandbox violations and runtime errors give None."""
        try:
            return self._fn(**context)
        except (SecurityError, TemplateError, TypeError, ValueError, ArithmeticError):
            return None

    def true(self, context: dict[str, Any]) -> bool:
        return bool(self.evaluate(context))


def compile_expression(source: str, known: Iterable[str]) -> Expression:
    """Parse, check and compile ``source``; ``known`` is every name it may read."""
    if not isinstance(source, str) or not source.strip():
        raise ConditionError("empty expression")
    try:
        parser = Parser(_ENV, source, state="variable")
        tree = parser.parse_expression()
        if not parser.stream.eos:
            token = parser.stream.current
            raise ConditionError(f"unexpected {token.value!r} in expression {source!r}")
    except TemplateError as exc:
        raise ConditionError(f"expression {source!r} does not parse: {exc.message}") from None
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
    fn = _ENV.compile_expression(source, undefined_to_none=True)
    return Expression(source, names, fn)


def _const(node: nodes.Node) -> Any:
    return node.value if isinstance(node, nodes.Const) else None
