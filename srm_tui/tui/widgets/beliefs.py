"""The belief check on the results screen: where what people think differs from the model."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from srm_tui.engine.assessment import Assessment
from srm_tui.engine.vocabulary import BELIEF_LABELS, MODEL_LABELS, OWNER_LABELS
from srm_tui.plain_text import belief_line

DANGER_STYLES = {
    "critical": "bold #ffffff on #b23a48",
    "high": "bold red",
    "medium": "dark_orange",
    "low": "dim",
}


class BeliefCheck(Vertical):
    """A table of mismatches, most dangerous first, or a line saying why there is none."""

    DEFAULT_CSS = """
    BeliefCheck { height: 1fr; }
    BeliefCheck #belief-intro { height: auto; margin-bottom: 1; }
    BeliefCheck DataTable { height: 1fr; }
    """

    def __init__(self, assessment: Assessment, **kwargs) -> None:
        super().__init__(**kwargs)
        self.assessment = assessment

    def compose(self) -> ComposeResult:
        yield Static(id="belief-intro")
        yield DataTable(id="beliefs", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        a = self.assessment
        intro = self.query_one("#belief-intro", Static)
        table = self.query_one("#beliefs", DataTable)
        text = belief_line(a) or "This questionnaire has no belief check."
        if a.beliefs:
            intro.update(
                Content.assemble(
                    Content(text).stylize("bold"),
                    "\nCritical: a customer duty believed to be the provider's.",
                )
            )
        elif a.belief_answers:
            intro.update(Content(text).stylize("$text-success"))
        else:
            intro.update(text)
        table.display = bool(a.beliefs)
        table.add_column("Layer", key="layer")
        table.add_column("Model", key="model")
        table.add_column("Believed", key="believed")
        table.add_column("Actual", key="actual")
        table.add_column("Danger", key="danger")
        for b in a.beliefs:
            table.add_row(
                Text(a.pack.layer_by_id[b.layer].title),
                MODEL_LABELS.get(b.model, b.model),
                BELIEF_LABELS.get(b.believed, b.believed),
                OWNER_LABELS.get(b.actual, b.actual),
                Text(f" {b.danger} ", style=DANGER_STYLES.get(b.danger, "")),
                key=b.question,
            )
