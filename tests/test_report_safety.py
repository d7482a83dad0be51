"""Hostile text in a report is shown literally and fetches nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess
from srm_tui.engine.pack_loader import load_pack
from srm_tui.report import write_report
from srm_tui.resources import templates_dir

PACK = Path(__file__).parent / "fixtures" / "report-pack"


def _hostile(tmp_path: Path, url: str) -> tuple[Path, list[str]]:
    pieces = [
        '<img src="file:///etc/hostname">',
        f'<link rel=stylesheet href="{url}/x.css">',
        "{{ 7*7 }}",
        "{{ 'zq' * 3 }}",
    ]
    text = " ".join(pieces)
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        yaml.safe_dump(
            {
                "meta": {"client": text, "scope": text},
                "answers": {"services": ["aws.ec2"], "mfa_all": "yes", "remarks": text},
                "notes": {"mfa_all": text},
            }
        )
    )
    return answers, pieces


def test_hostile_text_in_the_pdf_is_literal_and_fetches_nothing(tmp_path, listener):
    url, hits = listener
    answers, pieces = _hostile(tmp_path, url)
    pack = load_pack(PACK)
    out = write_report(assess(pack, load_answers(answers, pack)), tmp_path / "r.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    for piece in pieces:
        assert piece in text
    # Nothing was evaluated anywhere. (A number such as 49 can't be looked for: the listener's
    # port may hold it and the PDF's text may break the URL across lines.)
    assert "zqzqzq" not in text
    hostname = Path("/etc/hostname")
    if hostname.is_file() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in text
    assert hits == []


def test_hostile_text_in_html_is_escaped(tmp_path, listener):
    url, hits = listener
    answers, pieces = _hostile(tmp_path, url)
    pack = load_pack(PACK)
    out = write_report(assess(pack, load_answers(answers, pack)), tmp_path / "r.html", "html")
    body = out.read_text()
    assert "<img src=" not in body and "&lt;img src=&#34;file:///etc/hostname&#34;&gt;" in body
    assert "{{ 7*7 }}" in body and "<link rel=stylesheet" not in body
    assert hits == []


def test_fetcher_serves_template_assets_only(tmp_path, listener):
    from weasyprint.urls import FatalURLFetchingError

    from srm_tui.report.pdf import asset_fetcher

    url, hits = listener
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n")
    fetcher, _ = asset_fetcher([templates_dir()], [logo])
    font = templates_dir() / "report" / "fonts" / "FiraSans-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    assert fetcher.fetch(logo.as_uri()).read() == logo.read_bytes()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    refused = [
        outside.as_uri(),
        "file:///etc/hostname",
        (templates_dir() / "report" / ".." / ".." / "pyproject.toml").as_uri(),
        f"{url}/x.css",
        "https://example.com/x.css",
        "data:text/css,body{}",
        "ftp://127.0.0.1/x",
    ]
    for target in refused:
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(target)
    assert hits == []


def test_a_template_that_reaches_out_stops_the_render(tmp_path, listener):
    url, hits = listener
    user = tmp_path / "templates" / "report"
    user.mkdir(parents=True)
    (user / "glossary.html.j2").write_text(f'<img src="{url}/pixel.png">')
    pack = load_pack(PACK)
    answers = tmp_path / "a.yaml"
    answers.write_text("answers: {services: [aws.ec2]}\n")
    result = assess(pack, load_answers(answers, pack))
    from srm_tui.engine.errors import InputError

    with pytest.raises(InputError, match="refused to fetch"):
        write_report(result, tmp_path / "r.pdf", template_dir=user.parent)
    assert not (tmp_path / "r.pdf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    assert hits == []
