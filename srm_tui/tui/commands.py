"""Command palette: jump to any section or visible question."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


def highlighted(matcher, text: str) -> Content:
    """``text`` as plain content with the matched letters marked (no markup parsing)."""
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    content = Content(text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class JumpProvider(Provider):
    """Sections first, then every visible question, by title."""

    def _targets(self) -> list[tuple[str, object]]:
        screen = self.screen
        iv = screen.interview
        out: list[tuple[str, object]] = []
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
