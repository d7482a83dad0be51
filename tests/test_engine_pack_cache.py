"""The compiled pack cache: used when the pack is unchanged, rebuilt when it is not."""

from __future__ import annotations

import pytest

from srm_tui.engine import pack_cache, pack_loader
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.interview import Interview


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder and no packs remembered in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(pack_cache.ENV_VAR, str(folder))
    monkeypatch.setattr(pack_loader, "_CACHE", {})
    return folder


@pytest.fixture
def parses(monkeypatch):
    """Counts the times the pack files are parsed and checked."""
    calls = []
    real = pack_loader.parse_pack

    def spy(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(pack_loader, "parse_pack", spy)
    return calls


def test_second_load_comes_from_the_cache(cache, parses, pack_copy, monkeypatch):
    first = pack_loader.load_pack(pack_copy)
    assert len(parses) == 1 and list(cache.glob("pack-*.pickle"))
    monkeypatch.setattr(pack_loader, "_CACHE", {})  # as a new process would start
    second = pack_loader.load_pack(pack_copy)
    assert len(parses) == 1
    assert second is not first and second.ref == first.ref
    assert [q.id for q in second.questions] == [q.id for q in first.questions]
    assert all(q.section in second.sections for q in second.questions)
    # its conditions still work: the interview shows the same questions
    visible = Interview(second, AnswersFile.new(second), autosave=False).visible
    assert [q.id for q in visible] == [
        q.id for q in Interview(first, AnswersFile.new(first), autosave=False).visible
    ]


def test_a_changed_pack_file_is_parsed_again(cache, parses, pack_copy, monkeypatch):
    pack_loader.load_pack(pack_copy)
    questionnaire = pack_copy / "questionnaire.yaml"
    questionnaire.write_text(questionnaire.read_text().replace("title:", "title: Changed", 1))
    monkeypatch.setattr(pack_loader, "_CACHE", {})
    reloaded = pack_loader.load_pack(pack_copy)
    assert len(parses) == 2
    assert reloaded.sections[0].title.startswith("Changed")


# the last names a class where it was pickled before the file schemas moved out of pack
STALE = b"csrm_tui.engine.pack\nAssurance\n."


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x01.", STALE])
def test_a_corrupt_cache_entry_is_ignored_and_rebuilt(cache, parses, pack_copy, content):
    entry = pack_cache.entry(pack_copy.resolve(), pack_loader.PACK_FILES)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(content)
    loaded = pack_loader.load_pack(pack_copy)
    assert len(parses) == 1 and loaded.questions
    assert pack_cache.read(entry) is not None  # written again, readable now


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch, parses, pack_copy):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(pack_cache.ENV_VAR, str(blocker / "cache"))
    monkeypatch.setattr(pack_loader, "_CACHE", {})
    assert pack_loader.load_pack(pack_copy).questions


def test_an_entry_of_another_layout_is_not_read(pack_copy, cache, monkeypatch):
    now = pack_cache.entry(pack_copy.resolve(), pack_loader.PACK_FILES)
    monkeypatch.setattr(pack_cache, "LAYOUT", "1")
    assert pack_cache.entry(pack_copy.resolve(), pack_loader.PACK_FILES) != now
