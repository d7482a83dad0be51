"""Shared fixtures: the default pack, a writable copy of it, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from srm_tui.engine.pack import load_pack
from srm_tui.resources import example_answers, questionnaires_dir


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user's data or config folders."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SRM_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("SRM_CONFIG", str(base / "config.toml"))


@pytest.fixture(scope="session")
def pack():
    return load_pack()


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    """A writable copy of the default pack, for tests that break it on purpose."""
    target = tmp_path / "pack"
    shutil.copytree(questionnaires_dir() / "cloud-srm", target)
    return target


@pytest.fixture
def example() -> Path:
    return example_answers()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
