"""Cross-validation that keeps near-duplicate groups together (no leak between folds)."""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from hotline.suggest.classifier import Approach, TextClassifier
from hotline.suggest.metrics import Report, evaluate
from hotline.suggest.text import group_key


@dataclass(frozen=True)
class CvResult:
    approach: str
    folds: int
    report: Report                 # over the out-of-fold predictions of all texts
    fold_accuracy_sd: float
    train_seconds: float           # mean per fold


def cross_validate(approach: Approach, texts: Sequence[str], labels: Sequence[str], *, folds: int = 5,
                   seed: int = 0) -> CvResult:
    """k-fold grouped, stratified cross-validation; figures over all out-of-fold predictions."""
    if len(set(labels)) < 2:
        raise ValueError("at least two different labels are needed")
    groups = [group_key(t) for t in texts]
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    ranked: list[list[str]] = [[] for _ in texts]
    fold_acc, fit_seconds = [], []
    y = np.array(labels)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class")
        splits = list(splitter.split(np.zeros(len(texts)), y, groups))
    for train, test in splits:
        started = time.perf_counter()
        model = TextClassifier(approach).fit([texts[i] for i in train], [labels[i] for i in train], calibrate=False)
        fit_seconds.append(time.perf_counter() - started)
        predictions = model.rank_many([texts[i] for i in test], k=3)
        for i, p in zip(test, predictions, strict=True):
            ranked[i] = [label for label, _ in p]
        fold_acc.append(float(np.mean([ranked[i][0] == labels[i] for i in test])))
    return CvResult(approach.name, folds, evaluate(labels, ranked), float(np.std(fold_acc)), float(np.mean(fit_seconds)))
