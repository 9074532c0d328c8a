"""Early warnings over the API: list, evidence, acknowledge and close by supervisors, nothing for others."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.directory.seed import City
from hotline.early_warning.models import EarlyWarning, Status
from hotline.orders.models import Appeal
from tests.api.conftest import Api, as_user  # noqa: F401 - the fixture
from tests.early_warning.test_services import raise_warning
from tests.rules.walk import article

pytestmark = pytest.mark.django_db


@article("xixian §9(6)")
def test_a_supervisor_lists_a_warning_reads_its_evidence_and_closes_it_with_a_note(
        city: City, as_user: Callable[[str], Api]) -> None:  # noqa: F811
    danger = Appeal.objects.create(channel="phone", appeal_type="help", content="邻居说不想活了要跳楼",
                                   received_at=timezone.now() - timedelta(minutes=30))  # the scan runs now
    supervisor = as_user("supervisor")
    scan = supervisor.post("/api/v1/warnings/scan", {"kinds": ["danger"]})
    assert scan.status_code == 200 and scan.json()["counts"] == {"danger": {"raised": 1}}
    listed = supervisor.get("/api/v1/warnings", {"status": "active"}).json()
    assert [w["kind"] for w in listed] == ["danger"] and listed[0]["severity"] == "high"
    one = supervisor.get(f"/api/v1/warnings/{listed[0]['id']}").json()
    assert {w["word"] for w in one["evidence"]["words"]} >= {"跳楼", "不想活"}
    assert one["rule"] == "ziyang §21; xixian §9(6)" and one["history"][0]["action"] == "raised"
    acked = supervisor.post(f"/api/v1/warnings/{one['id']}/acknowledge", {"note": "已联系社区"})
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged"
    refused = supervisor.post(f"/api/v1/warnings/{one['id']}/close", {"note": ""})
    assert refused.status_code == 422 and refused.json()["code"]         # a note is required
    closed = supervisor.post(f"/api/v1/warnings/{one['id']}/close", {"note": "社区民警已上门，人员安全"})
    assert closed.status_code == 200
    body = closed.json()
    assert body["status"] == "closed" and body["note"] == "社区民警已上门，人员安全"
    assert [(h["action"], h["actor"]) for h in body["history"]] == [
        ("raised", "系统"), ("acknowledged", supervisor.user.display_name), ("closed", supervisor.user.display_name)]
    again = supervisor.post(f"/api/v1/warnings/{one['id']}/close", {"note": "再关"})
    assert again.status_code == 409 and again.json()["code"]
    assert danger.pk in EarlyWarning.objects.get(pk=one["id"]).appeals.values_list("pk", flat=True)


def test_an_analyst_reads_but_does_not_act(city: City, as_user: Callable[[str], Api]) -> None:  # noqa: F811
    warning = raise_warning(city)
    analyst = as_user("analyst")
    assert [w["id"] for w in analyst.get("/api/v1/warnings").json()] == [warning.pk]
    assert analyst.post(f"/api/v1/warnings/{warning.pk}/acknowledge", {}).status_code == 403
    assert analyst.post("/api/v1/warnings/scan", {}).status_code == 403
    assert EarlyWarning.objects.get(pk=warning.pk).status == Status.OPEN


def test_a_unit_sees_its_own_overdue_warning_and_nothing_about_who_appealed(
        city: City, as_user: Callable[[str], Api]) -> None:  # noqa: F811
    own = raise_warning(city, "overdue", "unit:1", unit_id=city.units["D01"].pk)
    repeat = raise_warning(city, "repeat", "requester:1:1", unit_id=city.units["D01"].pk)
    handler = as_user("d01-handler")
    assert [w["id"] for w in handler.get("/api/v1/warnings").json()] == [own.pk]
    assert handler.get(f"/api/v1/warnings/{repeat.pk}").status_code == 404
    assert handler.post(f"/api/v1/warnings/{own.pk}/close", {"note": "x"}).status_code == 403
    assert as_user("operator").get("/api/v1/warnings").status_code == 403


def test_bad_filters_are_refused_in_the_one_error_format(city: City, as_user: Callable[[str], Api]) -> None:  # noqa: F811
    response = as_user("supervisor").get("/api/v1/warnings", {"kind": "bogus"})
    assert response.status_code == 400 and set(response.json()) >= {"code", "message_zh", "message_en"}
    assert as_user("supervisor").get("/api/v1/warnings/999999").status_code == 404
