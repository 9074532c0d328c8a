"""Training from the archive: what an archived order teaches, activation only when the new model is at
least as good on the most recent 20%, and suggestions from the active model."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hotline.directory.seed import City
from hotline.rules.errors import InvalidInput
from hotline.suggest import serving
from hotline.suggest.models import SuggestModel
from hotline.suggest.selectors import training_examples
from hotline.suggest.services import suggest_for_text, suggest_retrain_if_due, suggest_train
from tests.suggest.appeals import APPEALS
from tests.suggest.conftest import START, archive_answered, archive_order

CATEGORIES = ["urban", "environment", "traffic", "labour", "education", "health"]
#: a category mix-up applied to the poisoned records
SWAPPED = {"urban": "environment", "environment": "urban", "traffic": "labour", "labour": "traffic",
           "education": "health", "health": "education"}


def round_robin(n: int) -> list[tuple[str, str, str, str]]:
    """The first n appeals of each category, one category after the other (as they would come in)."""
    by_category = [[r for r in APPEALS if r[1] == c][:n] for c in CATEGORIES]
    return [rows[i] for i in range(n) for rows in by_category if i < len(rows)]


def build_history(city: City) -> list[int]:
    """25 archived orders, oldest first: consultations answered on the spot, the rest handled by a unit
    (the first street-light complaint was first sent to D01, which returned it, approved); the five most
    recent are matters appealed again and handled by the units this city uses (D08, C04, D12)."""
    ids = []
    for i, (text, category, appeal_type, unit) in enumerate(round_robin(4)[:20]):
        at = START + timedelta(hours=3 * i)
        if appeal_type == "consult":
            ids.append(archive_answered(city, text, category, appeal_type, at).pk)
        else:
            ids.append(archive_order(city, text, category, appeal_type, unit, at,
                                     returned_by="D01" if i == 0 else None).pk)
    again = [r for r in APPEALS if r[3] in {"D08", "C04"} and r[2] != "consult"][:5]
    for i, (text, category, appeal_type, unit) in enumerate(again):
        ids.append(archive_order(city, text + "，再次反映", category, appeal_type, unit,
                                 START + timedelta(days=3, hours=i)).pk)
    return ids


def test_too_little_history_keeps_the_cold_start(city: City) -> None:
    archive_answered(city, "请问社保卡怎么补办", "labour", "consult", START)
    with pytest.raises(InvalidInput, match="archived orders"):
        suggest_train(at=START + timedelta(days=1))
    assert suggest_retrain_if_due(at=START + timedelta(days=1)) is None         # the tick waits for history
    with pytest.raises(CommandError, match="archived orders") as info:
        call_command("suggest", "train")
    assert info.value.returncode == 2
    assert not SuggestModel.objects.exists() and suggest_for_text("请问社保卡怎么补办").cold_start


def test_a_model_is_activated_only_when_at_least_as_good_on_the_recent_orders(city: City, settings: object) -> None:
    ids = build_history(city)
    # an archived order teaches its final category, its type as recorded, and the unit that handled it
    examples = {e.order_id: e for e in training_examples()}
    assert len(examples) == 25
    returned = examples[ids[0]]
    assert (returned.category, returned.appeal_type, returned.unit) == ("urban", "complaint", "D08")  # not D01
    answered = [e for e in examples.values() if e.appeal_type == "consult"]
    assert answered and all(e.unit == "" for e in answered)          # answered on the spot: no unit to learn

    first = suggest_train(at=START + timedelta(days=5))
    assert first.activated and first.previous_version == "cold-start"
    assert first.candidate_score >= first.previous_score
    v1 = first.model
    assert v1.active and v1.n_train == 25 and v1.n_held == 5 and v1.path.startswith("suggest-v1-")
    assert set(v1.figures["candidate"]) == {"category", "appeal_type", "unit"} and v1.size_bytes > 0
    assert v1.window_start == START and v1.figures["train_seconds"] > 0
    assert suggest_retrain_if_due(at=START + timedelta(days=6)) is None         # not due for a week

    # served at once, and it learned this city's practice: street lights go to D08, not D01 as the duty table says
    settings.HOTLINE_SUGGEST_MIN_CONFIDENCE = 0.0  # type: ignore[attr-defined]
    s = suggest_for_text("投诉路灯坏了好几天，晚上一片漆黑")
    assert (s.model_version, s.cold_start) == ("v1", False)
    assert s.category[0].code == "urban" and s.unit[0].code == "D08" and len(s.unit) == 3

    # then a run of wrongly categorised records, and the same matters appealed again with the right category
    poisoned = round_robin(2)[:8]
    at = START + timedelta(days=6)
    for copy in range(2):
        for i, (text, category, appeal_type, _) in enumerate(poisoned):
            archive_answered(city, text, SWAPPED[category], appeal_type, at + timedelta(hours=10 * copy + i))
    recent = [(text + "，再次反映", *rest) for text, *rest in poisoned] + [
        (text + "，第三次反映", *rest) for text, *rest in poisoned[:3]]
    for i, (text, category, appeal_type, _) in enumerate(recent):
        archive_answered(city, text, category, appeal_type, at + timedelta(days=1, hours=i))
    second = suggest_train(at=at + timedelta(days=2))
    assert not second.activated and second.candidate_score < second.previous_score
    assert second.previous_version == "v1" and second.model.n_held == 11
    assert not second.model.active and second.model.path == ""
    assert list(SuggestModel.objects.filter(active=True).values_list("version", flat=True)) == [1]
    serving.reset()
    assert suggest_for_text("投诉路灯坏了好几天").model_version == "v1"
    out = StringIO()
    call_command("suggest", "models", stdout=out)
    assert [line.split()[:2] for line in out.getvalue().splitlines()] == [["v2", "2026-03-10"], ["v1", "*"]]
