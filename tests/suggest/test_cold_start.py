"""A new deployment with no history suggests from the duty table (派单目录) and the category keywords,
and says so; when it is unsure it suggests nothing."""

from __future__ import annotations

import pytest

from hotline.directory.seed import City
from hotline.rules.errors import InvalidInput
from hotline.suggest.services import suggest_for_text


def test_no_history_suggests_from_keywords_and_the_duty_table_and_says_so(city: City) -> None:
    s = suggest_for_text("投诉小区门口路灯坏了，井盖也丢了，物业不管", region="990100")
    assert s.cold_start and s.model_version == "cold-start"
    assert [c.code for c in s.category][:1] == ["urban"] and s.category[0].name == "城乡建设"
    assert s.unit[0].code == "D01" and s.unit[0].name == "市住房和城乡建设局"   # urban is D01's duty
    assert s.appeal_type[0].code == "complaint" and s.appeal_type[0].name == "投诉"
    assert all(0 < c.confidence <= 1 for c in [*s.category, *s.unit, *s.appeal_type])
    assert not s.low_confidence.category


def test_when_unsure_it_suggests_nothing_and_says_so(city: City, settings: object) -> None:
    s = suggest_for_text("您好，我想反映一个情况")
    assert s.category == [] and s.unit == [] and s.low_confidence.category and s.low_confidence.unit
    settings.HOTLINE_SUGGEST_MIN_CONFIDENCE = 0.99  # type: ignore[attr-defined]
    s = suggest_for_text("投诉小区门口路灯坏了")
    assert s.category == [] and s.low_confidence.category and s.threshold == 0.99


def test_a_duty_table_edit_shows_up_in_the_cold_start(city: City) -> None:
    city.units["D08"].duties.add(city.categories["urban"])
    city.units["D01"].duties.remove(city.categories["urban"])
    s = suggest_for_text("投诉小区门口路灯坏了，井盖也丢了")
    assert s.unit[0].code == "D08"


def test_bad_input_is_refused(city: City) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        suggest_for_text("   ")
    with pytest.raises(InvalidInput, match="region code"):
        suggest_for_text("路灯坏了", region="nowhere")
