"""``when``, ``validator`` and effect conditions: Jinja2 expressions run in its sandbox.

Pack authors write small expressions over the answers (``'vm' in compute``) and the
derived facts (``models``, ``providers``, ``services``), checked when the pack loads and
run in a size-limited immutable sandbox (:mod:`srm_tui.engine.sandbox`, which holds the
Jinja2 side and is imported only when an expression is first compiled or evaluated).

A compiled expression can be kept in the compiled pack cache (:mod:`srm_tui.engine.pack_cache`):
it pickles as its source, the names it reads and the code Jinja2 generated for it, so a
cached pack evaluates its conditions without parsing or generating code again.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable
from types import CodeType
from typing import TYPE_CHECKING, Any

from srm_tui.engine.errors import InputError

if TYPE_CHECKING:
    from jinja2 import nodes


class ConditionError(ValueError):
    """An expression that does not parse, names unknown things or tries to escape."""


class ConditionFailed(InputError):
    """An expression that raised while it ran: a fault of the pack, never read as false.

    ``reason`` is what went wrong in a few words (``ZeroDivisionError: division by zero``),
    for a message that must say it before the file and place (a one-line prompt).
    """

    def __init__(self, path: str | None, place: str | None, problem: str, reason: str = ""):
        super().__init__(path, place, problem)
        self.reason = reason or problem


class Expression:
    """A checked condition and the names it reads.

    Parsing and checking happen when the pack loads; turning the expression into code
    waits until it is first evaluated (or the pack is written to the cache), since a pack
    loaded from source may never need most of its conditions in one sitting.
    """

    __slots__ = ("source", "names", "origin", "_tree", "_code", "_fn")

    def __init__(
        self,
        source: str,
        names: frozenset[str],
        tree: nodes.Expr | None,
        origin: tuple[str | None, str | None] = (None, None),
    ):
        self.source = source
        self.names = names
        self.origin = origin  # the pack file and the place the expression was written
        self._tree = tree
        self._code: CodeType | None = None
        self._fn: Callable[..., Any] | None = None

    def evaluate(self, context: dict[str, Any]) -> Any:
        """Value of the expression; raises :class:`ConditionFailed` if it cannot be computed."""
        try:
            if self._fn is None:
                from srm_tui.engine.sandbox import function

                self._fn = function(self.code())
            return self._fn(**context)
        except Exception as exc:  # any failure is reported, none is swallowed
            path, place = self.origin
            reason = describe(exc)
            problem = f"expression {self.source!r} failed: {reason}"
            raise ConditionFailed(path, place, problem, reason) from None

    def true(self, context: dict[str, Any]) -> bool:
        return bool(self.evaluate(context))

    def code(self) -> CodeType:
        """The Python code Jinja2 generates for the expression (made once)."""
        if self._code is None:
            from srm_tui.engine.sandbox import generate, parse

            if self._tree is None:  # an expression unpickled without code: parse again
                self._tree = parse(self.source)
            self._code = generate(self._tree)
        return self._code

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.source, self.names, self.origin, marshal.dumps(self.code()))

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.source, self.names, self.origin, code = state
        self._tree, self._fn = None, None
        self._code = marshal.loads(code)


def describe(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def compile_expression(
    source: str,
    known: Iterable[str],
    origin: tuple[str | None, str | None] = (None, None),
) -> Expression:
    """Parse and check ``source``; ``known`` is every name it may read."""
    from srm_tui.engine.sandbox import compile_checked

    return compile_checked(source, known, origin)
