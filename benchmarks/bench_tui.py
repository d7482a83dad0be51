"""How fast the Textual interview is, against a bare Textual app measured in the same run.

1. Time to the first question ready for input: from process start until the question
   widget has focus, headless (``run_test``), as a ratio to a bare Textual app with
   one RadioSet. Median of several runs, each in a fresh process. Goal: at most 1.5x.
2. Key press to the next question focused and painted, in a generated 500-question pack (the
   default pack's catalog with a long questionnaire). Median over many steps, as a
   ratio to a bare app swapping one RadioSet. Goal: at most 1.5x, Enter included.
3. Peak memory (``VmHWM`` of a fresh process): the interview answering five
   questions against the bare app pressing a few keys.

Prints a table; asserts nothing. Run: ``python benchmarks/bench_tui.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

PEAK = textwrap.dedent(
    """
    def peak_kib():
        # VmHWM is this process's own peak; ru_maxrss would include the parent it forked from
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    """
)

BASELINE = textwrap.dedent(
    """
    import asyncio, time
    from textual.app import App
    from textual.widgets import RadioSet

    class Bare(App):
        def compose(self):
            yield RadioSet("Our own team", "A managed service provider", "Nobody")

    async def main():
        app = Bare()
        async with app.run_test(size=(80, 24)):
            while not isinstance(app.focused, RadioSet):
                await asyncio.sleep(0.001)
            print(time.monotonic(), flush=True)

    asyncio.run(main())
    """
)

SRM = textwrap.dedent(
    """
    import asyncio, sys, time
    from srm_tui.engine.answers import AnswersFile
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.tui.app import SrmApp

    async def main():
        pack = load_pack()
        app = SrmApp(pack, answers=AnswersFile.new(pack, sys.argv[1]))
        async with app.run_test(size=(80, 24)):
            while not (app.focused and any(a.has_class("editor") for a in app.focused.ancestors)):
                await asyncio.sleep(0.001)
            print(time.monotonic(), flush=True)

    asyncio.run(main())
    """
)


BARE_MEMORY = textwrap.dedent(
    """
    import asyncio
    from textual.app import App
    from textual.widgets import RadioSet

    class Bare(App):
        def compose(self):
            yield RadioSet("Our own team", "A managed service provider", "Nobody")

    async def main():
        app = Bare()
        async with app.run_test(size=(80, 24)) as pilot:
            for key in ("down", "down", "enter", "up", "enter"):
                await pilot.press(key)
    asyncio.run(main())
    print(peak_kib())
    """
)

INTERVIEW_MEMORY = textwrap.dedent(
    """
    import asyncio, sys
    from srm_tui.engine.answers import AnswersFile
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.tui.app import SrmApp

    async def main():
        pack = load_pack()
        app = SrmApp(pack, answers=AnswersFile.new(pack, sys.argv[1]))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            answered = 0
            for _ in range(40):
                if answered == 5:
                    break
                if app.interview.current.q.type in ("single", "yesno"):
                    await pilot.press("enter")
                    answered += 1
                else:
                    await pilot.press("ctrl+n")
                await pilot.pause()
            print(answered, file=sys.stderr)
    asyncio.run(main())
    print(peak_kib())
    """
)


def process_peak_kib(code: str, *args: str) -> int:
    """Peak resident memory (KiB, Linux VmHWM) of a fresh Python process."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK + code, *args], capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip().splitlines()[-1])


def startup(code: str, *args: str) -> float:
    """Seconds from spawning a Python process to its first question having focus.

    Bytecode caching is left on, as on a user's machine: with PYTHONDONTWRITEBYTECODE
    set, srm's own modules (an editable install) would be compiled again in every run
    while the bare app's installed Textual would not.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env
    ).stdout
    return float(out.strip().splitlines()[-1]) - start


def write_big_pack(folder: Path, questions: int = 500) -> Path:
    """The default pack's catalog with a generated questionnaire of ``questions``."""
    from srm_tui.resources import questionnaires_dir

    pack = folder / "big-pack"
    shutil.copytree(questionnaires_dir() / "cloud-srm", pack)
    import yaml

    controls = yaml.safe_load((pack / "controls.yaml").read_text())["controls"]
    control_ids = [c["id"] for c in controls]
    sections = [
        {
            "id": "footprint",
            "title": "Cloud footprint",
            "questions": [
                {
                    "id": "services",
                    "type": "multi",
                    "title": "Which services?",
                    "choices": {"from": "services"},
                }
            ],
        }
    ]
    kinds = ("single", "yesno", "text", "number", "yesno")
    per_section = 50
    n = 1
    while n < questions:
        section = {"id": f"s{len(sections)}", "title": f"Section {len(sections)}", "questions": []}
        for _ in range(min(per_section, questions - n)):
            kind = kinds[n % len(kinds)]
            q = {
                "id": f"q{n}",
                "type": kind,
                "title": f"Generated question {n}?",
                "help": f"Help for **question {n}**.",
            }
            if kind == "single":
                q["choices"] = [{"value": v, "label": v.title()} for v in ("one", "two", "three")]
            if kind == "yesno":
                q["effects"] = [
                    {
                        "when": "answer == 'yes'",
                        "controls": [control_ids[n % len(control_ids)]],
                        "status": "implemented",
                    }
                ]
            if n % 10 == 0 and n > 2:
                q["when"] = f"q{n - 1} != 'no'" if kinds[(n - 1) % 5] == "yesno" else None
                if q["when"] is None:
                    del q["when"]
            section["questions"].append(q)
            n += 1
        sections.append(section)
    (pack / "questionnaire.yaml").write_text(yaml.safe_dump({"sections": sections}))
    (pack / "examples").exists() and shutil.rmtree(pack / "examples")
    return pack


