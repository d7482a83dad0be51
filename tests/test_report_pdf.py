"""The demo PDF: parts, domains, page numbers, outline, metadata and attachments."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess
from srm_tui.engine.pack_loader import load_pack
from srm_tui.resources import example_answers

PARTS = (
    "Contents",
    "Executive summary",
    "Responsibility matrix",
    "Belief check",
    "Your checklist",
    "From your providers",
    "Answers given",
    "Methodology",
    "Glossary",
)


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """``srm demo -o demo.pdf`` run once, from a folder outside the repository."""
    folder = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "SRM_CONFIG": str(folder / "none.toml")}
    proc = subprocess.run(
        [sys.executable, "-m", "srm_tui", "demo", "-o", "demo.pdf"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return folder / "demo.pdf"


@pytest.fixture(scope="session")
def reader(demo) -> PdfReader:
    return PdfReader(demo)


@pytest.fixture(scope="session")
def text(reader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _titles(outline) -> list[str]:
    out = []
    for item in outline:
        if isinstance(item, list):
            out += _titles(item)
        else:
            out.append(item.title)
    return out


def test_demo_has_the_client_the_matrix_and_every_domain(reader, text):
    pack = load_pack()
    client = load_answers(example_answers(), pack).meta["client"]
    assert len(reader.pages) >= 12
    assert client in text
    assert "Responsibility matrix" in text and "Physical data centre" in text
    for domain in pack.domains:
        assert domain.title in text, domain.title


def test_every_page_after_the_cover_says_page_x_of_y(reader):
    total = len(reader.pages)
    for number, page in enumerate(reader.pages[1:], start=2):
        assert f"Page {number} of {total}" in page.extract_text()


def test_contents_lists_page_numbers(reader):
    contents = reader.pages[1].extract_text()
    assert re.search(r"Executive summary\W+3\b", contents), contents[:300]


def test_each_matrix_row_stays_on_one_page(reader):
    """A layer's name and its explanation are printed on the same page: rows do not break."""
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    matrix = [page for page in pages if "· Responsibility matrix" in page]
    layers = load_pack().layers
    assert matrix and layers
    for layer in layers:
        explanation = " ".join(layer.explanation.split())
        assert any(layer.title in page and explanation in page for page in matrix), layer.title


def test_the_summary_names_every_service_in_scope(reader):
    """The services in scope are listed under the summary's opening sentence."""
    pack = load_pack()
    services = assess(pack, load_answers(example_answers(), pack)).services
    summary = " ".join(reader.pages[2].extract_text().split())
    assert "Executive summary" in summary and "Services in scope" in summary
    assert services and all(f"{s.name} (" in summary for s in services)


def test_the_open_gaps_stay_with_their_heading(reader):
    """The summary's list of the most important gaps is not split from its heading."""
    pack = load_pack()
    gaps = assess(pack, load_answers(example_answers(), pack)).gaps[:8]
    pages = [page.extract_text() for page in reader.pages]
    page = next(p for p in pages if "Most important open gaps" in p)
    assert len(gaps) == 8
    assert all(f"{g.control.id} {g.control.title}" in " ".join(page.split()) for g in gaps)
    assert "High priority" in page and "High Priority" not in page


def test_outline_has_every_part_and_domain(reader):
    titles = _titles(reader.outline)
    for part in PARTS:
        assert part in titles
    for domain in load_pack().domains:
        assert domain.title in titles


def test_demo_shows_the_belief_check(reader, text):
    pack = load_pack()
    result = assess(pack, load_answers(example_answers(), pack))
    critical = sum(1 for b in result.beliefs if b.danger == "critical")
    assert critical and "Belief check" in reader.pages[1].extract_text()
    summary = text[text.index("Executive summary Northwind") :][:1500]
    assert f"{critical} dut" in summary and "believed to be the provider's" in summary
    part = text[text.index("Belief check Before") :]
    assert f"{len(result.beliefs)} of " in part and "CRITICAL" in part
    assert "Disagreements to discuss" not in text and "Changes since" not in text


def test_metadata_names_the_document(reader):
    meta = reader.metadata
    assert "Northwind" in meta.title
    assert meta.author and meta.subject


def test_answers_and_assessment_are_attached(demo, reader):
    files = reader.attachments
    assert set(files) == {"answers.yaml", "assessment.json"}
    assert files["answers.yaml"][0] == example_answers().read_bytes()
    data = json.loads(files["assessment.json"][0])
    given = yaml.safe_load(example_answers().read_text())
    catalog = yaml.safe_load((example_answers().parent.parent / "controls.yaml").read_text())
    assert data["questionnaire"] == "cloud-srm@1.0.0"
    assert data["meta"]["client"] == "Northwind Traders Ltd"
    assert data["meta"]["date"] == "2026-11-28"
    assert sorted(s["id"] for s in data["services"]) == sorted(given["answers"]["services"])
    assert data["models_in_scope"] == ["on_prem", "iaas", "paas", "saas"]
    assert [c["id"] for c in data["controls"]] == [c["id"] for c in catalog["controls"]]
    controls = {c["id"]: c for c in data["controls"]}
    # "No" to MFA for everyone, and legacy sign-ins among the gaps (the pack's effects).
    assert controls["IAM-01"]["status"] == "not_implemented"
    assert controls["IAM-01"]["answered_by"] == ["mfa_all"]
    assert controls["IAM-11"]["status"] == "not_implemented"
    assert "mfa_gaps" in controls["IAM-11"]["answered_by"]
    assert sum(data["shares"]["overall"].values()) == pytest.approx(1)


def test_pdf_is_tagged_and_private(demo, reader):
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert demo.stat().st_mode & 0o777 == 0o600
    assert io.BytesIO(demo.read_bytes()).getvalue().startswith(b"%PDF-")


def test_every_printed_duty_and_evidence_item_has_a_tick_box(reader, text):
    """Tick boxes are drawn images: one per duty on the customer's side and per evidence item."""
    from srm_tui.report.config import Branding
    from srm_tui.report.context import build_context

    pack = load_pack()
    context = build_context(assess(pack, load_answers(example_answers(), pack)), Branding(), None)
    duties = [c for domain in context["domains"] for c in domain["checklist"]]
    boxes = len(duties) + sum(len(c["evidence"]) for c in duties)
    drawn = 0
    for page in reader.pages:
        drawn += len(re.findall(rb"/\S+ Do\b", page.get_contents().get_data()))
    assert drawn >= boxes > 100
    assert all(c["id"] in text for c in duties)


def test_methodology_lists_each_source_with_its_link_and_date_read(reader, text):
    pack = load_pack()
    sources = assess(pack, load_answers(example_answers(), pack)).sources
    links = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    }
    assert len(sources) > 10
    for source in sources:
        assert " ".join(source.title.split()) in text, source.title
        assert source.url in links, source.url
    for read in {s.read for s in sources}:
        assert f"READ {read}" in text
