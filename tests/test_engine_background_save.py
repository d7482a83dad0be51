"""Autosave off the screen's thread: in order, atomic, waited for, failures reported."""

from __future__ import annotations

import os
import threading

import pytest
from tui_support import answers_file, fixture_pack, make_app

from srm_tui.engine import yamlio
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.background_save import BackgroundWriter
from srm_tui.engine.interview import Interview


def test_writes_land_in_the_order_asked_and_wait_returns_once_they_are_on_disk(tmp_path):
    path = tmp_path / "a.yaml"
    writer = BackgroundWriter()
    for i in range(200):
        writer.write(path, f"version: {i}\n" + "x" * (i * 37 % 5000))
    writer.wait()
    assert path.read_text().startswith("version: 199\n")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temp file left behind
    writer.close()


def test_a_refused_write_goes_to_on_error_and_the_next_write_still_lands(tmp_path):
    errors: list[tuple[object, OSError]] = []
    writer = BackgroundWriter(on_error=lambda p, e: errors.append((p, e)))
    missing = tmp_path / "gone" / "a.yaml"
    writer.write(missing, "version: 1\n")
    writer.write(tmp_path / "b.yaml", "version: 2\n")
    writer.wait()
    assert [p for p, _ in errors] == [missing]
    assert (tmp_path / "b.yaml").read_text() == "version: 2\n"
    writer.close()


def test_a_write_after_close_is_done_at_once(tmp_path):
    writer = BackgroundWriter()
    writer.close()
    writer.write(tmp_path / "a.yaml", "version: 3\n")
    assert (tmp_path / "a.yaml").read_text() == "version: 3\n"


def test_without_on_error_wait_raises_the_refused_write(tmp_path):
    writer = BackgroundWriter()
    writer.write(tmp_path / "gone" / "a.yaml", "x")
    with pytest.raises(FileNotFoundError):
        writer.wait()
    writer.close()


def test_the_interview_hands_autosaves_to_the_writer_and_save_waits(tmp_path, monkeypatch):
    pack = fixture_pack()
    path = tmp_path / "a.yaml"
    file = AnswersFile.new(pack, path, client="Acme")
    release = threading.Event()
    write_atomic = yamlio.write_atomic

    def slow_disk(*args, **kwargs):
        release.wait(10)
        write_atomic(*args, **kwargs)

    monkeypatch.setattr(yamlio, "write_atomic", slow_disk)
    writer = BackgroundWriter()
    interview = Interview(pack, file, writer=writer)
    interview.answer("services", ["aws.ec2"])
    assert not path.exists()  # queued: the caller did not wait for the disk
    release.set()
    interview.save()
    assert load_answers(path, pack).answers["services"] == ["aws.ec2"]
    writer.close()


async def test_the_app_says_when_the_disk_refuses_the_answers(tmp_path):
    path = answers_file(tmp_path / "acme.yaml", {"services": ["aws.ec2"]}, position="hosting")
    app = make_app(path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        path.unlink()
        path.mkdir()  # the file's place is taken: every write there is refused
        await pilot.press("down", "enter")  # the second choice, stored, on to the next
        await pilot.pause()
        app.writer.wait()
        await pilot.pause(0.2)
        await pilot.pause(0.5)
        toasts = " ".join(str(t.render()) for t in app.screen.query("Toast"))
        assert f"Answers not saved to {path}" in toasts
        assert app.interview.value("hosting") == "hybrid"  # kept in memory
        path.rmdir()
    assert load_answers(path, fixture_pack()).answers["hosting"] == "hybrid"  # saved on leaving
