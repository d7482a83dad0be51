"""How long reports take, as ratios against baselines measured in the same run.

1. The full default report (the bundled example engagement as a PDF), in this process.
2. Our whole pipeline (assessment -> context -> Jinja2 -> WeasyPrint with the asset
   fetcher and attachments) against WeasyPrint rendering the same final HTML alone.
   Goal: at most 1.15x.
3. A batch: 20 answers files in one ``srm report`` call against 20 separate calls,
   as HTML so the run stays around a minute (``--pdf`` renders PDFs with the small
   test pack instead, which takes a few minutes).

Prints a Markdown table; asserts nothing. Run: python benchmarks/bench_report.py [--pdf]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_PACK = ROOT / "tests" / "fixtures" / "report-pack"
BATCH = 20


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    import weasyprint

    from srm_tui.engine.answers import load_answers
    from srm_tui.engine.assessment import assess
    from srm_tui.engine.pack import load_pack
    from srm_tui.report import render
    from srm_tui.report.context import build_context
    from srm_tui.report.html import render_html, template_roots
    from srm_tui.resources import example_answers

    work = Path(tempfile.mkdtemp(prefix="srm-bench-"))
    try:
        pack = load_pack()
        answers = load_answers(example_answers(), pack)

        def pipeline() -> None:
            render(assess(pack, answers), "pdf")

        roots = template_roots()
        html = render_html(build_context(assess(pack, answers)), roots)
        base = (roots[-1] / "report").as_uri() + "/"

        def weasyprint_alone() -> None:
            weasyprint.HTML(string=html, base_url=base).write_pdf(pdf_tags=True, full_fonts=True)

        warm = work / "warm.yaml"
        warm.write_text("answers: {services: [aws.ec2]}\n")
        small = load_pack(SMALL_PACK)
        render(assess(small, load_answers(warm, small)), "pdf")  # load fonts and templates
        alone = best_of(1, weasyprint_alone)
        ours = best_of(1, pipeline)
        pages = len(weasyprint.HTML(string=html, base_url=base).render().pages)

        files = []
        for i in range(BATCH):
            path = work / f"client-{i:02d}.yaml"
            path.write_text(
                f"meta: {{client: Client {i}}}\n"
                "answers: {services: [aws.ec2, aws.rds, saas.m365], mfa_all: 'yes'}\n"
            )
            files.append(path)
        fmt = "pdf" if "--pdf" in sys.argv else "html"
        pack_args = ["-q", str(SMALL_PACK)] if fmt == "pdf" else []
        srm = [sys.executable, "-m", "srm_tui", *pack_args, "report", "--format", fmt]
        start = time.perf_counter()
        subprocess.run(
            [*srm, *map(str, files), "-o", str(work / "batch")], check=True, capture_output=True
        )
        one_call = time.perf_counter() - start
        start = time.perf_counter()
        for path in files:
            out = work / "single" / f"{path.stem}.{fmt}"
            out.parent.mkdir(exist_ok=True)
            subprocess.run([*srm, str(path), "-o", str(out)], check=True, capture_output=True)
        separate = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        ("full default report (PDF, in process)", f"{ours:.2f} s", f"{pages} pages"),
        ("WeasyPrint alone, same HTML", f"{alone:.2f} s", "baseline"),
        ("pipeline / WeasyPrint alone", f"{ours / alone:.2f}x", "goal <= 1.15x"),
        (f"{BATCH} files, one call ({fmt})", f"{one_call:.2f} s", ""),
        (f"{BATCH} files, separate calls", f"{separate:.2f} s", "baseline"),
        ("batch speed-up", f"{separate / one_call:.2f}x", ""),
    ]
    print("## Report (bench_report.py)\n")
    print("| measure | time or ratio | note |\n|---|---:|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")


if __name__ == "__main__":
    main()
