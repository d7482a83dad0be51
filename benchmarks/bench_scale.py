"""How report time grows with the number of controls in the catalog.

Generated packs (the default pack with its control catalog grown to N controls, each a
copy of a real control's text under a new id, so domains, layers and text lengths stay
realistic) are rendered to PDF for the bundled example engagement, once per size. Sizes
start above the default pack's 108 controls, which the questionnaire refers to.
Prints seconds per N and per control, and a least-squares line (slope, intercept, R²):
growth is linear when R² is close to 1.

A 1,000-control PDF takes well over a minute here, more than the whole suite's budget
leaves, so by default the sizes stop at 220; ``--full`` (or ``SRM_BENCH_FULL=1``, set by
``run.py --full``) adds 1,000 controls and renders that report's HTML with WeasyPrint
alone too (goal: pipeline at most 1.15x WeasyPrint alone).

Prints a Markdown table; asserts nothing.
Run: ``python benchmarks/bench_scale.py [--full] [--sizes 110,160,220]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_PACK = ROOT / "tests" / "fixtures" / "report-pack"
SIZES = (110, 160, 220)
FULL_SIZES = (110, 250, 500, 1000)


def write_pack(folder: Path, controls: int) -> Path:
    """A copy of the default pack whose catalog holds ``controls`` controls.

    The real controls stay (the questionnaire and services refer to them); the rest are
    copies of them in turn under ids like ``GOV-01.2``, in the same domain and layer.
    """
    import yaml

    from srm_tui.resources import questionnaires_dir

    pack = folder / f"pack-{controls}"
    shutil.copytree(questionnaires_dir() / "cloud-srm", pack)
    path = pack / "controls.yaml"
    doc = yaml.safe_load(path.read_text())
    real = doc["controls"]
    if controls < len(real):
        raise SystemExit(f"at least {len(real)} controls: the questionnaire refers to them all")
    grown = list(real)
    everywhere = doc["customer_in_every_model"]["controls"]
    copy = 1
    while len(grown) < controls:
        for control in real[: controls - len(grown)]:
            grown.append(
                {
                    **control,
                    "id": f"{control['id']}.{copy}",
                    "title": f"{control['title']} (variant {copy})",
                }
            )
            if control["id"] in everywhere:  # a copy keeps its original's owner
                everywhere.append(grown[-1]["id"])
        copy += 1
    doc["controls"] = grown
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return pack


def report_time(pack_dir: Path, out: Path) -> tuple[float, int, object]:
    """Seconds to write the example engagement's PDF with this pack, pages, assessment."""
    from pypdf import PdfReader

    from srm_tui.engine.answers import load_answers
    from srm_tui.engine.assessment import assess
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.report import write_report
    from srm_tui.resources import example_answers

    start = time.perf_counter()
    pack = load_pack(pack_dir)
    assessment = assess(pack, load_answers(example_answers(), pack))
    write_report(assessment, out, "pdf")
    seconds = time.perf_counter() - start
    return seconds, len(PdfReader(out).pages), assessment


def warm(work: Path) -> None:
    """Load fonts, templates and imports once, with the small test pack."""
    from srm_tui.engine.answers import load_answers
    from srm_tui.engine.assessment import assess
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.report import write_report

    answers = work / "warm.yaml"
    answers.write_text("answers: {services: [aws.ec2]}\n")
    small = load_pack(SMALL_PACK)
    write_report(assess(small, load_answers(answers, small)), work / "warm.pdf", "pdf")


def weasyprint_alone(assessment) -> float:
    """Seconds for WeasyPrint alone to render the HTML our pipeline hands it."""
    import weasyprint

    from srm_tui.report.context import build_context
    from srm_tui.report.html import render_html, template_roots

    roots = template_roots()
    html = render_html(build_context(assessment), roots)
    base = (roots[-1] / "report").as_uri() + "/"
    start = time.perf_counter()
    weasyprint.HTML(string=html, base_url=base).write_pdf(pdf_tags=True, full_fonts=True)
    return time.perf_counter() - start


def fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least-squares line through the points: slope, intercept, R²."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = my - slope * mx
    ss_res = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys)
    return slope, intercept, 1 - ss_res / ss_tot if ss_tot else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="add 1,000 controls")
    parser.add_argument("--sizes", help="control counts, comma-separated")
    args = parser.parse_args()
    full = args.full or os.environ.get("SRM_BENCH_FULL") == "1"
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else FULL_SIZES if full else SIZES

    work = Path(tempfile.mkdtemp(prefix="srm-scale-"))
    try:
        warm(work)
        points = []
        for n in sizes:
            seconds, pages, assessment = report_time(write_pack(work, n), work / f"r{n}.pdf")
            points.append((n, seconds, pages))
        alone = weasyprint_alone(assessment) if full else None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    slope, intercept, r2 = fit([p[0] for p in points], [p[1] for p in points])
    print("## Report time against catalog size (bench_scale.py)\n")
    print("| controls | pages | report time | per control | the line predicts |")
    print("|---:|---:|---:|---:|---:|")
    for n, seconds, pages in points:
        print(
            f"| {n:,} | {pages} | {seconds:.2f} s | {seconds / n * 1000:.0f} ms "
            f"| {intercept + slope * n:.2f} s |"
        )
    print("\n| measure | value | goal | goal met |\n|---|---:|---|---|")
    print(f"| line: seconds per control (slope) | {slope * 1000:.0f} ms | | |")
    print(f"| line: fixed cost (intercept) | {intercept:.2f} s | | |")
    linear = "met" if r2 >= 0.98 else "not met"
    print(f"| line: R² | {r2:.4f} | linear: R² ≥ 0.98 | {linear} |")
    if alone is not None:
        largest, ours = points[-1][0], points[-1][1]
        within = "met" if ours / alone <= 1.15 else "not met"
        ratio = f"{ours / alone:.2f}×"
        print(f"| {largest:,} controls: WeasyPrint alone, same HTML | {alone:.2f} s | | |")
        print(
            f"| {largest:,} controls: pipeline / WeasyPrint alone | {ratio} | ≤ 1.15× | {within} |"
        )
    print(
        "\nOne render per size, in one warmed process; each time includes loading the pack, "
        "assessing and writing the PDF."
    )


if __name__ == "__main__":
    main()
