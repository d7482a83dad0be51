"""What-if on the results screen: replace a service in scope and see the split change.

The change shown is ``engine.compare.what_if``: the same diff ``srm diff`` prints for
the answers file against a copy with the service replaced. The answers file is never
touched.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Label, Select, Static

from srm_tui.engine.assessment import Assessment, percent
from srm_tui.engine.compare import Diff, ShareChange, what_if
from srm_tui.engine.errors import InputError
from srm_tui.engine.vocabulary import MODEL_LABELS, OWNER_LABELS, SIDES
from srm_tui.plain_text import NO_DUTY_MOVES, duty_groups


def share_cell(split: dict[str, ShareChange], side: str) -> Text:
    old, new = split[side]["old"], split[side]["new"]
    shown = f"{percent(old)} → {percent(new)}"
    change = split[side]["change"]
    style = "bold" if change else ""
    if side == "customer" and change:
        style = "bold green" if change < 0 else "bold red"  # less for the customer is good
    return Text(shown, style=style)


class WhatIf(Vertical):
    """Two choices (a service in scope, its replacement) and what that would change.

    Each stop of the focus chain shows it has focus: the pickers in the cursor colours,
    the scrolling result with a bright left edge.
    """

    DEFAULT_CSS = """
    WhatIf { height: 1fr; }
    WhatIf #whatif-pick { height: 1; margin-bottom: 1; }
    WhatIf #whatif-pick Select { width: 1fr; }
    WhatIf #whatif-pick Label { width: auto; padding: 0 1; }
    WhatIf Select:focus > SelectCurrent {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        & Static#label, & .arrow { color: $block-cursor-foreground; }
    }
    WhatIf #whatif-result { height: 1fr; border-left: tall $border-blurred; padding-left: 1; }
    WhatIf #whatif-result:focus { border-left: tall $border; }
    WhatIf #whatif-shares { height: auto; max-height: 8; margin-bottom: 1; }
    WhatIf #whatif-duties { height: auto; }
    """

    def __init__(self, assessment: Assessment, **kwargs) -> None:
        super().__init__(**kwargs)
        self.assessment = assessment
        self.change: Diff | None = None

    def compose(self) -> ComposeResult:
        a = self.assessment
        pack = a.pack
        in_scope = [(Content(s.name), s.id) for s in a.services]
        scope_ids = {s.id for s in a.services}
        providers = {p.id: p.name for p in pack.providers}
        others = [
            (Content(f"{s.name} ({providers.get(s.provider, s.provider)})"), s.id)
            for s in pack.services
            if s.id not in scope_ids
        ]
        with Horizontal(id="whatif-pick"):
            yield Select(in_scope, prompt="Service in scope", id="whatif-from", compact=True)
            yield Label("→")
            yield Select(others, prompt="Replaced by", id="whatif-to", compact=True)
        with VerticalScroll(id="whatif-result"):
            yield Static(id="whatif-intro")
            yield DataTable(id="whatif-shares", cursor_type="none", zebra_stripes=True)
            yield Static(id="whatif-duties")

    def on_mount(self) -> None:
        table = self.query_one("#whatif-shares", DataTable)
        table.add_column("Scope", key="scope")
        for side in SIDES:
            table.add_column(OWNER_LABELS[side], key=side)
        table.display = False
        table.can_focus = False  # no cursor: the result scrolls as one
        if not self.assessment.services:
            text = "No services in scope yet: answer the services question first."
        else:
            text = "Pick a service in scope and a replacement to see how the split would change."
        self.query_one("#whatif-intro", Static).update(text)

    def _choice(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    @on(Select.Changed)
    def picked(self, event: Select.Changed) -> None:
        event.stop()
        source, target = self._choice("#whatif-from"), self._choice("#whatif-to")
        if source and target:
            self.compare(source, target)

    def compare(self, source: str, target: str) -> None:
        """Show the change of replacing ``source`` with ``target``."""
        a = self.assessment
        pack = a.pack
        intro = self.query_one("#whatif-intro", Static)
        try:
            self.change = change = what_if(pack, a.answers, [(source, target)])
        except InputError as exc:
            intro.update(Content(exc.problem).stylize("$text-error"))
            return
        names = pack.service_by_id
        intro.update(
            Content.assemble(
                ("If ", "bold"),
                Content(names[source].name).stylize("bold"),
                (" were replaced by ", "bold"),
                Content(names[target].name).stylize("bold"),
                (" (the answers file is not changed):", "bold"),
            )
        )
        table = self.query_one("#whatif-shares", DataTable)
        table.clear()
        shares = change["shares"]
        rows = [("Overall", shares["overall"])]
        rows += [(MODEL_LABELS[m], split) for m, split in shares["by_model"].items()]
        for label, split in rows:
            table.add_row(label, *[share_cell(split, side) for side in SIDES])
        table.display = True
        lines: list[Content] = []
        for heading, items in duty_groups(change, arrow="→"):
            lines.append(Content(f"{heading}: {len(items)}").stylize("bold"))
            lines += [Content(f"  {item}") for item in items]
        self.query_one("#whatif-duties", Static).update(
            Content("\n").join(lines) if lines else Content(NO_DUTY_MOVES)
        )
