"""A new model is swapped in while requests are being served: each request keeps the model it started
with, new requests get the new one, nothing fails half-way."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from hotline.suggest import serving
from hotline.suggest.bundle import SuggestBundle
from hotline.suggest.classifier import APPROACHES, TextClassifier
from tests.suggest.appeals import APPEALS


def bundle(version: str, prefix: str) -> SuggestBundle:
    """A small model whose category labels start with ``prefix``: its answers tell which model gave them."""
    texts = [t for t, *_ in APPEALS]
    classifier = TextClassifier(APPROACHES["baseline"]).fit(texts, [prefix + c for _, c, _, _ in APPEALS],
                                                            calibrate=False).compact()
    return SuggestBundle(version, "baseline", datetime(2026, 3, 1), {"category": classifier})


def test_requests_keep_their_model_while_another_is_swapped_in(settings: pytest.FixtureRequest) -> None:
    settings.HOTLINE_SUGGEST_RELOAD_SECONDS = 3600  # type: ignore[attr-defined]
    old, new = bundle("v1", "old:"), bundle("v2", "new:")
    serving.swap(old)
    failures: list[str] = []
    served: dict[str, int] = {"v1": 0, "v2": 0}
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            model = serving.current()                      # one request: the reference is taken once
            first = model.predict("投诉路灯坏了")["category"][0][0]
            second = model.predict("请问孩子入学要什么材料")["category"][0][0]
            prefix = "old:" if model.version == "v1" else "new:"
            if not (first.startswith(prefix) and second.startswith(prefix)):
                failures.append(f"{model.version} answered {first}, {second}")
            served[model.version] += 1

    threads = [threading.Thread(target=serve) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(40):
        serving.swap(new if i % 2 == 0 else old)
    serving.swap(new)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not failures and served["v1"] + served["v2"] > 0
    assert serving.current() is new
    assert old.predict("投诉路灯坏了")["category"][0][0].startswith("old:")   # a holder of the old model still works
