"""Compiled report templates are kept in srm's cache folder and never make a report fail."""

from __future__ import annotations

import shutil

import pytest
from jinja2.bccache import bc_magic

from srm_tui.engine import pack_cache
from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess
from srm_tui.report import html
from srm_tui.report.context import build_context
from srm_tui.resources import example_answers, templates_dir


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(pack_cache.ENV_VAR, str(folder))
    return folder / "templates"


@pytest.fixture(scope="module")
def context(pack):
    return build_context(assess(pack, load_answers(example_answers(), pack)))


@pytest.fixture
def compiles(monkeypatch):
    """Counts the templates Jinja2 compiles from their source."""
    calls = []
    real = html.Environment.compile

    def spy(self, source, name=None, filename=None, *args, **kwargs):
        calls.append(name)
        return real(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(html.Environment, "compile", spy)
    return calls


def test_a_second_report_uses_the_compiled_templates(cache, context, compiles):
    roots = html.template_roots()
    first = html.render_html(context, roots)
    assert "report/control.html.j2" in compiles and len(list(cache.iterdir())) == len(compiles)
    compiles.clear()
    assert html.render_html(context, roots) == first
    assert compiles == []


def test_a_changed_template_is_compiled_again(cache, context, compiles, tmp_path):
    mine = tmp_path / "mine" / "report"
    mine.mkdir(parents=True)
    shutil.copy(templates_dir() / "report" / "glossary.html.j2", mine)
    roots = html.template_roots(tmp_path / "mine")
    assert "Glossary" in html.render_html(context, roots)
    page = mine / "glossary.html.j2"
    page.write_text(page.read_text().replace("<h1>Glossary</h1>", "<h1>Terms we use</h1>"))
    compiles.clear()
    text = html.render_html(context, roots)
    assert "Terms we use" in text and compiles == ["report/glossary.html.j2"]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: b"",
        lambda data: b"not a cache entry",
        lambda data: data[: len(bc_magic) + 3],  # in the source's checksum
        lambda data: data[: len(data) // 2],  # in the compiled code
    ],
    ids=["empty", "other", "cut in the checksum", "cut in the code"],
)
def test_a_corrupt_entry_is_compiled_again(cache, context, compiles, spoil):
    roots = html.template_roots()
    first = html.render_html(context, roots)
    for entry in cache.iterdir():
        entry.write_bytes(spoil(entry.read_bytes()))
    compiles.clear()
    assert html.render_html(context, roots) == first
    assert "report/control.html.j2" in compiles


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch, context):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(pack_cache.ENV_VAR, str(blocker / "cache"))
    assert "Glossary" in html.render_html(context, html.template_roots())
