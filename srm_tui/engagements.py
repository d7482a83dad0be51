"""Engagements started without a path: one answers file each in the user's data folder.

The folder is ``platformdirs.user_data_path("srm") / "engagements"``; the environment
variable ``SRM_DATA_DIR`` replaces ``user_data_path("srm")`` (tests use it). File names
come from a slug of the client and the date and never overwrite an existing file.

The folder each engagement's reports were last exported to is kept beside them, in
``export-folders.json`` (per answers file), not in the answers file: that file travels
to clients and inside every PDF, and a path on this machine means nothing there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srm_tui.engine import yamlio
from srm_tui.engine.answers import AnswersFile, load_answers
from srm_tui.engine.errors import InputError
from srm_tui.engine.pack import Pack


def data_dir() -> Path:
    override = os.environ.get("SRM_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("srm")


def engagements_dir() -> Path:
    return data_dir() / "engagements"


def _export_folders_file() -> Path:
    return data_dir() / "export-folders.json"


def _export_folders() -> dict[str, str]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(_export_folders_file().read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return {str(k): str(v) for k, v in data.items()}
    return {}


def export_folder(answers_path: Path) -> Path | None:
    """Where this engagement's reports were last exported, if anywhere."""
    folder = _export_folders().get(str(Path(answers_path).resolve()))
    return Path(folder) if folder else None


def remember_export_folder(answers_path: Path, folder: Path) -> None:
    """Keep ``folder`` as this engagement's export folder (best effort: never fails)."""
    folders = _export_folders()
    folders[str(Path(answers_path).resolve())] = str(folder)
    with contextlib.suppress(OSError):
        data_dir().mkdir(parents=True, exist_ok=True)
        yamlio.write_atomic(_export_folders_file(), json.dumps(folders, indent=1) + "\n")


def slug(text: str) -> str:
    """``"Northwind Traders, Inc."`` -> ``"northwind-traders-inc"`` (ASCII, at most 40)."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return words[:40].rstrip("-") or "engagement"


def new_path(client: str, date: dt.date, folder: Path | None = None) -> Path:
    """Reserve a fresh file name (created empty, owner-only) so nothing is overwritten."""
    folder = folder or engagements_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{slug(client)}-{date.isoformat()}"
    for n in range(1, 10_000):
        path = folder / (f"{stem}.yaml" if n == 1 else f"{stem}-{n}.yaml")
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return path
    raise InputError(folder, None, "too many engagements with the same name and date")


def create(pack: Pack, **meta: Any) -> AnswersFile:
    """A new engagement saved in the data folder."""
    date = meta.get("date") or dt.date.today()
    meta["date"] = date
    answers = AnswersFile.new(pack, new_path(str(meta.get("client") or ""), date), **meta)
    answers.save(pack)
    return answers


@dataclass
class Engagement:
    """One saved engagement as the start screen lists it."""

    path: Path
    client: str
    date: str
    answered: int = 0
    total: int = 0
    problem: str = ""
    modified: float = 0.0


def recent(pack: Pack, folder: Path | None = None, limit: int = 50) -> list[Engagement]:
    """Engagements in the data folder, most recently changed first."""
    from srm_tui.engine.interview import Interview

    folder = folder or engagements_dir()
    files = sorted(
        (p for p in folder.glob("*.yaml") if p.is_file()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )[:limit]
    out: list[Engagement] = []
    for path in files:
        modified = path.stat().st_mtime
        try:
            answers = load_answers(path, pack)
        except InputError as exc:
            out.append(Engagement(path, path.stem, "", problem=exc.problem, modified=modified))
            continue
        meta = answers.meta
        date = meta.get("date")
        progress = Interview(pack, answers, autosave=False).progress()
        out.append(
            Engagement(
                path,
                str(meta.get("client") or "(no client)"),
                date.isoformat() if isinstance(date, dt.date) else str(date or ""),
                progress.answered,
                progress.total,
                modified=modified,
            )
        )
    return out


def client_key(name: str) -> str:
    """Client names compare without case and extra spaces: "ACME  ltd" is "Acme Ltd"."""
    return " ".join(name.casefold().split())


def with_client(pack: Pack, client: str, folder: Path | None = None) -> list[Engagement]:
    """Saved engagements for this client, most recently changed first."""
    key = client_key(client)
    return [e for e in recent(pack, folder) if not e.problem and client_key(e.client) == key]


@dataclass
class Workshop:
    """Where ``srm serve`` keeps each participant's answers, and the client they are about."""

    folder: Path
    client: str = ""
    participant: str = ""  # this browser's token (see srm_tui.participants)


def join(pack: Pack, workshop: Workshop, name: str, date: dt.date, role: str = "") -> AnswersFile:
    """A new participant's answers file in the workshop folder (never overwriting one)."""
    meta: dict[str, Any] = {"participant": name, "date": date}
    if workshop.client:
        meta["client"] = workshop.client
    if role:
        meta["role"] = role
    answers = AnswersFile.new(pack, new_path(name, date, workshop.folder), **meta)
    answers.save(pack)
    return answers


def start_from(
    pack: Pack, previous: str | Path, path: str | Path | None, today: dt.date | None = None
) -> AnswersFile:
    """A re-assessment: a new answers file (``path``, or one in the data folder) holding
    last time's answers, each carried over until confirmed or changed; ``previous``
    itself is left untouched."""
    from srm_tui.engine import reassess

    old = load_answers(previous, pack)
    date = today or dt.date.today()
    if path is not None:
        path = Path(path)
        if path.exists():
            raise InputError(path, None, "already exists; a re-assessment starts a new file")
        if not path.parent.is_dir():
            raise InputError(path, None, "the folder does not exist")
    else:
        path = new_path(str(old.meta.get("client") or ""), date)
    answers = reassess.start_from(pack, old, path, date)
    answers.save(pack)
    return answers
