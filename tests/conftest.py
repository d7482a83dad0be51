"""Shared fixtures: the default pack, a writable copy of it, and a CLI runner."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from srm_tui.engine.pack_loader import load_pack
from srm_tui.resources import example_answers, questionnaires_dir


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Compiled packs go to a folder of this test session, never the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SRM_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user's data or config folders."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SRM_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("SRM_CONFIG", str(base / "config.toml"))


@pytest.fixture(autouse=True)
def _no_background_pdf(monkeypatch):
    """Apps in tests render no PDF in the background unless a test asks for it
    (``make_app(prerender=True)``): elsewhere it would load the machine for nothing."""
    from srm_tui.tui.prerender import Prerender

    monkeypatch.setattr(Prerender, "enabled", False)


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


@pytest.fixture
def listener():
    """A TCP server on 127.0.0.1; yields (its URL, the requests it received).

    Hostile text points here: a test passes only if nothing ever connects.
    """
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    hits.append(conn.recv(1024))
                except OSError:
                    hits.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", hits
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """The folder the app is started in."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder
