"""The classifier itself: its serving form (numpy only) gives what scikit-learn gives, it survives a
model file, and it refuses what it cannot learn."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.suggest import bundle
from hotline.suggest.classifier import APPROACHES, KEPT, TextClassifier
from hotline.suggest.compact import CompactClassifier
from hotline.suggest.metrics import evaluate, percentile
from tests.suggest.appeals import APPEALS

TEXTS = [t for t, *_ in APPEALS]


@pytest.mark.parametrize("field", [1, 2, 3])
def test_serving_one_text_gives_the_same_ranking_and_confidences_as_the_batch_path(field: int, tmp_path: Path) -> None:
    model = TextClassifier(APPROACHES[KEPT]).fit(TEXTS, [row[field] for row in APPEALS],
                                                 ["region=990100" if i % 2 else "" for i in range(len(TEXTS))])
    compact = model.compact()
    assert isinstance(compact, CompactClassifier)
    bundle.save(compact, tmp_path / "m.pkl", kind="classifier")
    loaded: CompactClassifier = bundle.load(tmp_path / "m.pkl", kind="classifier")
    assert loaded.rank("ⅩⅫ") == []                                  # knows none of it: no guess from priors
    for text in [*TEXTS[:12], "完全无关的一句话", "路灯", "a"]:
        for context in ("", "region=990100"):
            batch = model.rank_many([text], [context], k=5)[0]          # scikit-learn
            for one in (model.rank(text, context, k=5), loaded.rank(text, context, k=5)):
                if not one:                                         # the compact form knows none of its n-grams
                    assert text not in TEXTS
                    continue
                assert [label for label, _ in one] == [label for label, _ in batch]
                assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(one, batch, strict=True))
                assert 0 < sum(c for _, c in one) <= 1 + 1e-6


def test_a_classifier_needs_two_labels() -> None:
    with pytest.raises(ValueError, match="two different labels"):
        TextClassifier(APPROACHES[KEPT]).fit(TEXTS[:3], ["urban"] * 3)


def test_the_figures() -> None:
    report = evaluate(["a", "a", "b", "c"], [["a", "b"], ["b", "a"], ["b"], ["a", "b", "c"]], [1.0, 2.0, 3.0, 4.0])
    assert (report.n, report.accuracy, report.top3_accuracy) == (4, 0.5, 1.0)
    per = {c.label: c for c in report.per_class}
    assert (per["a"].precision, per["a"].recall, per["b"].precision, per["c"].recall) == (0.5, 0.5, 0.5, 0.0)
    assert report.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert report.confusion[report.labels.index("c")][report.labels.index("a")] == 1
    assert (report.p50_ms, percentile([1.0, 2.0, 3.0, 4.0], 95)) == (2.5, pytest.approx(3.85))
