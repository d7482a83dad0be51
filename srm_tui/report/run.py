"""What ``srm report``, ``srm demo`` and ``srm config`` do, behind their click options."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from srm_tui.engine.errors import InputError
from srm_tui.report import FORMATS, suffix
from srm_tui.report.config import config_path, load_branding, with_flags


def pick_format(fmt: str | None, out: Path | None) -> str:
    """``--format`` if given, else the output's suffix when it names a format, else PDF."""
    if fmt:
        return fmt
    name = out.name.lower() if out is not None else ""
    named = [f for f in FORMATS if name.endswith(suffix(f))]
    return max(named, key=lambda f: len(suffix(f))) if named else "pdf"


def options(flags: dict[str, Any]) -> dict[str, Any]:
    """``write_report`` options from the config file overlaid with command-line flags."""
    branding = with_flags(
        load_branding(),
        firm=flags.get("firm"),
        logo=flags.get("logo"),
        accent=flags.get("accent"),
        classification=flags.get("classification"),
    )
    template_dir = flags.get("template_dir")
    if template_dir is not None and not Path(template_dir).is_dir():
        raise InputError(template_dir, None, "template folder not found")
    previous = flags.get("previous")
    if previous is not None and not Path(previous).is_file():
        raise InputError(previous, None, "--previous: answers file not found")
    return {
        "branding": branding,
        "template_dir": template_dir,
        "pdf_variant": flags.get("pdf_variant"),
        "fillable": bool(flags.get("fillable")),
        "previous": flags.get("previous"),
    }


def make_folder(folder: Path) -> list[Path]:
    """One rule for every output: missing folders on the way are created. Returns the
    folders made, deepest first, for :func:`remove_folders` if nothing is written."""
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(folder, None, f"cannot create the folder: {exc.strerror or exc}") from None
    return made


def remove_folders(made: list[Path]) -> None:
    """Remove the folders :func:`make_folder` made, where they are still empty: bad input
    leaves nothing behind, not even the folder its report would have gone to."""
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or gone): neither it nor its parents are ours to remove


class TerminalProgress:
    """The render's current step on one stderr line, rewritten in place; the PDF takes
    seconds, and a terminal that shows nothing meanwhile looks stuck. Only used when
    stderr is a terminal, so piped output and scripts see nothing extra."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def __call__(self, step: str, pages: int | None) -> None:
        from srm_tui.report import step_text

        self.stream.write(f"\r\x1b[K{step_text(step, pages)}…")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def report(
    answers: list[Path], out: Path | None, fmt: str | None, pack_name: str | None, flags: dict
) -> None:
    from srm_tui.report.batch import render_file, render_many

    opts = options(flags)
    if len(answers) == 1 and not (out is not None and out.is_dir()):
        fmt = pick_format(fmt, out)
        target = out or answers[0].with_suffix(suffix(fmt))
        made = make_folder(target.parent)
        shown = TerminalProgress(sys.stderr) if sys.stderr.isatty() else None
        try:
            written, problem = render_file(
                answers[0], target, fmt, pack_name, {**opts, "progress": shown}
            )
        finally:
            if shown is not None:
                shown.clear()
        if problem:
            remove_folders(made)
            raise InputError(None, None, problem)  # already names file and place
        click.echo(f"wrote {written}", err=True)
        return
    fmt = pick_format(fmt, None)
    if out is None:
        raise InputError(None, "-o", "several answers files need an output folder (-o FOLDER)")
    made = make_folder(out)
    workers = max(1, min(len(answers), os.cpu_count() or 1))
    if sys.stderr.isatty():
        with click.progressbar(length=len(answers), label="Rendering", file=sys.stderr) as bar:
            results = render_many(answers, out, fmt, pack_name, opts, workers, bar.update)
    else:
        results = render_many(answers, out, fmt, pack_name, opts, workers)
    problems = [p for _, p in results if p]
    for written, problem in results:
        if problem:
            click.echo(f"srm: error: {problem}", err=True)
        else:
            click.echo(f"wrote {written}", err=True)
    if problems:
        if len(problems) == len(results):
            remove_folders(made)
        sys.exit(2)


def show_config() -> None:
    path = config_path()
    state = "found" if path.is_file() else "not found; defaults in use"
    click.echo(f"config file: {path} ({state})")
    for key, value in load_branding(path).to_display().items():
        click.echo(f"  {key} = {value!r}")
    if not path.is_file():
        click.echo(
            'example:\n  [report]\n  firm = "Example Consulting"\n  logo = "logo.png"\n'
            '  accent = "#1f5f8b"\n  classification = "Confidential"'
        )
