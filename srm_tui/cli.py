"""The ``srm`` command line: a thin layer over the engine and the front ends.

Heavy libraries (Textual, questionary, WeasyPrint) are imported inside the commands
that need them, so ``srm --help`` and the batch commands start fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from srm_tui import __version__
from srm_tui.engine.errors import InputError
from srm_tui.engine.text import without_control
from srm_tui.engine.vocabulary import SHARE_METHOD, TRACK_STATUSES

EXIT_CANCELLED = 1
EXIT_BAD_INPUT = 2


class Cancelled(Exception):
    """The person stopped the command (Ctrl-C, or chose to quit)."""


def echo(text: str, err: bool = False) -> None:
    """Print text that may hold client-typed strings, minus terminal control characters."""
    click.echo(without_control(text), err=err)


def fail(error: InputError) -> None:
    echo(f"srm: error: {error.message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn bad input into one line and exit 2, a cancel into exit 1; never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            fail(exc)
        except (KeyboardInterrupt, Cancelled):
            click.echo("srm: cancelled", err=True)
            sys.exit(EXIT_CANCELLED)

    return wrapper


def pack_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--questionnaire PACK`` on a command (the group's option applies too)."""
    return click.option(
        "--questionnaire",
        "-q",
        "pack_name",
        metavar="PACK",
        default=None,
        help="Questionnaire pack: a folder, or the name of a bundled pack (default cloud-srm).",
    )(fn)


def chosen_pack(pack_name: str | None) -> str | None:
    """The pack named on the command, else the one named before it (``srm -q X cmd``)."""
    return pack_name or click.get_current_context().find_root().params.get("pack_name")


def get_pack(pack_name: str | None):
    from srm_tui.engine.pack_loader import load_pack

    return load_pack(chosen_pack(pack_name))


def load_engagement(path: str | Path, pack_name: str | None):
    """Pack plus checked answers file."""
    from srm_tui.engine.answers import load_answers

    pack = get_pack(pack_name)
    return pack, load_answers(path, pack)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="srm")
@pack_option
@click.pass_context
@guarded
def cli(ctx: click.Context, pack_name: str | None) -> None:
    """Interview an organisation about its cloud use and produce a shared-responsibility
    checklist: which security duties are yours, your provider's, or shared.

    Run without a command to start (or resume) an interview in the terminal.
    """
    if ctx.invoked_subcommand is None:
        from srm_tui.tui import run_app

        run_app(pack_name=pack_name, answers_path=None)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pack_option
@guarded
def validate(paths: tuple[Path, ...], pack_name: str | None) -> None:
    """Check questionnaire packs and answers files; every problem on its own line.

    PATHS are pack folders or answers files (answers are checked against --questionnaire).
    With none, the default pack is checked.
    """
    from srm_tui.engine.answers import load_answers
    from srm_tui.engine.condition_trial import trial
    from srm_tui.engine.pack_loader import PACK_FILES, PackErrors, load_pack

    problems: list[InputError] = []
    for target in paths or (None,):
        try:
            if target is not None and target.name in PACK_FILES:
                target = target.parent  # one file of a pack: check the whole pack
            if target is None or target.is_dir():
                pack = load_pack(target) if target is not None else get_pack(pack_name)
                failed = trial(pack)
                if failed:
                    problems.extend(failed)
                    continue
                click.echo(
                    f"ok: {pack.ref} ({len(pack.services)} services, "
                    f"{len(pack.controls)} controls, {len(pack.domains)} domains, "
                    f"{len(pack.questions)} questions)"
                )
            else:
                pack = get_pack(pack_name)
                answers = load_answers(target, pack)
                retired = answers.retired(pack)
                note = (
                    f"; kept answers to retired questions: {', '.join(retired)}" if retired else ""
                )
                click.echo(f"ok: {target} ({len(answers.answers)} answers{note})")
        except PackErrors as exc:
            problems.extend(exc.problems)
        except InputError as exc:
            problems.append(exc)
    for problem in problems:
        click.echo(f"srm: error: {problem.message}", err=True)
    if problems:
        sys.exit(EXIT_BAD_INPUT)


