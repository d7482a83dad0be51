"""How long reports take, as ratios against baselines measured in the same run.

1. The full default report (the bundled example engagement as a PDF), in a fresh
   process. Goal: well under 2 s.
2. Our whole pipeline (assessment -> context -> Jinja2 -> WeasyPrint with the asset
   fetcher and attachments) against WeasyPrint rendering the same final HTML alone,
   each in a fresh process. Goal: at most 1.15x. Also the peak memory of both.
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
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_PACK = ROOT / "tests" / "fixtures" / "report-pack"
BATCH = 20


PEAK = textwrap.dedent(
    """
    def peak_kib():
        # VmHWM is this process's own peak; ru_maxrss would include the parent it forked from
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    """
)

PIPELINE = textwrap.dedent(
    """
    import io, sys, time
    import weasyprint  # imported before the clock starts, as on the other side
    from pypdf import PdfReader
    from srm_tui.engine.answers import load_answers
    from srm_tui.engine.assessment import assess
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.report import render
    from srm_tui.resources import example_answers

    pack = load_pack()
    assessment = assess(pack, load_answers(example_answers(), pack))
    start = time.perf_counter()
    data = render(assessment, "pdf")
    seconds = time.perf_counter() - start
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(seconds, peak_kib(), pages)
    """
)

WEASYPRINT_ALONE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import weasyprint

    html = Path(sys.argv[1]).read_text()
    start = time.perf_counter()
    weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(pdf_tags=True, full_fonts=True)
    print(time.perf_counter() - start, peak_kib())
    """
)


def child(code: str, *args: str) -> list[float]:
    """Render seconds, peak resident memory (KiB) and more, from a fresh Python process."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK + code, *args], capture_output=True, text=True, check=True
    ).stdout
    return [float(x) for x in out.split()]


def main() -> None:
    from srm_tui.engine.answers import load_answers
    from srm_tui.engine.assessment import assess
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.report.context import build_context
    from srm_tui.report.html import render_html, template_roots
    from srm_tui.resources import example_answers

    work = Path(tempfile.mkdtemp(prefix="srm-bench-"))
    try:
        pack = load_pack()
        assessment = assess(pack, load_answers(example_answers(), pack))
        roots = template_roots()
        html = work / "report.html"
        html.write_text(render_html(build_context(assessment), roots))
        base = (roots[-1] / "report").as_uri() + "/"
        subprocess.run([sys.executable, "-c", "import weasyprint"], check=True)  # file cache
        alone, alone_kib = child(WEASYPRINT_ALONE, str(html), base)
        ours, ours_kib, pages = child(PIPELINE)

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

    def met(ok: bool) -> str:
        return "met" if ok else "not met"

    rows = [
        ("Default report (PDF)", f"{ours:.2f} s", f"{pages:.0f} pages", "< 2 s", met(ours < 2)),
        ("WeasyPrint alone, same HTML", f"{alone:.2f} s", "baseline", "", ""),
        (
            "Pipeline / WeasyPrint alone",
            f"{ours / alone:.2f}×",
            "",
            "≤ 1.15×",
            met(ours / alone <= 1.15),
        ),
        (
            "Peak memory, default report",
            f"{ours_kib / 1024:.0f} MiB",
            f"{ours_kib / alone_kib:.2f}× WeasyPrint alone",
            "",
            "",
        ),
        ("Peak memory, WeasyPrint alone", f"{alone_kib / 1024:.0f} MiB", "baseline", "", ""),
        (f"{BATCH} reports ({fmt}), one call", f"{one_call:.2f} s", "", "", ""),
        (f"{BATCH} reports ({fmt}), separate calls", f"{separate:.2f} s", "baseline", "", ""),
        ("Batch speed-up", f"{separate / one_call:.2f}×", "", "> 1×", met(separate > one_call)),
    ]
    print("## Report (bench_report.py)\n")
    print("| measure | value | note | goal | goal met |\n|---|---:|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        "\nEach render runs once in a fresh process (imports and pack loading excluded from the "
        "time, font loading included on both sides); memory is that process's peak resident "
        "set (VmHWM)."
    )


if __name__ == "__main__":
    main()
