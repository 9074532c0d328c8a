"""Figures of a classifier on labelled texts: accuracy, macro-F1, top-3, per class, confusion, latency.

Pure Python: used by ``hotline suggest eval|cv`` and by the database training's hold-back check.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClassFigures:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    n: int
    accuracy: float
    macro_f1: float
    top3_accuracy: float
    per_class: tuple[ClassFigures, ...] = ()
    labels: tuple[str, ...] = ()
    confusion: tuple[tuple[int, ...], ...] = ()        # rows: true label, columns: predicted label
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, float | int]:
        """The figures a machine reads (``--json``)."""
        return {"accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4),
                "top3_accuracy": round(self.top3_accuracy, 4), "p50_ms": round(self.p50_ms, 3),
                "p95_ms": round(self.p95_ms, 3), "n": self.n, **{k: round(v, 4) for k, v in self.extra.items()}}


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear between closest ranks; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def evaluate(truth: Sequence[str], ranked: Sequence[Sequence[str]], latencies_ms: Sequence[float] = ()) -> Report:
    """Figures for predictions given as ranked label lists (best first), one per text."""
    if len(truth) != len(ranked):
        raise ValueError("truth and predictions differ in length")
    n = len(truth)
    if n == 0:
        return Report(0, 0.0, 0.0, 0.0)
    predicted = [r[0] if r else "" for r in ranked]
    hits = sum(t == p for t, p in zip(truth, predicted, strict=True))
    top3 = sum(t in list(r)[:3] for t, r in zip(truth, ranked, strict=True))
    labels = tuple(sorted(set(truth) | {p for p in predicted if p}))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for t, p in zip(truth, predicted, strict=True):
        if p:
            matrix[index[t]][index[p]] += 1
    support = Counter(truth)
    per_class = []
    for label in labels:
        i = index[label]
        tp = matrix[i][i]
        predicted_n = sum(row[i] for row in matrix)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support[label] if support[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append(ClassFigures(label, precision, recall, f1, support[label]))
    in_truth = [c for c in per_class if c.support]
    macro_f1 = sum(c.f1 for c in in_truth) / len(in_truth)
    return Report(n, hits / n, macro_f1, top3 / n, tuple(per_class), labels, tuple(tuple(r) for r in matrix),
                  percentile(latencies_ms, 50), percentile(latencies_ms, 95))


def _pad(text: str, width: int) -> str:
    """``text`` cut and padded to ``width`` terminal columns (a Chinese character takes two)."""
    out, used = "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


def format_report(report: Report, *, max_classes: int = 40) -> str:
    """A report a person reads: headline figures, per-class precision/recall, the confusion table."""
    lines = [f"n = {report.n}",
             f"accuracy 准确率        {report.accuracy:.4f}",
             f"macro-F1 宏平均F1      {report.macro_f1:.4f}",
             f"top-3 accuracy 前三命中 {report.top3_accuracy:.4f}",
             f"latency per appeal 单条耗时 p50 {report.p50_ms:.2f} ms, p95 {report.p95_ms:.2f} ms", "",
             f"{_pad('class 类别', 28)} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>6}"]
    for c in report.per_class[:max_classes]:
        lines.append(f"{_pad(c.label, 28)} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f} {c.support:>6}")
    if len(report.per_class) > max_classes:
        lines.append(f"… {len(report.per_class) - max_classes} more classes")
    shown = report.labels[:max_classes]
    if shown:
        lines += ["", "confusion 混淆表 (row = true 实际, column = predicted 预测; columns numbered as rows)"]
        lines.append(" " * 32 + "".join(f"{i + 1:>6}" for i in range(len(shown))))
        for i, label in enumerate(shown):
            row = report.confusion[i][:len(shown)]
            lines.append(f"{i + 1:>3} {_pad(label, 28)} " + "".join(f"{v:>6}" for v in row))
    return "\n".join(lines)
