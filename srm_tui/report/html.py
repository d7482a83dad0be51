"""The Jinja2 environment for report templates: a user folder first, then ours.

Autoescaping is on for every template: client names, notes and pack text are data,
shown literally, never markup. The data is never compiled as a template.
"""

from __future__ import annotations

import contextlib
import pickle
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from srm_tui.engine.assessment import percent
from srm_tui.engine.errors import InputError
from srm_tui.engine.pack_cache import cache_dir
from srm_tui.engine.text import without_control
from srm_tui.resources import templates_dir

MAIN = "report/report.html.j2"


def template_roots(template_dir: Path | None = None) -> list[Path]:
    """Folders templates (and their assets) are taken from, in lookup order."""
    roots = [templates_dir().resolve()]
    if template_dir is not None:
        if not Path(template_dir).is_dir():
            raise InputError(template_dir, None, "template folder not found")
        roots.insert(0, Path(template_dir).resolve())
    return roots


def possessive(name: str) -> str:
    """``Acme's``, but ``Payments'``: a name ending in s takes the apostrophe alone."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def printable(value: Any) -> Any:
    """What ``{{ ... }}`` prints: text without control characters (HTML cannot hold
    them, and an escape sequence in a client's name would run in a terminal showing
    the file); markup stays markup."""
    if isinstance(value, Markup):
        return Markup(without_control(value))
    if isinstance(value, str):
        return without_control(value)
    return value


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept in srm's cache folder, so a report does not compile its
    twenty templates again (about a tenth of a second). Jinja2 keys an entry by the
    template's name and file and checks its source and Jinja2's version before using it;
    like the pack cache, an entry that cannot be read or written only costs that time."""

    def __init__(self) -> None:
        folder = cache_dir() / "templates"
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        super().__init__(str(folder))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def environment(roots: list[Path]) -> Environment:
    env = Environment(
        bytecode_cache=TemplateCache(),
        loader=ChoiceLoader([FileSystemLoader(str(r)) for r in roots]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=printable,
    )
    env.filters["possessive"] = possessive
    env.filters["percent"] = percent
    return env


def render_html(context: dict[str, Any], roots: list[Path]) -> str:
    from jinja2 import TemplateError

    try:
        return environment(roots).get_template(MAIN).render(context)
    except TemplateError as exc:
        name = getattr(exc, "filename", None) or getattr(exc, "name", None) or MAIN
        line = getattr(exc, "lineno", None)
        raise InputError(name, f"line {line}" if line else None, f"template error: {exc}") from None
