"""Matcher quality on a labelled message set: the figures of issue 4, shared by bench and tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.result import TRIAGE_ORDER, MatchResult

SETS_DIR = Path(__file__).resolve().parent.parent / "tests" / "data"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message."""

    text: str
    causes: tuple[str, ...]
    negated: tuple[str, ...]
    question: str | None
    triage: str
    off_topic: bool
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Metric:
    """One line of the quality table; `higher` says which way is better."""

    key: str
    label: str
    target: float | None
    higher: bool = True


METRICS: tuple[Metric, ...] = (
    Metric("top1", "causes top-1 (first = first expected)", 0.90),
    Metric("top1_any", "causes top-1 (first is an expected one)", None),
    Metric("top3_any", "any expected cause in top 3", 0.98),
    Metric("multi_all", "all causes of multi-cause in top 3", 0.90),
    Metric("negated_first", "negated causes never first", 1.00),
    Metric("questions", "questions: right id", 0.90),
    Metric("question_false", "questions: spurious on non-questions", None, higher=False),
    Metric("doctor_recall", "see_doctor-or-higher recall", 0.95),
    Metric("urgent_recall", "urgent recall", 1.00),
    Metric("false_alarms", "false alarms on plain complaints", 0.02, higher=False),
    Metric("off_rejected", "off-topic rejected", 0.95),
    Metric("off_false", "off-topic false rejects", None, higher=False),
)


@dataclass(slots=True)
class Report:
    """Counts per metric: (hits, cases), and which examples missed, by index."""

    counts: dict[str, list[int]] = field(default_factory=lambda: {m.key: [0, 0] for m in METRICS})
    misses: dict[str, list[int]] = field(default_factory=lambda: {m.key: [] for m in METRICS})

    def add(self, key: str, index: int, ok: bool) -> None:
        self.counts[key][1] += 1
        if ok:
            self.counts[key][0] += 1
        else:
            self.misses[key].append(index)

    def rate(self, key: str) -> float | None:
        hits, cases = self.counts[key]
        return hits / cases if cases else None

    def passed(self, key: str) -> bool | None:
        metric = next(m for m in METRICS if m.key == key)
        rate = self.rate(key)
        if metric.target is None or rate is None:
            return None
        return rate >= metric.target if metric.higher else rate <= metric.target


def load_set(name_or_path: str | Path) -> list[Example]:
    """A labelled set by name ("tuning", "heldout") or path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SETS_DIR / f"{name_or_path}.yaml"
    data: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Example(
            text=str(e["text"]),
            causes=tuple(e.get("causes") or ()),
            negated=tuple(e.get("negated") or ()),
            question=e.get("question"),
            triage=str(e.get("triage") or "self_care"),
            off_topic=bool(e.get("off_topic")),
            tags=tuple(e.get("tags") or ()),
        )
        for e in data
    ]


def evaluate(match: Callable[[str], MatchResult], examples: Iterable[Example]) -> Report:
    """Run `match` on every example and count each metric of `METRICS`."""
    report = Report()
    for i, ex in enumerate(examples):
        got = match(ex.text)
        ids = got.cause_ids
        first = ids[0] if ids else None
        if ex.off_topic:
            report.add("off_rejected", i, got.off_topic)
        else:
            report.add("off_false", i, not got.off_topic)
            if ex.causes:
                report.add("top1", i, first == ex.causes[0])
                report.add("top1_any", i, first in ex.causes)
                report.add("top3_any", i, any(c in ids[:3] for c in ex.causes))
            if len(ex.causes) >= 2:
                report.add("multi_all", i, all(c in ids[:3] for c in ex.causes))
            if ex.negated:
                report.add("negated_first", i, first not in ex.negated)
        if ex.question is not None:
            report.add("questions", i, got.question is not None and got.question.id == ex.question)
        else:
            report.add("question_false", i, got.question is None)
        level = TRIAGE_ORDER.get(got.triage, 0)
        if ex.triage in ("see_doctor", "urgent"):
            report.add("doctor_recall", i, level >= TRIAGE_ORDER["see_doctor"])
        if ex.triage == "urgent":
            report.add("urgent_recall", i, got.triage == "urgent")
        if ex.triage == "self_care" and not ex.off_topic:
            report.add("false_alarms", i, level == 0)
    # "false alarms", "spurious questions" and "false rejects" count the bad cases
    for key in ("false_alarms", "question_false", "off_false"):
        hits, cases = report.counts[key]
        report.counts[key] = [cases - hits, cases]
    return report


def fmt_rate(report: Report, key: str) -> str:
    hits, cases = report.counts[key]
    if not cases:
        return "n/a"
    return f"{100.0 * hits / cases:5.1f}% ({hits}/{cases})"
