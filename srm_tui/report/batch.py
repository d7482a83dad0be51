"""Rendering one answers file, in this process or in a worker of a process pool.

``srm report`` with several answers files renders them into one folder, one file
each, using every core: each worker loads the pack once and then renders in turn.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from srm_tui.engine.errors import InputError
from srm_tui.report import suffix


@lru_cache(maxsize=4)
def _pack(pack_name: str | None):
    from srm_tui.engine.pack_loader import load_pack

    return load_pack(pack_name)


def render_file(answers: Path, out: Path, fmt: str, pack_name: str | None, options: dict[str, Any]):
    """Assess ``answers`` and write the report; returns (out, error message or None).

    ``options["previous"]``, an earlier answers file, is assessed with the same pack so
    the report can say what changed since.
    """
    from srm_tui.engine.answers import load_answers
    from srm_tui.engine.assessment import assess
    from srm_tui.report import write_report

    options = dict(options)
    previous = options.pop("previous", None)
    try:
        pack = _pack(pack_name)
        if previous is not None:
            options["previous"] = assess(pack, load_answers(previous, pack))
        result = assess(pack, load_answers(answers, pack))
        write_report(result, out, fmt, **options)
    except InputError as exc:
        return out, exc.message
    return out, None


def output_names(answers: list[Path], folder: Path, fmt: str) -> list[Path]:
    """One output per answers file, named after it; clashing names get a number."""
    seen: dict[str, int] = {}
    out = []
    for path in answers:
        stem = path.stem
        seen[stem] = seen.get(stem, 0) + 1
        name = stem if seen[stem] == 1 else f"{stem}-{seen[stem]}"
        out.append(folder / f"{name}{suffix(fmt)}")
    return out


def render_many(
    answers: list[Path],
    folder: Path,
    fmt: str,
    pack_name: str | None,
    options: dict[str, Any],
    workers: int,
    progress=None,
) -> list[tuple[Path, str | None]]:
    """Render every file with a pool of ``workers`` processes; results in input order."""
    from concurrent.futures import ProcessPoolExecutor

    targets = output_names(answers, folder, fmt)
    results: dict[int, tuple[Path, str | None]] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(render_file, a, t, fmt, pack_name, options): i
            for i, (a, t) in enumerate(zip(answers, targets, strict=True))
        }
        from concurrent.futures import as_completed

        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if progress is not None:
                progress(1)
    return [results[i] for i in range(len(answers))]
