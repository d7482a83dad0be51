"""The customer / shared / provider split as one coloured line."""

from __future__ import annotations

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from srm_tui.engine.assessment import percent
from srm_tui.engine.vocabulary import OWNER_LABELS, SIDES

PARTS = tuple((side, OWNER_LABELS[side]) for side in SIDES)


def split_widths(shares: dict[str, float], width: int) -> list[int]:
    """Cells per part, summing to ``width`` (largest remainder)."""
    raw = [max(0.0, shares.get(key, 0.0)) * width for key, _ in PARTS]
    cells = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - cells[i], reverse=True)
    for i in by_remainder[: width - sum(cells)]:
        cells[i] += 1
    return cells


class ResponsibilityBar(Widget):
    """Who carries the duties in scope; ``shares`` is ``{customer, shared, provider}``."""

    COMPONENT_CLASSES = {"bar--label", "bar--customer", "bar--shared", "bar--provider"}
    DEFAULT_CSS = """
    ResponsibilityBar { height: 1; }
    """

    shares: reactive[dict[str, float]] = reactive(dict, layout=False)

    def __init__(self, label: str = "", label_width: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.label_width = label_width or (len(label) + 1 if label else 0)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        segments: list[Segment] = []
        if self.label_width:
            style = self.get_component_rich_style("bar--label")
            text = self.label[: self.label_width - 1].ljust(self.label_width)
            segments.append(Segment(text, style))
        room = max(0, width - self.label_width)
        shares = self.shares or {}
        for (key, name), cells in zip(PARTS, split_widths(shares, room), strict=True):
            if not cells:
                continue
            pct = percent(shares.get(key, 0.0))
            for text in (f" {name} {pct}", f" {name[0]} {pct}", f" {pct}", ""):
                if len(text) <= cells:
                    break
            style = self.get_component_rich_style(f"bar--{key}")
            segments.append(Segment(text.ljust(cells), style))
        return Strip(segments, width)
