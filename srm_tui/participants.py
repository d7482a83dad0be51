"""Which answers file a browser resumes under ``srm serve``.

Each participant's page address carries a random token. The workshop folder keeps, per
token, the name of the answers file that token started, in a hidden folder so that
``srm merge FOLDER/*.yaml`` never picks it up. Reloading the page (or opening the same
address later) carries on with that file instead of starting a new one.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from srm_tui.engine.yamlio import write_atomic

INDEX = ".participants"
TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")


def new_token() -> str:
    return secrets.token_urlsafe(18)


def valid(token: str | None) -> bool:
    return bool(token and TOKEN.fullmatch(token))


def remember(folder: Path, token: str, answers: Path) -> None:
    """Note that ``token`` answers in ``answers`` (a file in ``folder``)."""
    if not valid(token):
        raise ValueError("not a participant token")
    index = folder / INDEX
    index.mkdir(mode=0o700, exist_ok=True)
    write_atomic(index / token, answers.name + "\n")


def recall(folder: Path, token: str | None) -> Path | None:
    """The answers file ``token`` started in ``folder``, if it is still there."""
    if not valid(token):
        return None
    try:
        name = (folder / INDEX / str(token)).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    path = folder / name
    if not name or name.startswith(".") or Path(name).name != name or not path.is_file():
        return None
    return path