@cli.command()
@click.argument("what", type=click.Choice(["services", "controls", "layers"]))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pack_option
@guarded
def catalog(what: str, as_json: bool, pack_name: str | None) -> None:
    """List the catalog: services, controls or layers."""
    from srm_tui.engine.catalog import rows
    from srm_tui.plain_text import catalog_table

    pack = get_pack(pack_name)
    if as_json:
        click.echo(json.dumps(rows(pack, what), indent=2, ensure_ascii=False))
    else:
        click.echo(catalog_table(pack, what))


@cli.command(
    help="Print the assessment of an answers file: shares, layer matrix and controls.\n\n"
    "With --what-if, print what changes if workloads move to other services, e.g. "
    "--what-if aws.ec2=aws.lambda: the same report as `srm diff ANSWERS MOVED`, where MOVED "
    "is ANSWERS with each FROM replaced by TO in the services answer (duties that go, that "
    "come, and that change owner). The answers file is not changed."
    "\n\nHow the shares are computed: " + SHARE_METHOD
)
@click.argument("answers", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the assessment as JSON.")
@click.option(
    "--what-if",
    "moves",
    multiple=True,
    metavar="FROM=TO",
    help="Show how the split changes if the FROM service is replaced by TO (repeatable).",
)
@pack_option
@guarded
def assess(answers: Path, as_json: bool, moves: tuple[str, ...], pack_name: str | None) -> None:
    from srm_tui.engine.assessment import assess as compute
    from srm_tui.engine.compare import parse_moves, what_if
    from srm_tui.plain_text import text_diff, text_summary

    pack, file = load_engagement(answers, pack_name)
    if moves:
        change = what_if(pack, file, parse_moves(pack, list(moves)))
        echo(json.dumps(change, indent=2) if as_json else text_diff(change, pack))
        return
    result = compute(pack, file)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        echo(text_summary(result))
    for qid in result.retired:
        click.echo(
            f"srm: note: {answers}: answers.{qid}: kept; the pack no longer asks it", err=True
        )


@cli.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@pack_option
@guarded
def diff_command(old: Path, new: Path, as_json: bool, pack_name: str | None) -> None:
    """What changed in the responsibility split between two answers files (OLD, NEW)."""
    from srm_tui.engine.assessment import assess as compute
    from srm_tui.engine.compare import diff
    from srm_tui.plain_text import text_diff

    pack, before = load_engagement(old, pack_name)
    _, after = load_engagement(new, pack_name)
    change = diff(compute(pack, before), compute(pack, after))
    echo(json.dumps(change, indent=2) if as_json else text_diff(change, pack))


@cli.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("control_id")
@click.option("--status", help="One of: " + ", ".join(TRACK_STATUSES) + ' ("" clears it).')
@click.option("--assignee", metavar="NAME", help="The person or team who does it.")
@click.option("--due", metavar="YYYY-MM-DD", help="When it is due.")
@click.option(
    "--evidence",
    metavar="TEXT",
    multiple=True,
    help="A reference that proves it (document, ticket, link); repeatable, added to the list.",
)
@click.option("--clear-evidence", is_flag=True, help="Empty the evidence list first.")
@click.option("--note", metavar="TEXT", help="Free text kept with the duty.")
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why; required for not_applicable and risk_accepted.",
)
@click.option(
    "--confirm", is_flag=True, help="Confirm tracking carried over from last time, unchanged."
)
@pack_option
@guarded
def track(
    answers: Path,
    control_id: str,
    evidence: tuple[str, ...],
    clear_evidence: bool,
    confirm: bool,
    pack_name: str | None,
    **given: str | None,
) -> None:
    """Record how the duty CONTROL_ID stands in ANSWERS: status, assignee, due date,
    evidence, note, reason.

    A status set here replaces the one derived from the answers; every change is dated.
    Empty text ("") clears a field. With no options, prints what is recorded.
    """
    from srm_tui.cli_track import record, show

    pack, file = load_engagement(answers, pack_name)
    changes: dict[str, str | list[str]] = {k: v for k, v in given.items() if v is not None}
    if evidence or clear_evidence:
        changes["evidence"] = list(evidence)
    if not changes and not confirm:
        echo(show(pack, file, control_id))
        return
    echo(record(pack, file, control_id, changes, clear_evidence, confirm))


