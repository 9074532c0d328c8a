"""Suggestions over the API: what hotline staff get for a text, feedback recorded, acceptance figures."""

from __future__ import annotations

from collections.abc import Callable

from hotline.suggest.models import SuggestionFeedback
from tests.api.conftest import Api

LAMP = "小区门口路灯坏了一个月无人修"


def test_suggestions_for_a_text_come_from_the_duty_table_at_cold_start(as_user: Callable[[str], Api]) -> None:
    response = as_user("operator").post("/api/v1/suggest", {"text": LAMP})
    assert response.status_code == 200, response.content.decode()
    found = response.json()
    assert found["cold_start"] is True
    assert found["category"][0]["code"] == "urban" and found["category"][0]["name"] == "城乡建设"
    assert found["unit"][0]["code"] == "D01" and 0 < found["unit"][0]["confidence"] <= 1
    assert found["low_confidence"]["category"] is False


def test_similar_earlier_orders_are_listed_for_hotline_staff_only(as_user: Callable[[str], Api]) -> None:
    order = as_user("operator").intake(content=LAMP)
    staff = as_user("dispatcher").post("/api/v1/suggest", {"text": LAMP}).json()
    assert order["number"] in [s["number"] for s in staff["similar"]]
    admin = as_user("admin").post("/api/v1/suggest", {"text": LAMP}).json()
    assert admin["similar"] == []


def test_unsure_fields_suggest_nothing(as_user: Callable[[str], Api]) -> None:
    found = as_user("operator").post("/api/v1/suggest", {"text": "你好"}).json()
    assert found["category"] == [] and found["low_confidence"]["category"] is True


def test_bad_input_is_named(as_user: Callable[[str], Api]) -> None:
    response = as_user("operator").post("/api/v1/suggest", {"text": LAMP, "region": "NOPE"})
    assert response.status_code == 400 and "NOPE" in response.json()["message_zh"]
    assert as_user("operator").post("/api/v1/suggest", {"text": ""}).status_code == 422


def test_unit_staff_and_analysts_get_no_suggestions(as_user: Callable[[str], Api]) -> None:
    for name in ("d01-handler", "analyst"):
        response = as_user(name).post("/api/v1/suggest", {"text": LAMP})
        assert response.status_code == 403, name
        assert response.json()["message_zh"]


def test_feedback_is_recorded_and_counted_in_the_acceptance_figures(as_user: Callable[[str], Api]) -> None:
    order = as_user("operator").intake()
    dispatcher = as_user("dispatcher")
    kept = dispatcher.post("/api/v1/suggest/feedback", {"order": order["id"], "field": "unit",
                                                       "suggested": ["D01", "D08"], "top_confidence": 0.87,
                                                       "chosen": "D01"})
    assert kept.status_code == 201, kept.content.decode()
    assert kept.json()["accepted"] is True and kept.json()["in_top3"] is True
    other = dispatcher.post("/api/v1/suggest/feedback", {"order": order["id"], "field": "unit",
                                                        "suggested": ["D01", "D08"], "chosen": "D08"})
    assert other.json()["accepted"] is False and other.json()["in_top3"] is True
    row = SuggestionFeedback.objects.get(pk=kept.json()["id"])
    assert row.user == dispatcher.user and row.top_confidence == 0.87

    figures = as_user("analyst").get("/api/v1/suggest/acceptance")
    assert figures.status_code == 200, figures.content.decode()
    weeks = figures.json()["fields"]["unit"]
    assert sum(w["shown"] for w in weeks) == 2 and sum(w["accepted"] for w in weeks) == 1
    assert weeks[-1]["rate"] == 0.5


def test_feedback_needs_a_visible_order_and_a_known_field(as_user: Callable[[str], Api]) -> None:
    order = as_user("operator").intake()
    dispatcher = as_user("dispatcher")
    assert dispatcher.post("/api/v1/suggest/feedback", {"order": 999999, "field": "unit", "chosen": "D01"}).status_code == 404
    assert dispatcher.post("/api/v1/suggest/feedback",
                           {"order": order["id"], "field": "colour", "chosen": "D01"}).status_code == 422
    refused = as_user("d01-handler").post("/api/v1/suggest/feedback",
                                          {"order": order["id"], "field": "unit", "chosen": "D01"})
    assert refused.status_code == 403


def test_acceptance_figures_are_for_supervisors_analysts_and_admins(as_user: Callable[[str], Api]) -> None:
    assert as_user("operator").get("/api/v1/suggest/acceptance").status_code == 403
    assert as_user("supervisor").get("/api/v1/suggest/acceptance").status_code == 200
    bad = as_user("analyst").get("/api/v1/suggest/acceptance", {"since": "2026-05-01", "until": "2026-04-01"})
    assert bad.status_code == 400
