"""Answers files: what one interview produced.

The whole document is kept as read, so extension keys (``x-…``), meta fields this version
does not know and answers to questions a newer pack dropped survive a load and save
untouched; any other unknown top-level key is refused as a likely typo. Saving is atomic
and the file is readable by its owner only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from srm_tui.engine import yamlio
from srm_tui.engine.errors import InputError, did_you_mean
from srm_tui.engine.pack import Pack
from srm_tui.engine.pack_loader import PackErrors
from srm_tui.engine.pack_schema import version_tuple
from srm_tui.engine.values import AnswerError, coerce
from srm_tui.engine.vocabulary import DISAGREEMENTS_KEY, TRACKING_KEY

META_FIELDS = ("client", "assessor", "date", "scope", "classification")
REVIEW_KEY = "review"  # the marks of a re-assessment: confirmed or changed, per question
# Every top-level key an answers file may hold; any other is a typo that would be ignored,
# except keys starting with EXTENSION_PREFIX, which belong to the user's own tools.
TOP_LEVEL = (
    "questionnaire",
    "meta",
    "answers",
    "notes",
    "position",
    TRACKING_KEY,
    DISAGREEMENTS_KEY,
    REVIEW_KEY,
    "participants",
    "disagreements",
)
EXTENSION_PREFIX = "x-"


class AnswersFile:
    """One engagement's answers, notes and metadata, bound to a file or not."""

    def __init__(self, raw: dict[str, Any], path: Path | None = None):
        self.raw = raw
        self.path = path
        raw.setdefault("meta", {})
        raw.setdefault("answers", {})
        raw.setdefault("notes", {})

    @classmethod
    def new(cls, pack: Pack, path: str | Path | None = None, **meta: Any) -> AnswersFile:
        meta.setdefault("date", dt.date.today())
        raw = {"questionnaire": pack.ref, "meta": meta, "answers": {}, "notes": {}}
        return cls(raw, Path(path) if path else None)

    @property
    def questionnaire(self) -> str:
        return str(self.raw.get("questionnaire", ""))

    @property
    def meta(self) -> dict[str, Any]:
        return self._section("meta")

    @property
    def answers(self) -> dict[str, Any]:
        return self._section("answers")

    @property
    def notes(self) -> dict[str, str]:
        return self._section("notes")

    def _section(self, key: str) -> dict[str, Any]:
        """A mapping the constructor set and :func:`check_answers` checked."""
        section = self.raw[key]
        assert isinstance(section, dict), f"{key} is not a mapping"
        return section

    @property
    def position(self) -> str | None:
        """The question the person was on when the file was last saved."""
        return self.raw.get("position")

    @position.setter
    def position(self, qid: str | None) -> None:
        self.raw["position"] = qid

    def retired(self, pack: Pack) -> list[str]:
        """Answered question ids the pack no longer has (kept, reported, never dropped)."""
        return [k for k in self.answers if k not in pack.question_by_id]

    def save(self, pack: Pack | None = None, path: str | Path | None = None) -> Path:
        """Write atomically (0600); stamps the pack it now conforms to."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("answers file has no path")
        yamlio.write_atomic(target, self.text(pack), mode=0o600)
        self.path = target
        return target

    def text(self, pack: Pack | None = None) -> str:
        """The file's YAML as :meth:`save` writes it, stamped with ``pack``."""
        if pack is not None and not self.retired(pack):
            # A file holding answers to questions the pack dropped keeps the version they
            # belong to: stamped with this one, they would read as unknown questions.
            self.raw["questionnaire"] = pack.ref
        if self.raw.get("position") is None:
            self.raw.pop("position", None)
        return yamlio.dump(self.raw)


def load_answers(path: str | Path, pack: Pack) -> AnswersFile:
    """Read and check an answers file; raises :class:`InputError` (every problem listed)."""
    doc = yamlio.load(path)
    problems = check_answers(doc, pack)
    if problems:
        raise PackErrors(problems)
    return AnswersFile(doc.data, Path(path))


def check_answers(doc: yamlio.Document, pack: Pack) -> list[InputError]:
    """Every problem in an answers document, each naming its place."""
    data = doc.data
    if not isinstance(data, dict):
        return [doc.error((), "expected a mapping with questionnaire, meta and answers")]
    if not {"questionnaire", "meta", "answers", "notes"} & data.keys():
        return [doc.error((), "not an answers file (no questionnaire, meta or answers key)")]
    problems = [
        doc.error((key,), f"unknown key {key!r}{did_you_mean(key, TOP_LEVEL)}")
        for key in data
        if key not in TOP_LEVEL and not str(key).startswith(EXTENSION_PREFIX)
    ]
    same_version = _check_version(doc, pack, problems)
    for key in ("meta", "answers", "notes", REVIEW_KEY):
        if key in data and not isinstance(data[key], dict):
            problems.append(doc.error((key,), f"{key} must be a mapping"))
    if problems:
        return problems
    meta = data.get("meta") or {}
    for key, value in meta.items():
        if key == "date":
            if not isinstance(value, (dt.date, str)):
                problems.append(doc.error(("meta", key), "expected a date (YYYY-MM-DD)"))
            elif isinstance(value, str):
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    problems.append(doc.error(("meta", key), f"{value!r} is not a date"))
        elif key in META_FIELDS and not isinstance(value, (str, type(None))):
            problems.append(doc.error(("meta", key), "expected text"))
    for qid, value in (data.get("answers") or {}).items():
        cq = pack.question_by_id.get(qid)
        if cq is None:
            if same_version:
                hint = did_you_mean(qid, pack.question_by_id)
                problems.append(doc.error(("answers", qid), f"unknown question {qid!r}{hint}"))
            continue
        if value is None:
            continue
        try:
            data["answers"][qid] = coerce(pack, cq, value)
        except AnswerError as exc:
            loc = ("answers", qid) if exc.index is None else ("answers", qid, exc.index)
            problems.append(doc.error(loc, str(exc)))
    for qid, note in (data.get("notes") or {}).items():
        if not isinstance(note, str):
            problems.append(doc.error(("notes", qid), "a note must be text"))
    if data.get(TRACKING_KEY) is not None:  # the tracking models load pydantic: only then
        from srm_tui.engine import tracking

        problems += tracking.check(doc, set(pack.control_by_id), strict=same_version)
    return problems


def _check_version(doc: yamlio.Document, pack: Pack, problems: list[InputError]) -> bool:
    """True when the file was answered against this exact pack version."""
    ref = doc.data.get("questionnaire")
    if ref is None:
        return True  # a hand-written file: treat it as written for this pack
    if not isinstance(ref, str) or "@" not in ref:
        problems.append(doc.error(("questionnaire",), "expected 'pack-id@version'"))
        return False
    pack_id, _, version = ref.partition("@")
    if pack_id != pack.info.id:
        problems.append(
            doc.error(("questionnaire",), f"answered with pack {pack_id!r}, not {pack.info.id!r}")
        )
        return False
    theirs, ours = version_tuple(version), pack.info.release
    if theirs is None:
        problems.append(doc.error(("questionnaire",), f"{version!r} is not a version"))
        return False
    if theirs[0] != ours[0] or theirs > ours:
        problems.append(
            doc.error(
                ("questionnaire",),
                f"unknown pack version {version} (this tool has {pack.ref})",
            )
        )
        return False
    return theirs == ours
