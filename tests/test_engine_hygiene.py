"""The engine imports no UI or PDF library, and ``srm --help`` stays light."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import click
import pytest

from srm_tui.cli import cli

HEAVY = ("textual", "questionary", "weasyprint", "rich", "prompt_toolkit")


def _imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return {m.split(".")[0] for m in out.stdout.split()}


def _engine_modules() -> list[str]:
    """Every module of the engine package, found on disk so a new one is never missed."""
    import srm_tui.engine as engine

    found = [f"srm_tui.engine.{m.name}" for m in pkgutil.iter_modules(engine.__path__)]
    assert len(found) >= 15, found
    return sorted(found)


def test_engine_imports_no_ui_or_pdf_library():
    code = "\n".join(f"import {m}" for m in _engine_modules())
    code += "\nfrom srm_tui.engine.pack_loader import load_pack\nload_pack()"
    loaded = _imported_after(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_help_imports_neither_textual_nor_weasyprint():
    code = (
        "from srm_tui.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='srm')\nexcept SystemExit:\n    pass"
    )
    loaded = _imported_after(code)
    assert "textual" not in loaded
    assert "weasyprint" not in loaded


def test_every_command_has_help_text(runner):
    assert cli.help
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), f"srm {name} has no help text"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                assert sub.help


def test_a_cached_pack_reaches_the_first_question_without_pydantic_markdown_it_or_yaml():
    """Pydantic checks pack and answers files, markdown-it renders the help pane, PyYAML
    reads and writes files: a pack from the compiled cache and a new engagement's first
    question need none of them."""
    _imported_after("from srm_tui.engine.pack_loader import load_pack\nload_pack()")  # cached
    code = (
        "from srm_tui.engine.answers import AnswersFile\n"
        "from srm_tui.engine.interview import Interview\n"
        "from srm_tui.engine.pack_loader import load_pack\n"
        "import srm_tui.tui.app, srm_tui.tui.screens.interview\n"
        "pack = load_pack()\n"
        "Interview(pack, AnswersFile.new(pack)).assessment()"
    )
    loaded = _imported_after(code)
    assert "pydantic" not in loaded
    assert "markdown_it" not in loaded
    assert "yaml" not in loaded


def test_a_new_engagement_from_a_cached_pack_starts_without_jinja2_or_yaml():
    """A new engagement's visibility is decided when the pack is checked and kept in the
    compiled cache: its first question, position and section counts run no condition."""
    _imported_after("from srm_tui.engine.pack_loader import load_pack\nload_pack()")  # cached
    code = (
        "from srm_tui.engine.answers import AnswersFile\n"
        "from srm_tui.engine.interview import Interview\n"
        "from srm_tui.engine.pack_loader import load_pack\n"
        "pack = load_pack()\n"
        "iv = Interview(pack, AnswersFile.new(pack))\n"
        "print(iv.current_id, iv.position, len(iv.visible), iv.section_progress())"
    )
    loaded = _imported_after(code)
    assert "jinja2" not in loaded
    assert "yaml" not in loaded


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_a_report_without_tracking_loads_no_tracking_models(tmp_path, fmt):
    """The tracking models (pydantic) check what ``srm track`` writes; a report on answers
    with no tracking counts progress from the statuses alone (the PDF attaches the JSON)."""
    out = tmp_path / f"r.{fmt}"
    code = (
        "from srm_tui.cli import cli\n"
        "from srm_tui.resources import example_answers\n"
        f"cli.main(['report', str(example_answers()), '-o', {str(out)!r}, '--format', {fmt!r}],"
        " prog_name='srm', standalone_mode=False)"
    )
    loaded = _imported_after(code)
    assert "IAM-01" in out.read_text()  # the report was written
    assert "pydantic" not in loaded
