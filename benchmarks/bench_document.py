"""The default report's document against a fixed copy of an earlier one.

``baseline/demo-2026-12-02.html`` is the HTML the PDF pipeline handed WeasyPrint for
the bundled example before the stylesheet was reworked for speed. Each side is laid
out and written by WeasyPrint with the pipeline's options (tagged, fonts embedded
whole), in alternating fresh processes, so machine load moves both alike; the current
document also as ``srm report`` renders it, on two cores (``srm_tui.report.parallel``).
Goal: the current document in at most half the baseline's time, with the same information.

Time on a shared machine scatters by about ten per cent between runs; ``--instructions``
adds a figure that load does not move: the instructions each side executes under
valgrind's callgrind (one run each, a few minutes; the cost of importing WeasyPrint,
measured alone, is taken off both). ``--parts`` counts each part of both documents on its
own (cover, contents, summary, ...), less a one-paragraph document with the same
stylesheet: where the instructions go, about ten minutes on two cores.

Prints Markdown tables; asserts nothing.
Run: python benchmarks/bench_document.py [runs] [--instructions] [--parts]
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).resolve().parent / "baseline" / "demo-2026-12-02.html"

CURRENT = textwrap.dedent(
    """
    import datetime as dt, sys
    from srm_tui.engine.answers import load_answers
    from srm_tui.engine.assessment import assess
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.report.config import Branding
    from srm_tui.report.context import build_context
    from srm_tui.report.html import render_html, template_roots
    from srm_tui.resources import example_answers

    pack = load_pack()
    assessment = assess(pack, load_answers(example_answers(), pack), today=dt.date(2026, 12, 2))
    context = build_context(assessment, Branding(), None)
    context["logo_url"] = ""
    open(sys.argv[1], "w").write(render_html(context, template_roots(None)))
    """
)

LAY_OUT = textwrap.dedent(
    """
    import sys, time
    import weasyprint
    html = open(sys.argv[1]).read()
    base = sys.argv[2]
    start = time.perf_counter()
    document = weasyprint.HTML(string=html, base_url=base).render(pdf_tags=True, full_fonts=True)
    laid_out = time.perf_counter()
    document.write_pdf(pdf_tags=True, full_fonts=True)
    print(time.perf_counter() - start, laid_out - start, len(document.pages))
    """
)


# What `srm report` does: the parts laid out on two cores and joined (srm_tui.report.parallel).
TWO_CORES = textwrap.dedent(
    """
    import io, sys, time
    from pathlib import Path
    from urllib.parse import urlsplit
    import pikepdf, weasyprint
    from srm_tui.report.pdf import WRITING, render_pdf
    html = open(sys.argv[1]).read()
    base = Path(urlsplit(sys.argv[2]).path)
    steps = {}
    start = time.perf_counter()
    pdf = render_pdf(html, base, [base.parent], [], [], parallel=True,
                     progress=lambda step, _: steps.setdefault(step, time.perf_counter()))
    total = time.perf_counter() - start
    print(total, steps[WRITING] - start, len(pikepdf.open(io.BytesIO(pdf)).pages))
    """
)


def lay_out(html: Path, script: str = LAY_OUT) -> tuple[float, float, int]:
    base = (ROOT / "templates" / "report").as_uri() + "/"
    out = subprocess.run(
        [sys.executable, "-c", script, str(html), base], capture_output=True, text=True, check=True
    )
    total, layout, pages = out.stdout.split()
    return float(total), float(layout), int(pages)


def instructions(*args: str) -> int:
    """Instructions a fresh Python process executes for ``args``, counted by callgrind."""
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/cg.out"]
            + [sys.executable, *args],
            capture_output=True,
            text=True,
            check=True,
        )
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))


def instruction_ratio(current: Path) -> None:
    """Both documents' instruction counts, less the count for importing WeasyPrint alone."""
    base = (ROOT / "templates" / "report").as_uri() + "/"
    imports = instructions("-c", "import sys, time, weasyprint")
    counts = {
        name: instructions("-c", LAY_OUT, str(html), base) - imports
        for name, html in (("baseline", BASELINE), ("current", current))
    }
    ratio = counts["current"] / counts["baseline"]
    print()
    print("| document | instructions (callgrind) | ratio | goal ≤ 0.5 |")
    print("|---|---|---|---|")
    print(f"| baseline | {counts['baseline'] / 1e9:.2f} G | 1.00 | |")
    met = "met" if ratio <= 0.5 else "not met"
    print(f"| current | {counts['current'] / 1e9:.2f} G | {ratio:.2f} | {met} |")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 3
    with tempfile.TemporaryDirectory() as folder:
        current = Path(folder) / "current.html"
        subprocess.run([sys.executable, "-c", CURRENT, str(current)], check=True)
        sides: dict[str, list[tuple[float, float, int]]] = {
            "baseline": [],
            "current": [],
            "current, two cores": [],
        }
        for _ in range(runs):
            sides["baseline"].append(lay_out(BASELINE))
            sides["current"].append(lay_out(current))
            sides["current, two cores"].append(lay_out(current, TWO_CORES))
        report_time(sides)
        wanted = {"--instructions", "--parts"} & set(sys.argv)
        if wanted and not shutil.which("valgrind"):
            print("\nvalgrind is not installed: no instruction counts")
        elif wanted:
            if "--instructions" in wanted:
                instruction_ratio(current)
            if "--parts" in wanted:
                part_instructions(current)


