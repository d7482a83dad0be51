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
    assert fetcher.fetch("data:image/png;base64,iVBORw0K").read() == b"\x89PNG\r\n"
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


TICK_PNG = templates_dir() / "report" / "tick.png"


def _svg_logo(tmp_path: Path, inside: str) -> Path:
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="200" height="60"><rect width="200" height="60" fill="#0b6e4f"/>{inside}</svg>'
    )
    return logo


def _report_with_logo(tmp_path: Path, runner, logo: Path):
    """``srm report`` on a one-service answers file with ``--logo``: the result and the PDF path."""
    from srm_tui.cli import cli

    answers = tmp_path / "a.yaml"
    answers.write_text("answers: {services: [aws.ec2]}\n")
    out = tmp_path / "r.pdf"
    result = runner.invoke(
        cli, ["report", str(answers), "-q", str(PACK), "-o", str(out), "--logo", str(logo)]
    )
    return result, out


def _cover_draws(out: Path, png: Path) -> bool:
    """Whether the PDF's cover holds a picture as wide as ``png`` (read from its header)."""
    width = int.from_bytes(png.read_bytes()[16:20], "big")
    drawn = PdfReader(out).pages[0]["/Resources"]["/XObject"].values()
    return any(x.get_object().get("/Width") == width for x in drawn)


def test_an_svg_logo_draws_the_images_it_holds_inline(tmp_path, runner, caplog):
    """Design tools put a logo's pictures inside the SVG as data: URLs; refusing them broke
    the drawing half-way, and the rest of the cover (its classification mark) went unseen."""
    import base64
    import logging

    picture = base64.b64encode(TICK_PNG.read_bytes()).decode()
    logo = _svg_logo(
        tmp_path, f'<image href="data:image/png;base64,{picture}" width="40" height="40"/>'
    )
    caplog.set_level(logging.WARNING, logger="weasyprint")
    result, out = _report_with_logo(tmp_path, runner, logo)
    assert result.exit_code == 0, result.output
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert _cover_draws(out, TICK_PNG)


@pytest.mark.parametrize(
    "inside",
    [
        '<image xlink:href="http://example.com/x.png" width="10" height="10"/>',
        '<image href="file:///etc/hostname" width="10" height="10"/>',
        '<rect style="fill: url(https://example.com/p.svg#g)" width="5" height="5"/>',
    ],
)
def test_an_svg_logo_that_links_out_is_refused(tmp_path, runner, listener, inside):
    result, out = _report_with_logo(tmp_path, runner, _svg_logo(tmp_path, inside))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 and "logo.svg: links to" in lines[0], result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("logo.png", b"\x89PNG\r\n\x1a\nnot the rest of a picture"), ("logo.jpg", b"hello\n")],
)
def test_a_logo_that_is_not_a_readable_picture_is_refused(tmp_path, runner, name, content):
    """WeasyPrint leaves a damaged picture out without a word; the report says so instead."""
    logo = tmp_path / name
    logo.write_bytes(content)
    result, out = _report_with_logo(tmp_path, runner, logo)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"srm: error: {logo}: not a picture that can be read (damaged or mislabelled)"
    ]
    assert not out.exists()


def test_a_picture_logo_is_drawn_on_the_cover(tmp_path, runner):
    result, out = _report_with_logo(tmp_path, runner, TICK_PNG)
    assert result.exit_code == 0, result.output
    assert _cover_draws(out, TICK_PNG)
