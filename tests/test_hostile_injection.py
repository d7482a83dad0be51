"""Untrusted text is inert: HTML, CSS, SVG, URLs and template syntax show literally.

Client names, notes, text answers and every text of a custom pack go through
``srm assess`` (text and JSON) unevaluated, and nothing is fetched: a local listener
would see any connection an URL in the text caused.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from srm_tui.cli import cli
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.interview import Interview
from srm_tui.engine.pack_loader import load_pack

BASE_PACK = Path(__file__).parent / "hostile" / "base-pack"


def hostile_texts(url: str) -> list[str]:
    return [
        "{{ 7*7 }}",
        "{% raw %}{{ 7*7 }}{% endraw %}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "${7*7} #{7*7} <%= 7*7 %>",
        f"<script src='{url}/s.js'>alert(1)</script>",
        f'<img src="{url}/i.png" onerror="alert(1)">',
        f"<style>@import url({url}/c.css); body {{ background: url({url}/b.png) }}</style>",
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{url}/v.svg"/></svg>',
        f"[click]({url}/md) ![pic]({url}/pic.png) <{url}/auto>",
        f"{url}/plain file:///etc/passwd",
        "=cmd|' /C calc'!A0",
        "&lt;b&gt; &amp; \"quotes\" 'single'",
    ]


def _set_texts(pack: Path, text: str) -> None:
    """Put ``text`` into every kind of text a pack holds."""

    def edit(name, fn):
        data = yaml.safe_load((pack / name).read_text())
        fn(data)
        (pack / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    def controls(d):
        for c in d["controls"]:
            c.update(title=f"{c['id']} {text}", what=text, evidence=[text], from_provider=text)
        d["domains"][0]["title"] = text

    def services(d):
        d["services"][0]["name"] = f"VM {text}"
        d["providers"][0]["name"] = text

    def questionnaire(d):
        q = d["sections"][1]["questions"][0]
        q.update(title=text, help=f"**help** {text}")
        d["sections"][0]["title"] = text

    edit("controls.yaml", controls)
    edit("services.yaml", services)
    edit("layers.yaml", lambda d: d["layers"][0].update(title=text, explanation=text))
    edit("questionnaire.yaml", questionnaire)


@pytest.mark.parametrize("index", range(12))
def test_assess_prints_hostile_text_literally(runner, tmp_path, listener, index):
    url, hits = listener
    text = hostile_texts(url)[index]
    pack = tmp_path / "pack"
    shutil.copytree(BASE_PACK, pack)
    _set_texts(pack, text)
    answers = tmp_path / "answers.yaml"
    data = {
        "meta": {"client": text, "scope": text, "assessor": text},
        "answers": {"services": ["acme.vm"], "mfa": "no", "owner_name": text, "remarks": text},
        "notes": {"mfa": text},
    }
    answers.write_text(yaml.safe_dump(data, allow_unicode=True))
    before = answers.read_bytes()

    result = runner.invoke(cli, ["validate", str(pack)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["assess", str(answers), "-q", str(pack)])
    assert result.exit_code == 0, result.output
    assert text in result.output  # the client line, service names, control titles
    assert result.output.count(text) >= 3

    result = runner.invoke(cli, ["assess", "--json", str(answers), "-q", str(pack)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["meta"]["client"] == text and out["meta"]["scope"] == text
    assert out["services"][0]["name"] == f"VM {text}"
    for control in out["controls"]:
        assert control["title"] == f"{control['id']} {text}"
        assert control["what"] == text and control["evidence_to_collect"] == [text]
    if "7*7" in text:
        assert "49" not in json.dumps(out["meta"])

    assert answers.read_bytes() == before
    assert hits == [], "something fetched a URL from the text"


def test_hostile_text_round_trips_through_the_interview(tmp_path, listener):
    url, hits = listener
    pack = load_pack(BASE_PACK)
    path = tmp_path / "answers.yaml"
    texts = hostile_texts(url)
    interview = Interview(pack, AnswersFile.new(pack, path, client=texts[0], scope=texts[4]))
    interview.answer("owner_name", texts[2])
    interview.answer("remarks", "\n".join(texts))
    interview.set_note("mfa", texts[7])
    reread = load_answers(path, pack)
    assert reread.meta["client"] == texts[0] and reread.meta["scope"] == texts[4]
    assert reread.answers["owner_name"] == texts[2]
    assert reread.answers["remarks"] == "\n".join(texts)
    assert reread.notes["mfa"] == texts[7]
    assert hits == []


@pytest.mark.parametrize("fmt", ["html", "md", "csv"])
def test_report_escapes_hostile_text(runner, tmp_path, listener, fmt):
    if "report" not in cli.commands:
        pytest.skip("srm report is not available in this build")
    url, hits = listener
    if fmt == "csv":
        _csv_reads_back_literally(runner, tmp_path, url)
        assert hits == []
        return
    text = f'<script>alert(1)</script><img src="{url}/i.png"> [s]({url}/l) **b** _i_ {{{{ 7*7 }}}}'
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        yaml.safe_dump({"meta": {"client": text}, "answers": {"services": ["acme.vm"]}})
    )
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(
        cli, ["report", str(answers), "-o", str(out), "--format", fmt, "-q", str(BASE_PACK)]
    )
    assert result.exit_code == 0, result.output
    body = out.read_text()
    if fmt == "html":
        assert "{{ 7*7 }}" in body
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    else:
        # Rendered as a wiki would, the client's name is text: no element, no link.
        from markdown_it import MarkdownIt

        rendered = MarkdownIt("commonmark").render(body)
        assert not re.search(r"<(script|img|a)\b", rendered), rendered[:400]
        title = rendered.splitlines()[0]  # the heading holds the client's name
        assert not re.search(r"<(strong|em)\b", title), title
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in title
        assert "**b** _i_ {{ 7*7 }}" in title
    assert hits == []


def _csv_reads_back_literally(runner, tmp_path: Path, url: str) -> None:
    """The CSV has no client field and doubles quotes, so it is read back, not searched:
    hostile pack texts come back as written, and a leading formula character is defused."""
    text = f'=HYPERLINK("{url}/x") <script>alert(1)</script> {{{{ 7*7 }}}} \'q\' "dq"'
    pack = tmp_path / "pack"
    shutil.copytree(BASE_PACK, pack)
    _set_texts(pack, text)
    answers = tmp_path / "answers.yaml"
    data = {"meta": {"client": text}, "answers": {"services": ["acme.vm"], "remarks": text}}
    answers.write_text(yaml.safe_dump(data, allow_unicode=True))
    out = tmp_path / "report.csv"
    result = runner.invoke(cli, ["report", str(answers), "-o", str(out), "-q", str(pack)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows
    for row in rows:
        assert row["title"] == f"{row['id']} {text}"  # not leading: kept as written
        assert row["evidence_to_collect"] == "'" + text  # leading "=": shown as text, never run
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())
