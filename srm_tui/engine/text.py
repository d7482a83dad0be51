"""Client-typed text without control characters, for every place that prints or exports it.

Names and notes come from people and files: an escape sequence in them must not move a
terminal's cursor or clear its screen, and XML (OSCAL) cannot hold most control characters
at all. Newlines and tabs are kept; other C0 characters, DEL and C1 characters are not.
"""

from __future__ import annotations

import re

CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_control(text: str, replacement: str = "") -> str:
    """``text`` with each control character (other than newline and tab) replaced."""
    return CONTROL_IN_TEXT.sub(replacement, text)
