"""Command palette: jump to any section or visible question."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

if TYPE_CHECKING:
    from srm_tui.tui.screens.interview import InterviewScreen


def highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` as plain content with the matched letters marked (no markup parsing)."""
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    content = Content(text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class JumpProvider(Provider):
    """Sections first, then every visible question, by title (on the interview screen,
    whose ``COMMANDS`` it is)."""

    def _targets(self) -> list[tuple[str, Callable[[], None]]]:
        screen = cast("InterviewScreen", self.screen)
        iv = screen.interview
        out: list[tuple[str, Callable[[], None]]] = []
        seen: set[str] = set()
        for q in iv.visible:
            if q.section.id not in seen:
                seen.add(q.section.id)
                out.append(
                    (f"Section: {q.section.title}", partial(screen.jump_to_section, q.section.id))
                )
        for n, q in enumerate(iv.visible, 1):
            out.append((f"Question {n}: {q.q.title}", partial(screen.jump, q.id)))
        return out

    async def discover(self) -> Hits:
        for text, command in self._targets():
            if text.startswith("Section: "):
                yield DiscoveryHit(Content(text), command, text=text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command in self._targets():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlighted(matcher, text), command, text=text)
