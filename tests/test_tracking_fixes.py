"""Two faults found while adding tracking: YAML aliases in saved files, a CSS rule ignored."""

from __future__ import annotations

import datetime as dt
import logging

from srm_tui.engine import yamlio
from srm_tui.resources import templates_dir


def test_a_value_used_twice_is_written_twice_not_as_an_alias():
    day = dt.date(2026, 12, 2)
    text = yamlio.dump({"due": day, "history": [{"date": day}, {"date": day}]})
    assert "&" not in text and "*" not in text, text
    assert text.count("2026-12-02") == 3


def test_weasyprint_keeps_the_hatched_backgrounds_of_the_legend_keys(caplog):
    from weasyprint import CSS, HTML

    accent = CSS(
        string=":root { --accent: #1f5f8b; --accent-light: #d7e2ea; --accent-mid: #84a7bf }"
    )
    keys = "".join(f'<span class="key key-{k}"></span>' for k in ("shared", "in_progress"))
    sheet = CSS(filename=str(templates_dir() / "report" / "report.css"))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        HTML(string=f"<p>{keys}</p>").write_pdf(stylesheets=[accent, sheet])
    ignored = [r.getMessage() for r in caplog.records if "Ignored `background" in r.getMessage()]
    assert ignored == []
