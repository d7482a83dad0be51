"""Run every benchmark and print (and record) the figures.

Each ``bench_*.py`` beside this file measures our code against a baseline measured in
the same run and prints a Markdown section. This script describes the machine, runs
them one after another, prints everything, and with ``--write`` replaces the figures in
``benchmarks/README.md``.

    python benchmarks/run.py [--write] [--only NAME] [--full]

``--full`` adds the 1,000-control report to ``bench_scale.py`` (several minutes more).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "<!-- figures below are written by benchmarks/run.py --write -->"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"- Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}\n"
        f"- Python {platform.python_version()}; load average at start: {load}\n"
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    parser.add_argument("--only", help="run only bench_<ONLY>.py")
    parser.add_argument("--full", action="store_true", help="add the 1,000-control report")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem == f"bench_{args.only}"]
    sections = ["## Machine", "", machine(), ""]
    print("\n".join(sections), flush=True)
    env = {**os.environ, "SRM_BENCH_FULL": "1" if args.full else "0"}
    started = time.perf_counter()
    for script in scripts:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent, env=env
        )
        out = proc.stdout.strip()
        if proc.returncode != 0:
            tail = proc.stderr[-2000:]
            out += f"\n\n{script.name} failed (exit {proc.returncode}):\n```\n{tail}\n```"
        out += f"\n\n_{script.name} took {time.perf_counter() - t0:.0f} s._\n"
        print(out, flush=True)
        sections.append(out)
    total = f"_All benchmarks took {time.perf_counter() - started:.0f} s._"
    print(total)
    sections.append(total)
    if args.write:
        readme = HERE / "README.md"
        head = readme.read_text().split(MARK)[0] if readme.exists() else ""
        readme.write_text(head.rstrip() + "\n\n" + MARK + "\n\n" + "\n".join(sections) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
