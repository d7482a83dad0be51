"""Reading YAML/JSON with line numbers, and writing files atomically.

Error messages must name the place in a file, so loading keeps a map from each value's
path (``("controls", 3, "owner")``) to its line. Writing goes through a temp file,
fsync and rename so a crash leaves either the old file or the new one, never a mix.
PyYAML is imported when a file is first read or written as YAML: a pack from the compiled
cache and a new engagement reach the first question without it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srm_tui.engine.errors import InputError

if TYPE_CHECKING:
    import yaml

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 200

Path_ = tuple[Any, ...]


class _BadNode(Exception):
    """Raised while walking a document at a value that cannot be read."""

    def __init__(self, node: yaml.Node, loc: Path_, problem: str):
        self.node, self.loc, self.problem = node, loc, problem


# Tags whose constructors can fail on a well-formed scalar (2026-13-45, !!int abc).
_CHECKED_TAGS = {
    f"tag:yaml.org,2002:{kind}": noun
    for kind, noun in (
        ("int", "an integer"),
        ("float", "a number"),
        ("timestamp", "a date"),
        ("binary", "base64 data"),
        ("bool", "true or false"),
    )
}


class Document:
    """Parsed data plus where each value sits in the file."""

    def __init__(self, path: Path, data: Any, lines: dict[Path_, int]):
        self.path = path
        self.data = data
        self.lines = lines

    def line_of(self, loc: Iterable[Any]) -> int | None:
        """Line of the deepest known prefix of ``loc``."""
        loc = tuple(loc)
        while True:
            if loc in self.lines:
                return self.lines[loc]
            if not loc:
                return None
            loc = loc[:-1]

    def place(self, loc: Iterable[Any]) -> str:
        """Human place such as ``line 12 (controls[3].owner)``."""
        loc = tuple(loc)
        dotted = format_loc(loc)
        line = self.line_of(loc)
        if line is None:
            return dotted or "top level"
        return f"line {line}" + (f" ({dotted})" if dotted else "")

    def error(self, loc: Iterable[Any], problem: str) -> InputError:
        return InputError(self.path, self.place(loc), problem)


def format_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            # A key with control characters is shown quoted, so the message stays one line.
            shown = text if text.isprintable() else repr(text)
            out += ("." if out else "") + shown
    return out


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, None, f"file is {size} bytes; the limit is {MAX_BYTES}")
        # Read no more than the limit: a device or pipe (/dev/zero) has no size to check first.
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise InputError(path, None, f"more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}")
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, None, "is a folder, expected a file") from None
    except PermissionError:
        raise InputError(path, None, "permission denied") from None
    except OSError as exc:
        raise InputError(path, None, exc.strerror or str(exc)) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, None, "UTF-16 text (save the file as UTF-8)")
    if b"\x00" in raw:
        raise InputError(path, None, "binary data, expected YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(path, f"line {line}", "not UTF-8 text (save the file as UTF-8)") from None


def load(path: str | Path) -> Document:
    """Load a YAML or JSON file into a :class:`Document`, or raise :class:`InputError`."""
    path = Path(path)
    text = _read_text(path)
    if path.suffix.lower() == ".json":
        return _load_json(path, text)
    import yaml

    # The C loader is much faster where libyaml is present.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(path, None, "the file is empty")
        lines: dict[Path_, int] = {}
        _walk(loader, node, (), lines, [0])
        data = loader.construct_document(node)
    except _BadNode as exc:
        dotted = format_loc(exc.loc)
        place = f"line {exc.node.start_mark.line + 1}" + (f" ({dotted})" if dotted else "")
        raise InputError(path, place, exc.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(path, at, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        problem = f"invalid YAML: character #x{exc.character:04x} is not allowed"
        raise InputError(path, f"line {line}", problem) from None
    except yaml.YAMLError as exc:
        raise InputError(path, None, f"invalid YAML: {_one_line(exc)}") from None
    except (ValueError, TypeError, LookupError, AttributeError) as exc:
        raise InputError(path, None, f"invalid YAML value: {_one_line(exc)}") from None
    except RecursionError:
        raise InputError(path, None, "nesting too deep") from None
    finally:
        loader.dispose()
    return Document(path, data, lines)


def _one_line(exc: BaseException) -> str:
    return str(exc).strip().split("\n")[0][:200]


def _walk(
    loader: Any, node: yaml.Node, loc: Path_, lines: dict[Path_, int], count: list[int]
) -> None:
    import yaml

    count[0] += 1
    if count[0] > MAX_NODES:
        raise _BadNode(node, loc, f"more than {MAX_NODES} values (aliases expanding?)")
    if len(loc) > MAX_DEPTH:
        raise _BadNode(node, loc[:3], f"nested more than {MAX_DEPTH} levels deep")
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[tuple[str, str]] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _BadNode(key_node, loc, "a key must be plain text, not a list or mapping")
            if key_node.tag != "tag:yaml.org,2002:merge":
                if (key_node.tag, key_node.value) in seen:
                    where = (*loc, key_node.value)
                    raise _BadNode(key_node, where, f"duplicate key {key_node.value!r}")
                seen.add((key_node.tag, key_node.value))
            _walk(loader, value_node, (*loc, key_node.value), lines, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(loader, item, (*loc, index), lines, count)
    elif node.tag in _CHECKED_TAGS:
        try:
            loader.yaml_constructors[node.tag](loader, node)
        except (ValueError, TypeError, LookupError, AttributeError, yaml.YAMLError) as exc:
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "..."
            problem = f"{shown!r} is not {_CHECKED_TAGS[node.tag]}"
            if type(exc) is ValueError and "\n" not in str(exc) and len(str(exc)) < 60:
                problem += f" ({exc})"  # e.g. "month must be in 1..12"
            raise _BadNode(node, loc, problem) from None


def _load_json(path: Path, text: str) -> Document:
    import json  # here: only .json files need it, and start-up reads none

    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}"
        ) from None
    except ValueError as exc:  # a duplicate key, or an integer too long to read
        raise InputError(path, None, f"invalid JSON: {exc}") from None
    except RecursionError:
        raise InputError(path, None, "nesting too deep") from None
    return Document(path, data, {})


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


@functools.cache
def _plain_dumper() -> type[yaml.SafeDumper]:
    """The C dumper where libyaml is present, writing a value shared by two places twice
    rather than as an anchor and alias."""
    import yaml

    base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class PlainDumper(base):  # type: ignore[valid-type,misc]
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return PlainDumper


def dump(data: Any) -> str:
    """YAML text in a stable, readable layout (keys in insertion order, no aliases)."""
    import yaml

    dumper = _plain_dumper()
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def is_pipe_or_device(path: Path) -> bool:
    """Something that exists but is neither a regular file nor a folder (``/dev/null``, a
    named pipe): it has no size to trust and may never end, and a rename would replace it."""
    return path.exists() and not (path.is_file() or path.is_dir())


def write_atomic(path: str | Path, content: str | bytes, mode: int = 0o600) -> None:
    """Write ``content`` to ``path`` via temp file, fsync and rename.

    The temp file sits beside the target so the rename stays on one file system;
    on any failure it is removed and the old file is untouched. A symbolic link is
    written through (the file it points to is replaced, the link stays), and a device
    or pipe such as ``/dev/null`` or ``/dev/stdout`` is written into: a rename would
    put a plain file in its place.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_symlink() and path.is_file():
        path = Path(os.path.realpath(path))
    elif is_pipe_or_device(path):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
