"""Widgets of the interview: question editors, the section sidebar, the responsibility bar."""
