"""The compiled pack cache: a checked pack kept on disk so an unchanged pack loads at once.

Parsing the YAML of a pack, validating it and compiling its conditions takes longer than
everything else before the first question. A checked :class:`~srm_tui.engine.pack.Pack`
is therefore pickled into the user's cache folder (``platformdirs.user_cache_dir("srm")``,
or ``SRM_CACHE_DIR`` when set, as the tests do), in a file named by a hash of the pack
files' content, the pack's folder, the srm and Python versions, Jinja2's ``__init__.py``
(which holds its version; read, not imported, as a cached pack loads without Jinja2) and
the :data:`LAYOUT` of the pickled classes. A changed file gives another name, so a stale
entry is never read; old entries are left for the system to clean like any cache.

Unpickling runs code chosen by the file, so it is only ever done on our own file: one
this module wrote, atomically and readable by its owner only, in the user's own cache
folder, found by the content hash of the pack it was made from. An entry that cannot be
read or does not hold a pack is ignored and written again; the cache never makes a load
fail, and a cache that cannot be written only costs the time it would have saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sys
from pathlib import Path

from srm_tui import __version__
from srm_tui.engine import yamlio
from srm_tui.engine.pack import Pack

ENV_VAR = "SRM_CACHE_DIR"
# Bump when a pickled class moves to another module or changes its fields: the srm
# version does not change with every commit, and an entry of another layout is not read.
# 2: the file schemas moved from srm_tui.engine.pack to srm_tui.engine.pack_schema.
# 3: the file schemas are dataclasses instead of pydantic models.
# 4: Pack.blank (a new engagement's visibility); the Jinja2 side of conditions moved out.
LAYOUT = "4"


def cache_dir() -> Path:
    """Where compiled packs are kept: ``SRM_CACHE_DIR``, else the user's cache folder."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("srm"))


def entry(folder: Path, names: tuple[str, ...]) -> Path:
    """The cache file for the pack in ``folder`` as its files ``names`` are now."""
    digest = hashlib.sha256()
    for part in (__version__, LAYOUT, sys.version, str(folder)):
        digest.update(part.encode() + b"\0")
    digest.update(_jinja2_init() + b"\0")
    for name in names:
        digest.update(name.encode() + b"\0")
        # Bytes past the size limit cannot change the outcome (the file is refused), and a
        # pipe or device is not read at all: it may never end.
        content = b"\0missing"
        if (folder / name).is_file():
            with contextlib.suppress(OSError), (folder / name).open("rb") as handle:
                content = handle.read(yamlio.MAX_BYTES + 1)
        digest.update(len(content).to_bytes(8, "big") + content)
    return cache_dir() / f"pack-{digest.hexdigest()}.pickle"


def _jinja2_init() -> bytes:
    """The text of Jinja2's ``__init__.py``: the conditions are code Jinja2 generated."""
    spec = importlib.util.find_spec("jinja2")
    if spec is None or spec.origin is None:
        return b""
    return Path(spec.origin).read_bytes()


def read(path: Path) -> Pack | None:
    """The pack stored at ``path``, or None when there is none or it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        pack = pickle.loads(data)  # our own file, named by content hash (see above)
    except Exception:  # a truncated or foreign entry is rebuilt, never an error
        return None
    return pack if isinstance(pack, Pack) else None


def write(path: Path, pack: Pack) -> None:
    """Store ``pack`` at ``path`` atomically; a cache that cannot be written is skipped."""
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        data = pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        yamlio.write_atomic(path, data, mode=0o600)