PART = re.compile(r'<section class="(?:part|cover|contents)" id="([a-z-]+)"')


def split_parts(html: str) -> dict[str, str]:
    """Each top-level part as a document of its own, with the head and stylesheet kept."""
    head = html[: html.index(">", html.index("<body")) + 1]
    starts = [(m.start(), m.group(1)) for m in PART.finditer(html)]
    ends = [start for start, _ in starts[1:]] + [html.rindex("</body>")]
    parts = {name: html[start:end] for (start, name), end in zip(starts, ends, strict=True)}
    parts["(empty)"] = "<p>x</p>"
    return {name: f"{head}{body}\n</body></html>" for name, body in parts.items()}


def part_instructions(current: Path) -> None:
    """Instructions per part of both documents, less those of a one-paragraph document."""
    base = (ROOT / "templates" / "report").as_uri() + "/"
    counts: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as folder:
        jobs = []
        for side, html in (("baseline", BASELINE), ("current", current)):
            for name, text in split_parts(html.read_text(encoding="utf-8")).items():
                path = Path(folder) / f"{side}-{name}.html"
                path.write_text(text, encoding="utf-8")
                jobs.append((side, name, path))
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            results = pool.map(lambda job: instructions("-c", LAY_OUT, str(job[2]), base), jobs)
            for (side, name, _), count in zip(jobs, results, strict=True):
                counts.setdefault(name, {})[side] = count
    empty = counts.pop("(empty)")
    print()
    print("| part | baseline | current | ratio |")
    print("|---|---|---|---|")
    for name, sides in counts.items():
        old, new = (sides.get(k, 0) - empty[k] for k in ("baseline", "current"))
        ratio = f"{new / old:.2f}" if old > 0 and new > 0 else ""
        print(f"| {name} | {old / 1e9:.2f} G | {new / 1e9:.2f} G | {ratio} |")


def report_time(sides: dict[str, list[tuple[float, float, int]]]) -> None:
    median = {k: statistics.median(t for t, _, _ in v) for k, v in sides.items()}
    layout = {k: statistics.median(t for _, t, _ in v) for k, v in sides.items()}
    print("| document | pages | total (median) | layout | ratio | goal ≤ 0.5 |")
    print("|---|---|---|---|---|---|")
    for name, results in sides.items():
        ratio = median[name] / median["baseline"]
        shown = f"{ratio:.2f}"
        met = ("met" if ratio <= 0.5 else "not met") if name != "baseline" else ""
        print(
            f"| {name} | {results[0][2]} | {median[name]:.2f} s | {layout[name]:.2f} s "
            f"| {shown} | {met} |"
        )


if __name__ == "__main__":
    main()
