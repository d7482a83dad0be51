"""Combining several participants' answers into one workshop file.

Where participants agree the answer is kept; where they disagree, the question, each
answer and who gave it are listed so the facilitator knows what to discuss. The merged
answer is then the union (for lists) or the most common answer (ties: the first given).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srm_tui.engine import tracking
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.pack import Pack
from srm_tui.engine.values import display

TRACKING_DISAGREEMENTS = "tracking_disagreements"


@dataclass
class Disagreement:
    question: str
    title: str
    kind: str  # "belief" or "fact"
    answers: list[tuple[str, Any]]  # (participant, value)
    merged: Any

    def to_json(self, pack: Pack) -> dict[str, Any]:
        cq = pack.question_by_id[self.question]
        return {
            "question": self.question,
            "title": self.title,
            "kind": self.kind,
            "answers": [
                {"by": who, "value": value, "shown": display(pack, cq, value)}
                for who, value in self.answers
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
    merged_answers: dict[str, Any] = {}
    disagreements: list[Disagreement] = []
    qids = dict.fromkeys(q for f in files for q in f.answers)
    for qid in qids:
        given = [(n, f.answers[qid]) for n, f in zip(names, files, strict=True)]
        given = [(n, v) for n, v in given if v not in (None, "", [])]
        if not given:
            continue
        cq = pack.question_by_id.get(qid)
        values = [v for _, v in given]
        value = _combine(values)
        merged_answers[qid] = value
        if cq is not None and any(v != values[0] for v in values):
            kind = "belief" if cq.q.belief else "fact"
            disagreements.append(Disagreement(qid, cq.q.title, kind, given, value))
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
        "questionnaire": pack.ref,
        "meta": {k: v for k, v in meta.items() if v is not None},
        "answers": merged_answers,
        "notes": notes,
        "participants": names,
        "disagreements": [d.to_json(pack) for d in disagreements],
    }
    tracked, differ = tracking.merge([(n, f.raw) for n, f in zip(names, files, strict=True)])
    if tracked:
        raw[tracking.TRACKING_KEY] = tracked
    if differ:
        raw[TRACKING_DISAGREEMENTS] = differ
    return AnswersFile(raw), disagreements


def _combine(values: list[Any]) -> Any:
    if all(isinstance(v, list) for v in values):
        return list(dict.fromkeys(x for v in values for x in v))
    counts = Counter(_key(v) for v in values)
    best = max(counts.values())
    return next(v for v in values if counts[_key(v)] == best)


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


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