@cli.command()
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The merged answers file to write.",
)
@pack_option
@guarded
def merge(answers: tuple[Path, ...], output: Path, pack_name: str | None) -> None:
    """Combine several participants' answers files into one workshop file.

    Any mix of answered, skipped and hidden questions merges; only the answers of the
    participants who were asked a question count. Where they disagree on a fact or a
    belief, the question and each participant's answer (or "not answered") are listed
    here and kept in the merged file for the report; the merged answer is every choice
    made (lists) or the most common answer. Answers to questions the pack no longer
    asks are kept. The folder of OUTPUT is created if missing.
    """
    from srm_tui.engine.merge import merge as combine
    from srm_tui.engine.merge import merged_path_ok
    from srm_tui.engine.vocabulary import DISAGREEMENTS_KEY
    from srm_tui.plain_text import text_disagreements, text_tracking_disagreements

    if not merged_path_ok(output, list(answers)):
        raise InputError(output, None, "the merged file would overwrite one of its inputs")
    pack = get_pack(pack_name)
    files = [load_engagement(path, pack_name)[1] for path in answers]
    merged, disagreements = combine(pack, files)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        merged.save(path=output)  # stamped by merge: the oldest input version if any retired
    except OSError as exc:
        raise InputError(output, None, f"cannot write the merged file: {exc.strerror}") from None
    echo(text_disagreements(pack, disagreements))
    tracked = text_tracking_disagreements(merged.raw.get(DISAGREEMENTS_KEY, []))
    if tracked:
        echo(tracked)
    click.echo(f"Merged {len(files)} answers files into {output}")


@cli.command()
@click.argument("answers", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--all", "ask_all", is_flag=True, help="Ask every question again, old answers as defaults."
)
@click.option(
    "--track",
    is_flag=True,
    help="Then go through your duties not yet done: status, assignee, due date, evidence.",
)
@click.option(
    "--from",
    "previous",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Re-assess: start a new engagement from this earlier answers file (left untouched).",
)
@pack_option
@guarded
def ask(
    answers: Path | None,
    ask_all: bool,
    track: bool,
    previous: Path | None,
    pack_name: str | None,
) -> None:
    """The interview as line-by-line prompts, for plain terminals and screen readers.

    ANSWERS is created if missing (without it, a new engagement in the data folder) and
    saved after every answer; a resumed interview skips the questions already answered.

    Go back with "Back to the previous question" at the end of a list, or :back in a
    text answer; skip with "Skip for now" or :skip; ? shows help. Ctrl-C saves and
    stops; the same command carries on later. With --from, ANSWERS is a new file
    (default: one in the data folder) holding last time's answers, each asked again
    with the old answer as default until you confirm or change it.
    """
    from srm_tui import prompt

    if not prompt.stdin_is_terminal():
        click.echo(prompt.NO_TERMINAL, err=True)
        sys.exit(EXIT_BAD_INPUT)
    prompt.run_ask(get_pack(pack_name), answers, ask_all=ask_all, track=track, previous=previous)


@cli.command()
@click.argument("answers", required=False, type=click.Path(path_type=Path))
@click.option(
    "--from",
    "previous",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Re-assess: start a new engagement from this earlier answers file (left untouched).",
)
@click.option("--workshop", type=click.Path(file_okay=False, path_type=Path), hidden=True)
@click.option("--workshop-client", hidden=True)
@click.option("--workshop-participant", hidden=True)
@pack_option
@guarded
def interview(
    answers: Path | None,
    previous: Path | None,
    workshop: Path | None,
    workshop_client: str | None,
    workshop_participant: str | None,
    pack_name: str | None,
) -> None:
    """The interview in the terminal, on the answers file ANSWERS.

    ANSWERS is created if it does not exist and saved after every answer. Without it,
    the start screen offers a new engagement or a recent one. With --from, ANSWERS is a
    new file (default: one in the data folder) holding last time's answers, each marked
    carried over until you confirm or change it.
    """
    from srm_tui.tui import run_app

    run_app(
        pack_name=chosen_pack(pack_name),
        answers_path=answers,
        previous=previous,
        workshop=workshop,
        client=workshop_client,
        participant=workshop_participant,
    )
    if workshop is not None:
        # One browser's app under `srm serve`, its answers saved: skipping the
        # interpreter's teardown (up to a second) lets a stopping server finish at once.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def report_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Branding and rendering flags shared by ``srm report`` and ``srm demo``."""
    for decorator in reversed(
        [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(["pdf", "html", "json", "csv", "md", "xlsx", "oscal"]),
                help="Output format (default: from OUT's suffix, else pdf).",
            ),
            click.option("--firm", help="Firm name on the cover and in the footer."),
            click.option(
                "--logo",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Logo image for the cover (PNG, JPEG, SVG).",
            ),
            click.option("--accent", metavar="#RRGGBB", help="Accent colour."),
            click.option("--classification", help="Classification label (default Confidential)."),
            click.option(
                "--template-dir",
                type=click.Path(file_okay=False, path_type=Path),
                help="Folder whose templates replace the bundled ones of the same name.",
            ),
            click.option(
                "--pdf-variant",
                type=click.Choice(["pdf/a-3u", "pdf/a-2u", "pdf/ua-1"]),
                help="Archival or accessibility PDF variant.",
            ),
            click.option(
                "--fillable",
                is_flag=True,
                help="Tick boxes and owner/due-date lines become PDF form fields.",
            ),
        ]
    ):
        fn = decorator(fn)
    return fn


