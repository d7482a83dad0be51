"""Where the bundled questionnaires and templates are.

In a wheel they sit inside the package; in a source checkout (or editable install)
they sit at the repository's top level, beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def questionnaires_dir() -> Path:
    return _find("questionnaires")


def templates_dir() -> Path:
    return _find("templates")


def example_answers() -> Path:
    """The bundled example engagement used by ``srm demo`` and the tests."""
    return questionnaires_dir() / "cloud-srm" / "examples" / "northwind.yaml"
