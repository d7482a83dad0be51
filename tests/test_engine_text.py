"""The one helper that strips control characters from client-typed text."""

from srm_tui.engine.text import without_control


def test_escape_sequences_c1_and_nul_are_dropped():
    hostile = "Acme\x1b[2J\x9b31m\x00 Ltd\x07\x7f"
    assert without_control(hostile) == "Acme[2J31m Ltd"


def test_newlines_and_tabs_are_kept():
    assert without_control("one\n\ttwo") == "one\n\ttwo"


def test_replacement_keeps_words_apart():
    assert without_control("a\x1bb", " ") == "a b"
