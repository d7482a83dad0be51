"""The belief check on the results screen: where what people think differs from the model."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from srm_tui.engine.assessment import Assessment
from srm_tui.engine.vocabulary import MODEL_LABELS, OWNER_LABELS

DANGER_STYLES = {
    "critical": "bold #ffffff on #b23a48",
    "high": "bold red",
    "medium": "dark_orange",
    "low": "dim",
}
BELIEVED_LABELS = {**OWNER_LABELS, "dont_know": "Don't know"}


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
        given = a.belief_answers
        if not any(cq.q.belief for cq in a.pack.questions):
            intro.update("This questionnaire has no belief check.")
        elif not given:
            intro.update(
                "No belief answers. Answer yes to the belief check question to compare "
                "who people think holds each duty with the model."
            )
        elif not a.beliefs:
            intro.update(
                Content(
                    "The belief answer matches the model."
                    if given == 1
                    else f"All {given} belief answers match the model."
                ).stylize("$text-success")
            )
        else:
            critical = sum(1 for b in a.beliefs if b.danger == "critical")
            text = f"{len(a.beliefs)} of {given} belief answers differ from the model"
            text += f"; {critical} critical." if critical else "."
            intro.update(
                Content.assemble(
                    Content(text).stylize("bold"),
                    "\nCritical: a customer duty believed to be the provider's.",
                )
            )
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
                BELIEVED_LABELS.get(b.believed, b.believed),
                OWNER_LABELS.get(b.actual, b.actual),
                Text(f" {b.danger} ", style=DANGER_STYLES.get(b.danger, "")),
                key=b.question,
            )
