"""Loading a pack: finding its folder, reading and checking its files, caching the result.

:func:`load_pack` is the entry the rest of srm calls. A pack already loaded in this
process is reused until one of its files changes; else the compiled pack cache
(:mod:`srm_tui.engine.pack_cache`) is tried, and only when it has no readable entry does
:func:`parse_pack` check each file against its schema (:mod:`srm_tui.engine.pack_schema`)
and then the pack as a whole (:mod:`srm_tui.engine.pack_checks`). Pydantic, which checks
the files, and Jinja2, which compiles the conditions, are imported only then.
``facts.yaml`` may be left out by a pack whose rules only read the service model.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srm_tui.engine import pack_cache, yamlio
from srm_tui.engine.conditions import ConditionFailed
from srm_tui.engine.errors import InputError
from srm_tui.engine.pack import Pack
from srm_tui.engine.pack_schema import (
    ControlsFile,
    FactsFile,
    LayersFile,
    PackInfo,
    QuestionnaireFile,
    ServicesFile,
)
from srm_tui.engine.visibility import evaluate

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

PACK_FILES = (
    "pack.yaml",
    "layers.yaml",
    "facts.yaml",
    "services.yaml",
    "controls.yaml",
    "questionnaire.yaml",
)
OPTIONAL_FILES = ("facts.yaml",)


class PackErrors(InputError):
    """Several problems found in one pack; the message is the first."""

    def __init__(self, problems: list[InputError]):
        self.problems = problems
        first = problems[0]
        super().__init__(first.path, first.place, first.problem)


def _validate(doc: yamlio.Document, model: type, problems: list[InputError]) -> Any:
    from pydantic import TypeAdapter, ValidationError

    if not isinstance(doc.data, dict):
        problems.append(doc.error((), "expected a mapping at the top level"))
        return None
    try:
        return TypeAdapter(model).validate_python(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(doc.error(err["loc"], _pydantic_message(err)))
        return None


def _pydantic_message(err: ErrorDetails) -> str:
    kind = err.get("type", "")
    if kind == "unexpected_keyword_argument":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "dataclass_type":  # worded as when the schemas were pydantic models
        return f"Input should be a valid dictionary or instance of {err['ctx']['class_name']}"
    msg = str(err.get("msg", "invalid value"))
    value = err.get("input")
    if kind in ("literal_error", "string_pattern_mismatch", "enum") and isinstance(value, str):
        return f"{value!r}: {msg}"
    return msg


def resolve_pack_path(name_or_path: str | Path | None) -> Path:
    """A pack folder from a path, or the name of a bundled pack (default ``cloud-srm``)."""
    from srm_tui.resources import questionnaires_dir

    if name_or_path is None:
        return questionnaires_dir() / "cloud-srm"
    candidate = Path(name_or_path)
    if candidate.is_dir():
        return candidate
    bundled = questionnaires_dir() / str(name_or_path)
    if bundled.is_dir():
        return bundled
    raise InputError(name_or_path, None, "no such questionnaire pack (a folder or a bundled name)")


_CACHE: dict[tuple[object, ...], Pack] = {}


def _cache_key(path: Path) -> tuple[object, ...]:
    """A loaded pack is reused until one of its files changes."""
    stamps: list[tuple[int, int] | None] = []
    for name in PACK_FILES:
        try:
            info = (path / name).stat()
            stamps.append((info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append(None)
    return (path, *stamps)


def load_pack(name_or_path: str | Path | None = None) -> Pack:
    """Load and check a pack; raises :class:`PackErrors` listing every problem.

    A pack already loaded in this process is reused until one of its files changes;
    otherwise the compiled pack cache is tried before the files are parsed and checked.
    """
    path = resolve_pack_path(name_or_path).resolve()
    key = _cache_key(path)
    if key in _CACHE:
        return _CACHE[key]
    stored = pack_cache.entry(path, PACK_FILES)
    pack = pack_cache.read(stored)
    if pack is None:
        pack = parse_pack(path)
        pack_cache.write(stored, pack)
    _CACHE[key] = pack
    return pack


def parse_pack(path: Path) -> Pack:
    """Read and check the pack files in ``path`` (no cache); raises :class:`PackErrors`."""
    problems: list[InputError] = []
    docs: dict[str, yamlio.Document] = {}
    for name in PACK_FILES:
        file = path / name
        if name in OPTIONAL_FILES and not file.exists():
            continue
        if yamlio.is_pipe_or_device(file):
            problems.append(InputError(file, None, "not a regular file (a pipe or device)"))
            continue
        try:
            docs[name] = yamlio.load(file)
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise PackErrors(problems)
    info = _validate(docs["pack.yaml"], PackInfo, problems)
    layers = _validate(docs["layers.yaml"], LayersFile, problems)
    facts = _validate(docs["facts.yaml"], FactsFile, problems) if "facts.yaml" in docs else None
    services = _validate(docs["services.yaml"], ServicesFile, problems)
    controls = _validate(docs["controls.yaml"], ControlsFile, problems)
    questionnaire = _validate(docs["questionnaire.yaml"], QuestionnaireFile, problems)
    if problems:
        raise PackErrors(problems)
    from srm_tui.engine.pack_checks import assemble  # compiles conditions: Jinja2

    pack = assemble(path, docs, info, layers, facts, services, controls, questionnaire, problems)
    if problems:
        raise PackErrors(problems)
    with contextlib.suppress(ConditionFailed):  # raised again when an interview starts
        visible, context = evaluate(pack, {})
        pack.blank = (frozenset(visible), context)
    return pack
