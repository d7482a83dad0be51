"""Geometry for the share chart; the SVG itself is drawn by a template."""

from __future__ import annotations

from typing import Any

from srm_tui.engine.assessment import percent
from srm_tui.engine.vocabulary import SIDES

LETTERS = {"customer": "C", "shared": "S", "provider": "P"}
WIDTH = 640
LABEL_WIDTH = 120
BAR_HEIGHT = 22
ROW_GAP = 9
MIN_LABEL = 46  # narrower segments carry no text inside; the table beside says it


def tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white; ``amount`` 0 keeps it, 1 gives white."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def share_bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One horizontal stacked bar per row (customer, shared, provider), in SVG units."""
    span = WIDTH - LABEL_WIDTH
    bars = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + ROW_GAP)
        x = float(LABEL_WIDTH)
        segments = []
        for key in SIDES:
            width = span * float(row[key])
            if width <= 0:
                continue
            text = f"{LETTERS[key]} {percent(row[key])}" if width >= MIN_LABEL else ""
            segments.append(
                {
                    "key": key,
                    "x": round(x, 2),
                    "width": round(width, 2),
                    "text": text,
                    "middle": round(x + width / 2, 2),
                }
            )
            x += width
        bars.append({"label": row["label"], "y": y, "segments": segments})
    height = len(rows) * (BAR_HEIGHT + ROW_GAP) - ROW_GAP
    return {
        "width": WIDTH,
        "height": max(height, BAR_HEIGHT),
        "bar_height": BAR_HEIGHT,
        "label_width": LABEL_WIDTH,
        "bars": bars,
    }


PROGRESS_LABEL_WIDTH = 150
MIN_COUNT = 16  # narrower progress segments carry no number; the table below says it


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def progress_bars(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    """One full-width stacked bar per row, a segment per key sized by its share of the row."""
    span = WIDTH - PROGRESS_LABEL_WIDTH
    bars = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + ROW_GAP)
        x = float(PROGRESS_LABEL_WIDTH)
        segments = []
        for key in keys:
            if not row["total"] or not row[key]:
                continue
            width = span * row[key] / row["total"]
            segments.append(
                {
                    "key": key,
                    "x": round(x, 2),
                    "width": round(width, 2),
                    "text": str(row[key]) if width >= MIN_COUNT else "",
                    "middle": round(x + width / 2, 2),
                }
            )
            x += width
        label = f"{_short(row['label'])} ({row['total']})"
        bars.append({"label": label, "y": y, "segments": segments})
    height = len(rows) * (BAR_HEIGHT + ROW_GAP) - ROW_GAP
    return {
        "width": WIDTH,
        "height": max(height, BAR_HEIGHT),
        "bar_height": BAR_HEIGHT,
        "label_width": PROGRESS_LABEL_WIDTH,
        "bars": bars,
    }
