"""Workshop parts of the report: belief check, disagreements, and changes since last time.

Each part appears, with its contents line and bookmark, only when its data is there:
belief answers, a merged workshop file (``srm merge``), and ``--previous OLD.yaml``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from pdf_support import assert_same_pdf, both
from pypdf import PdfReader

from srm_tui.cli import cli
from srm_tui.engine.answers import load_answers
from srm_tui.engine.assessment import assess
from srm_tui.engine.compare import diff
from srm_tui.engine.pack_loader import load_pack

PACK = Path(__file__).parent / "fixtures" / "report-pack"
HOSTILE = "<b>x</b> {{ 7*7 }}"
BELIEFS = """
  - id: beliefs
    title: Who do you think is responsible?
    questions:
      - {id: belief_check, type: yesno, title: Run the belief check?}
      - id: believe_iaas_os
        type: single
        title: Who patches the operating system of your virtual machines?
        when: "belief_check == 'yes' and 'iaas' in models"
        belief: {layer: operating_system, model: iaas}
        choices:
          - {value: customer, label: We do}
          - {value: provider, label: The cloud provider}
          - {value: shared, label: Both of us}
          - {value: dont_know, label: Don't know}
"""
PARTS = ("Belief check", "Disagreements to discuss", "Changes since 2025-11-28")


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory) -> Path:
    """The small report pack plus a belief check section."""
    target = tmp_path_factory.mktemp("pack") / "pack"
    shutil.copytree(PACK, target)
    questionnaire = target / "questionnaire.yaml"
    questionnaire.write_text(questionnaire.read_text() + BELIEFS)
    return target


def write(path: Path, who: str, date: str = "2026-11-28", **answers) -> Path:
    data = {
        "meta": {"client": "Acme", "assessor": who, "date": date},
        "answers": {"services": ["aws.ec2"], "owner_name": "Dana", **answers},
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def run(runner, pack_dir: Path, *args) -> None:
    result = runner.invoke(cli, [*map(str, args), "-q", str(pack_dir)])
    assert result.exit_code == 0, result.output


def titles(outline) -> list[str]:
    out = []
    for item in outline:
        out += titles(item) if isinstance(item, list) else [item.title]
    return out


def pdf_text(path: Path) -> tuple[str, str, list[str]]:
    """(text of the contents page, text of the whole PDF, outline titles)."""
    reader = PdfReader(path)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return pages[1], " ".join(pages), titles(reader.outline)


@pytest.fixture(scope="module")
def workshop(tmp_path_factory, pack_dir) -> dict[str, Path]:
    """Three participants merged with ``srm merge``, last year's file, and both reports."""
    from click.testing import CliRunner

    runner = CliRunner()
    tmp = tmp_path_factory.mktemp("workshop")
    ana = write(
        tmp / "ana.yaml", "Ana", mfa_all="yes", belief_check="yes", believe_iaas_os="customer"
    )
    ben = write(
        tmp / "ben.yaml", HOSTILE, mfa_all="no", belief_check="yes", believe_iaas_os="provider"
    )
    cy = write(tmp / "cy.yaml", "Cy", mfa_all="yes", belief_check="yes", believe_iaas_os="provider")
    merged = tmp / "merged.yaml"
    run(runner, pack_dir, "merge", ana, ben, cy, "-o", merged)
    old = write(tmp / "old.yaml", "Ana", date="2025-11-28", mfa_all="no")
    old_data = yaml.safe_load(old.read_text())
    old_data["answers"]["services"] = ["aws.ec2", "saas.m365"]
    old.write_text(yaml.safe_dump(old_data))
    run(runner, pack_dir, "report", merged, "-o", tmp / "full.pdf", "--previous", old)
    run(runner, pack_dir, "report", old, "-o", tmp / "plain.pdf")
    return {"merged": merged, "old": old, "full": tmp / "full.pdf", "plain": tmp / "plain.pdf"}


def test_each_part_has_a_contents_line_and_a_bookmark(workshop):
    contents, text, outline = pdf_text(workshop["full"])
    for part in PARTS:
        assert part in outline, part
        assert part in contents, part
    assert outline.index("Executive summary") < outline.index(PARTS[2])
    assert outline.index("Responsibility matrix") < outline.index("Belief check")
    assert outline.index("From your providers") < outline.index(PARTS[1])


def test_no_part_without_its_data(workshop):
    contents, text, outline = pdf_text(workshop["plain"])
    for part in PARTS:
        assert part not in outline and part not in contents and part not in text
    assert "believed to be the provider's" not in text
    assert "Executive summary" in outline and "Answers given" in outline


def test_belief_check_lists_the_dangerous_belief_first(workshop):
    _, text, _ = pdf_text(workshop["full"])
    part = text[text.index("Belief check Before") :]
    assert "1 of 1 beliefs differ from the model" in part
    row = part[part.index("Operating system") :]
    assert row.startswith("Operating system Who patches the operating system")
    assert "IaaS Provider Customer CRITICAL" in row
    summary = text[text.index("Executive summary Acme") :]
    assert "1 duty that is Acme's is believed to be the provider's" in summary[:1200]


def test_belief_check_that_matched_says_so(runner, pack_dir, tmp_path):
    answers = write(tmp_path / "a.yaml", "Ana", belief_check="yes", believe_iaas_os="customer")
    run(runner, pack_dir, "report", answers, "-o", tmp_path / "a.html")
    body = (tmp_path / "a.html").read_text()
    assert 'id="beliefs"' in body and "Every belief matched the model" in body
    assert "believed to be the provider" not in body
    answers = write(tmp_path / "b.yaml", "Ana", belief_check="no")
    run(runner, pack_dir, "report", answers, "-o", tmp_path / "b.html")
    assert 'id="beliefs"' not in (tmp_path / "b.html").read_text()


def test_disagreements_name_each_answer_and_the_kept_one(workshop):
    merged = yaml.safe_load(workshop["merged"].read_text())
    assert {d["question"] for d in merged["disagreements"]} == {"mfa_all", "believe_iaas_os"}
    _, text, _ = pdf_text(workshop["full"])
    part = text[text.index("Disagreements to discuss These") :]
    assert f"with Ana, {HOSTILE}, Cy" in part
    mfa = part[part.index("FACT Is MFA required") :]
    assert mfa.startswith(
        f"FACT Is MFA required for every person who signs in? Ana Yes {HOSTILE} No Cy Yes KEPT Yes"
    )
    belief = part[part.index("BELIEF Who patches") :]
    assert "Ana We do" in belief and f"{HOSTILE} The cloud provider" in belief
    assert "KEPT The cloud provider" in belief


def test_changes_since_the_previous_assessment(workshop):
    _, text, _ = pdf_text(workshop["full"])
    part = text[
        text.index("Changes since 2025-11-28 This") : text.index("Responsibility matrix Who")
    ]
    assert "SERVICES REMOVED Microsoft 365" in part
    assert "All services 67% → 67%" in part and "SaaS 33% → – out of scope" in part
    assert "IAM-01" in part and "Not implemented → Implemented" in part


def test_json_and_markdown_carry_the_changes(runner, pack_dir, workshop, tmp_path):
    new, old = workshop["merged"], workshop["old"]
    run(runner, pack_dir, "report", new, "-o", tmp_path / "c.json", "--previous", old)
    data = json.loads((tmp_path / "c.json").read_text())
    pack = load_pack(pack_dir)
    expected = diff(assess(pack, load_answers(old, pack)), assess(pack, load_answers(new, pack)))
    assert data["changes"] == json.loads(json.dumps(expected, default=str))
    run(runner, pack_dir, "report", new, "-o", tmp_path / "c.md", "--previous", old)
    body = (tmp_path / "c.md").read_text()
    assert "## Changes since 2025-11-28" in body and "**IAM-01**" in body
    run(runner, pack_dir, "report", new, "-o", tmp_path / "d.json")
    assert "changes" not in json.loads((tmp_path / "d.json").read_text())


def test_previous_applies_to_each_of_several_files(runner, pack_dir, workshop, tmp_path):
    other = tmp_path / "other.yaml"
    shutil.copy(workshop["merged"], other)
    out = tmp_path / "out"
    run(runner, pack_dir, "report", workshop["merged"], other, "--format", "json", "-o", out,
        "--previous", workshop["old"])  # fmt: skip
    for name in ("merged.json", "other.json"):
        assert json.loads((out / name).read_text())["changes"]["old"]["date"] == "2025-11-28"


def test_missing_previous_is_one_line(runner, pack_dir, workshop, tmp_path):
    missing = tmp_path / "nope.yaml"
    args = ["report", str(workshop["merged"]), "-o", str(tmp_path / "x.pdf")]
    result = runner.invoke(cli, [*args, "--previous", str(missing), "-q", str(pack_dir)])
    assert result.exit_code == 2
    assert result.output == f"srm: error: {missing}: --previous: answers file not found\n"
    assert not (tmp_path / "x.pdf").exists()


def test_hostile_workshop_text_stays_inert(runner, pack_dir, workshop, tmp_path):
    out = tmp_path / "w.html"
    run(runner, pack_dir, "report", workshop["merged"], "-o", out, "--previous", workshop["old"])
    body = out.read_text()
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt; {{ 7*7 }}" in body


def test_hand_edited_disagreements_do_not_break_the_report(runner, pack_dir, tmp_path):
    answers = write(tmp_path / "junk.yaml", "Ana")
    data = yaml.safe_load(answers.read_text())
    data["participants"] = ["Ana", {"x": 1}]
    data["disagreements"] = [
        "just text",
        {"question": "mfa_all", "answers": [{"by": "Ana", "value": {"a": "b"}}, "oops"]},
        {"question": "gone", "title": "Old <q>", "kind": "odd", "answers": [{"by": "Cy"}]},
    ]
    answers.write_text(yaml.safe_dump(data))
    run(runner, pack_dir, "report", answers, "-o", tmp_path / "j.html")
    body = (tmp_path / "j.html").read_text()
    part = body[body.index('id="disagreements"') : body.index('id="answers"')]
    assert part.count('class="disagreement"') == 2
    assert "Is MFA required for every person who signs in?" in part and "Old &lt;q&gt;" in part


def test_two_cores_make_the_same_workshop_report(workshop, pack_dir, monkeypatch):
    """Changes, belief check and disagreements, with a hostile assessor's name in them."""
    pack = load_pack(pack_dir)
    merged = assess(pack, load_answers(workshop["merged"], pack))
    previous = assess(pack, load_answers(workshop["old"], pack))
    assert_same_pdf(*both(merged, monkeypatch, previous=previous))