async def navigation_times(pack_dir: Path, answers: Path, steps: int) -> dict[str, list[float]]:
    """Milliseconds from a key event to the next question's widget having focus and the
    screen painted after that."""
    from textual import events

    from srm_tui.engine.answers import AnswersFile
    from srm_tui.engine.pack_loader import load_pack
    from srm_tui.tui.app import SrmApp

    pack = load_pack(pack_dir)
    app = SrmApp(pack, answers=AnswersFile.new(pack, answers))
    times: dict[str, list[float]] = {"next": [], "back": [], "answer": []}

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        async def step(key: str) -> float:
            before = app.interview.current_id
            start = time.perf_counter()
            app._driver.send_message(events.Key(key, None))
            while True:
                focused = app.focused  # None for a moment while a question is swapped in
                ancestors = focused.ancestors if focused is not None else []
                editor = next((a for a in ancestors if a.has_class("editor")), None)
                current = app.interview.current_id
                if current != before and editor is not None and editor.cq.id == current:
                    break
                await asyncio.sleep(0.0002)
            await app.screen.wait_for_refresh()  # focus can come before the paint
            elapsed = (time.perf_counter() - start) * 1000
            await pilot.pause()
            return elapsed

        for _ in range(steps):
            times["next"].append(await step("ctrl+n"))
        for _ in range(steps // 2):
            times["back"].append(await step("ctrl+b"))
        # answer a choice with Enter: stores, re-evaluates 500 conditions, saves, moves on
        for _ in range(steps // 2):
            while app.interview.current.q.type not in ("single", "yesno"):
                await step("ctrl+n")
            times["answer"].append(await step("enter"))
    return times


async def baseline_swap(steps: int) -> list[float]:
    """The same measure for a bare app that swaps one RadioSet per key press."""
    from textual import events
    from textual.app import App
    from textual.containers import Vertical
    from textual.widgets import RadioSet

    class Bare(App):
        BINDINGS = [("ctrl+n", "swap")]
        n = 0

        def compose(self):
            with Vertical(id="holder"):
                yield RadioSet("a", "b", "c", id="r0")

        def action_swap(self):
            self.n += 1
            holder = self.query_one("#holder")
            holder.remove_children()
            radio = RadioSet("a", "b", "c", id=f"r{self.n}")
            holder.mount(radio)
            self.call_after_refresh(radio.focus)

    app = Bare()
    out = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(steps):
            want = f"r{app.n + 1}"
            start = time.perf_counter()
            app._driver.send_message(events.Key("ctrl+n", None))
            while not (app.focused is not None and app.focused.id == want):
                await asyncio.sleep(0.0002)
            await app.screen.wait_for_refresh()  # focus can come before the paint
            out.append((time.perf_counter() - start) * 1000)
            await pilot.pause()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="start-up runs per app")
    parser.add_argument("--steps", type=int, default=30, help="navigation steps")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        startup(BASELINE)  # warm the file cache
        startup(SRM, str(tmp_path / "warm.yaml"))  # and srm's bytecode and pack caches
        bare, srm = [], []
        for i in range(args.runs):
            bare.append(startup(BASELINE))
            srm.append(startup(SRM, str(tmp_path / f"start-{i}.yaml")))
        pack = write_big_pack(tmp_path)
        nav = asyncio.run(navigation_times(pack, tmp_path / "big.yaml", args.steps))
        swap = asyncio.run(baseline_swap(args.steps))
        bare_kib = process_peak_kib(BARE_MEMORY)
        srm_kib = process_peak_kib(INTERVIEW_MEMORY, str(tmp_path / "memory.yaml"))

    b, s = statistics.median(bare), statistics.median(srm)
    base_swap = statistics.median(swap)

    def met(ok: bool) -> str:
        return "met" if ok else "not met"

    rows = [
        (
            "First question ready: bare Textual app + RadioSet",
            f"{b * 1000:.0f} ms",
            "1.00×",
            "",
            "",
        ),
        (
            "First question ready: srm, default pack",
            f"{s * 1000:.0f} ms",
            f"{s / b:.2f}×",
            "≤ 1.5×",
            met(s / b <= 1.5),
        ),
        (
            "Key to next widget: bare app swapping a RadioSet",
            f"{base_swap:.1f} ms",
            "1.00×",
            "",
            "",
        ),
    ]
    labels = {"next": "Ctrl+N", "back": "Ctrl+B", "answer": "Enter (answer, then next)"}
    for name, values in nav.items():
        med = statistics.median(values)
        rows.append(
            (
                f"Key to next question, 500 questions: {labels[name]}",
                f"{med:.1f} ms",
                f"{med / base_swap:.2f}×",
                "≤ 1.5×",
                met(med / base_swap <= 1.5),
            )
        )
    rows += [
        ("Peak memory: bare Textual app + RadioSet", f"{bare_kib / 1024:.0f} MiB", "1.00×", "", ""),
        (
            "Peak memory: interview, 5 answers",
            f"{srm_kib / 1024:.0f} MiB",
            f"{srm_kib / bare_kib:.2f}×",
            "",
            "",
        ),
    ]
    print("## TUI (bench_tui.py)\n")
    print("| measure | median | vs bare | goal | goal met |\n|---|---:|---:|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        f"\nStart-up: {args.runs} fresh processes each (headless run_test, from process start "
        f"to the question widget focused); navigation: {args.steps} steps; memory: one fresh "
        "process each, peak resident set (VmHWM)."
    )


if __name__ == "__main__":
    main()
