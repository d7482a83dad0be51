"""Combining several participants' answers into one workshop file.

Participants skip questions, see different questions (their own answers hide some), and
may have answered an older pack whose questions were since dropped; any mix merges.

For each question only the answers of participants who were asked it count (an answer
hidden by the participant's own other answers is stale), unless nobody was asked it,
then every answer given counts. Where the counted answers agree the answer is kept;
where they differ, each participant's answer (or that they gave none) is listed so the
facilitator knows what to discuss, and the merged answer is the union (for lists) or
the most common answer (ties: the first given). Answers to questions the pack dropped
are kept, and the merged file is stamped with the oldest pack version among its inputs,
so that it validates with them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srm_tui.engine import tracking
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.pack import CompiledQuestion, Pack
from srm_tui.engine.pack_schema import version_tuple
from srm_tui.engine.values import coerce, display
from srm_tui.engine.visibility import evaluate
from srm_tui.engine.vocabulary import DISAGREEMENTS_KEY, TRACKING_KEY

NOT_ANSWERED = "not answered"
NOT_ASKED = "not answered (hidden by their other answers)"


@dataclass
class Given:
    """One participant's side of a question."""

    by: str
    value: Any  # None when not answered
    asked: bool = True  # False: the question was hidden for this participant

    @property
    def answered(self) -> bool:
        return self.value not in (None, "", [])


@dataclass
class Disagreement:
    question: str
    title: str
    kind: str  # "belief" or "fact"
    answers: list[Given]  # every participant, in input order
    merged: Any

    def shown(self, pack: Pack, given: Given) -> str:
        """One participant's answer as a person reads it."""
        if not given.answered:
            return NOT_ANSWERED
        if not given.asked:
            return NOT_ASKED
        cq = pack.question_by_id.get(self.question)
        if cq is None:
            return _plain(given.value)
        return display(pack, cq, given.value)

    def kept(self, pack: Pack) -> str:
        """The merged answer as a person reads it."""
        return self.shown(pack, Given("", self.merged))

    def to_json(self, pack: Pack) -> dict[str, Any]:
        return {
            "question": self.question,
            "title": self.title,
            "kind": self.kind,
            "answers": [
                {
                    "by": g.by,
                    "value": g.value if g.answered and g.asked else None,
                    "shown": self.shown(pack, g),
                }
                for g in self.answers
            ],
            "merged": self.merged,
        }


def participant(file: AnswersFile) -> str:
    meta = file.meta
    name = meta.get("participant") or meta.get("assessor")
    return str(name) if name else (file.path.stem if file.path else "participant")


def merge(pack: Pack, files: list[AnswersFile]) -> tuple[AnswersFile, list[Disagreement]]:
    """One answers file for the workshop, and the disagreements found."""
    names = _unique_names([participant(f) for f in files])
    visible = [evaluate(pack, f.answers)[0] for f in files]
    merged_answers: dict[str, Any] = {}
    disagreements: list[Disagreement] = []
    answered = {q for f in files for q, v in f.answers.items() if v not in (None, "", [])}
    retired = [
        q for f in files for q in f.answers if q in answered and q not in pack.question_by_id
    ]
    for qid in [*(c.id for c in pack.questions if c.id in answered), *dict.fromkeys(retired)]:
        known = qid in pack.question_by_id
        given = [
            Given(n, f.answers.get(qid), qid in seen or not known)
            for n, f, seen in zip(names, files, visible, strict=True)
        ]
        counted = [g for g in given if g.answered and g.asked] or [g for g in given if g.answered]
        values = [g.value for g in counted]
        if all(_key(v) == _key(values[0]) for v in values):
            merged_answers[qid] = values[0]  # agreed: kept exactly as given
            continue
        cq = pack.question_by_id.get(qid)
        value = _combine(values) if cq is None else _settled(pack, cq, _combine(values))
        merged_answers[qid] = value
        kind = "belief" if cq and cq.q.belief else "fact"
        title = cq.q.title if cq else f"{qid} (no longer asked)"
        disagreements.append(Disagreement(qid, title, kind, given, value))
    notes: dict[str, str] = {}
    for name, f in zip(names, files, strict=True):
        for qid, text in f.notes.items():
            notes[qid] = (notes[qid] + "\n" if qid in notes else "") + f"{name}: {text}"
    first = files[0].meta
    meta = {
        "client": first.get("client"),
        "assessor": ", ".join(names),
        "date": max((f.meta["date"] for f in files if f.meta.get("date")), default=None, key=str),
        "scope": first.get("scope"),
        "classification": first.get("classification"),
    }
    raw = {
        "questionnaire": _oldest_ref(pack, files) if retired else pack.ref,
        "meta": {k: v for k, v in meta.items() if v is not None},
        "answers": merged_answers,
        "notes": notes,
        "participants": names,
        "disagreements": [d.to_json(pack) for d in disagreements],
    }
    tracked, differ = tracking.merge([(n, f.raw) for n, f in zip(names, files, strict=True)])
    if tracked:
        raw[TRACKING_KEY] = tracked
    if differ:
        raw[DISAGREEMENTS_KEY] = differ
    return AnswersFile(raw), disagreements


def _settled(pack: Pack, cq: CompiledQuestion, value: Any) -> Any:
    """A merged answer as the interview would store it: a union in catalog order, and
    without "None of these" once someone named something."""
    value = coerce(pack, cq, value)
    if isinstance(value, list) and len(value) > 1:
        exclusive = {c.value for c in pack.choices(cq.q) if c.exclusive}
        value = [v for v in value if v not in exclusive] or value[:1]
    return value


def _oldest_ref(pack: Pack, files: list[AnswersFile]) -> str:
    """The oldest pack version the inputs were answered against (they all loaded, so
    each is this pack at the same major version, not newer)."""
    versions = [f.questionnaire.partition("@")[2] for f in files]
    known = {v: parsed for v in versions if (parsed := version_tuple(v)) is not None}
    oldest = min(known, key=known.__getitem__) if known else pack.info.version
    return f"{pack.info.id}@{oldest}"


def _combine(values: list[Any]) -> Any:
    """Answers that differ: every item of lists, else the most common answer."""
    if all(isinstance(v, list) for v in values):
        return _union(values)
    counts = Counter(_key(v) for v in values)
    best = max(counts.values())
    return next(v for v in values if counts[_key(v)] == best)


def _union(lists: list[list[Any]]) -> list[Any]:
    """Every item of every list once, in the order first given."""
    seen: dict[str, Any] = {}
    for items in lists:
        for item in items:
            seen.setdefault(_key(item), item)
    return list(seen.values())


def _key(value: Any) -> str:
    """A hashable stand-in for any YAML value (retired answers are not checked)."""
    return json.dumps(value, sort_keys=True, default=str)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _unique_names(names: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def merged_path_ok(path: Path, inputs: list[Path]) -> bool:
    """The merged file must not overwrite one of its inputs."""
    target = path.resolve()
    return all(target != p.resolve() for p in inputs)
