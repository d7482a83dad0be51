"""Nothing important is cut: titles, options, section names and table cells use the
width they have, at 80x24 and at 160x48 (read from what the screen shows)."""

from __future__ import annotations

import html
import re
from collections import defaultdict

import pytest
from tui_support import TODAY, built, no_blink

from srm_tui.engine.answers import load_answers
from srm_tui.engine.pack_loader import load_pack
from srm_tui.resources import example_answers
from srm_tui.tui.app import SrmApp
from srm_tui.tui.widgets.bar import ResponsibilityBar

SIZES = [(80, 24), (160, 48)]
CELL = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">([^<]*)</text>'
)


def screen_lines(app) -> list[str]:
    """The screen as text lines, from Textual's own SVG screenshot."""
    rows: dict[int, dict[int, str]] = defaultdict(dict)
    for x, length, line, text in CELL.findall(app.export_screenshot()):
        text = html.unescape(text).replace("\n", "").replace("\xa0", " ")
        if not text:
            continue
        column = round(float(x) / (float(length) / len(text)))
        for i, char in enumerate(text):
            rows[int(line)][column + i] = char
    return ["".join(r.get(c, " ") for c in range(max(r) + 1)) for _, r in sorted(rows.items())]


def example_app(tmp_path, position: str | None = None) -> SrmApp:
    pack = load_pack()
    path = tmp_path / "northwind.yaml"
    path.write_bytes(example_answers().read_bytes())
    answers = load_answers(path, pack)
    if position:
        answers.position = position
    no_blink()
    return SrmApp(pack, answers=answers, today=TODAY)


def words(text: str) -> list[str]:
    return text.replace("…", " ").split()


@pytest.mark.parametrize("size", SIZES)
async def test_interview_cuts_no_option_title_or_section(tmp_path, size):
    app = example_app(tmp_path, position="encryption_at_rest")
    async with app.run_test(size=size) as pilot:
        await built(pilot)
        shown = screen_lines(app)
        text = "\n".join(shown)
        assert "…" not in text, text
        flat = " ".join(words(text))
        for label in [c.label for c in app.pack.choices(app.interview.current.q)]:
            assert " ".join(label.split()) in flat or all(w in flat for w in label.split())
        for section in app.pack.sections:
            assert all(w in flat for w in section.title.split()), section.title
        if size == (160, 48):
            for section in app.pack.sections:
                assert any(section.title in line for line in shown), section.title


@pytest.mark.parametrize("size", SIZES)
async def test_review_shows_whole_questions_and_answers(tmp_path, size):
    app = example_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        shown = screen_lines(app)
        text = "\n".join(shown)
        table_text = "\n".join(shown[2:-1])
        assert "…" not in table_text, table_text
        first = app.interview.visible[:4]
        for cq in first:
            assert all(w in text for w in cq.q.title.split()), cq.q.title
        if size == (160, 48):  # the question column is far wider than 36 characters
            for cq in [cq for cq in app.interview.visible[:12] if len(cq.q.title) <= 60]:
                assert any(cq.q.title in line for line in shown), cq.q.title


async def test_controls_titles_use_the_width_at_160(tmp_path):
    app = example_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#tabs").active = "tab-controls"
        await pilot.pause()
        shown = screen_lines(app)
        titles = [r.control.title for r in app.screen._shown[:10]]
        for title in titles:
            assert any(title in line for line in shown), title


@pytest.mark.parametrize("size", SIZES)
async def test_split_bars_end_together(tmp_path, size):
    app = example_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        bars = list(app.screen.query(ResponsibilityBar))
        assert len(bars) >= 3
        assert len({b.region.right for b in bars}) == 1
        assert len({b.region.x for b in bars}) == 1
        lengths = {b.render_line(0).cell_length for b in bars}
        assert lengths == {bars[0].region.width}


async def test_review_without_notes_has_no_cut_note_column(tmp_path):
    from tui_support import answers_file, make_app

    app = make_app(answers_file(tmp_path / "a.yaml", {"hosting": "cloud"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        header = screen_lines(app)[2].split()
        assert header == ["#", "Question", "Answer"]