@cli.command()
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    help="Output file; with several ANSWERS, a folder (one file each). "
    "Missing folders in OUT are created.",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An earlier answers file: adds 'Changes since' its date (PDF, HTML, Markdown, JSON); "
    "with several ANSWERS, each is compared with it.",
)
@report_options
@pack_option
@guarded
def report(
    answers: tuple[Path, ...],
    out: Path | None,
    fmt: str | None,
    pack_name: str | None,
    **flags: Any,
) -> None:
    """Render the checklist (PDF) or an export (HTML, JSON, CSV, Markdown) of ANSWERS.

    Several answers files render into the folder OUT, in parallel. For one file or
    several, folders in OUT that do not exist yet are created. Branding comes from
    the config file (see `srm config`) unless given here. With --previous OLD.yaml the
    report adds what changed since OLD (services, shares, owners, statuses).
    """
    from srm_tui.report import run

    run.report(list(answers), out, fmt, chosen_pack(pack_name), flags)


@cli.command()
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("srm-demo.pdf"),
    show_default=True,
    help="Output file.",
)
@report_options
@guarded
def demo(out: Path, fmt: str | None, **flags: Any) -> None:
    """Render the bundled example engagement (Northwind Traders); no questions asked."""
    from srm_tui.report import run
    from srm_tui.resources import example_answers

    run.report([example_answers()], out, fmt, None, flags)


@cli.command()
@guarded
def config() -> None:
    """Show where the config file is and the branding it sets for reports."""
    from srm_tui.report import run

    run.show_config()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--dir",
    "folder",
    default=Path("srm-workshop"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Workshop folder: one answers file per participant.",
)
@click.option("--client", help="The organisation the workshop is about (shown to participants).")
@click.option("--public-url", help="The address browsers use, if not http://HOST:PORT.")
@pack_option
@guarded
def serve(
    host: str,
    port: int,
    folder: Path,
    client: str | None,
    public_url: str | None,
    pack_name: str | None,
) -> None:
    """The interview in web browsers, for a workshop: each browser gets its own interview.

    Answers are saved per participant in the workshop folder; each page's address
    carries the participant's own token, so reloading it resumes their answers. Combine
    them afterwards with `srm merge`. Ctrl-C or SIGTERM stops at once, every answer
    saved. Listens on this computer only unless --host says otherwise.
    """
    from srm_tui.tui import serve as web

    pack = chosen_pack(pack_name)
    get_pack(pack)  # a broken pack fails here, not in every browser
    if not web.is_loopback(host):
        echo(
            f"srm: warning: listening on {host}: anyone who can reach this address "
            "can open an interview and answer.",
            err=True,
        )
    web.serve(host, port, folder, pack=pack, client=client, url=public_url)


def main() -> None:
    """Run ``srm``. A usage error (an unknown option, a value not allowed) is one line like
    every other error, naming the command whose help tells the right usage."""
    try:
        code = cli.main(prog_name="srm", standalone_mode=False)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "srm"
        echo(f"srm: error: {exc.format_message().rstrip('.')}; see '{command} --help'", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.ClickException as exc:
        echo(f"srm: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("srm: cancelled", err=True)
        sys.exit(EXIT_CANCELLED)
    sys.exit(code if isinstance(code, int) else 0)
