"""The router's main paths (mounted by tests/kb/urls.py as the platform mounts it at /api/v1/kb/)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from hotline.directory.models import User
from hotline.directory.seed import City
from hotline.kb.models import Entry
from tests.kb.conftest import MONDAY, publish
from tests.kb.test_excel import GOOD, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kb.urls")]
BASE = "/api/v1/kb"
ENTRY = {"question": "失业保险金怎么申领？", "variants": ["失业金领取条件"], "answer": "通过小程序申领。",
         "categories": ["labour"], "public": True, "basis_document": "《失业保险条例》"}


def client(user: User | None = None) -> Client:
    browser = Client()
    if user is not None:
        browser.force_login(user)
    return browser


def post(browser: Client, url: str, payload: dict[str, Any] | None = None) -> Any:
    return browser.post(f"{BASE}{url}", data=json.dumps(payload or {}), content_type="application/json")


@pytest.fixture(autouse=True)
def xixian(settings: Any) -> None:
    """The rulebook whose workflow has every step (xixian §13)."""
    settings.HOTLINE_PROFILE = "xixian"


def test_an_entry_goes_through_the_workflow_over_the_api(city: City) -> None:
    handler, leader = client(city.staff("D04")), client(city.staff("D04", leader=True))
    created = post(handler, "/entries", ENTRY)
    assert created.status_code == 201, created.content
    entry = created.json()
    assert (entry["status"], entry["unit"]["code"], entry["content"]["question"]) == ("draft", "D04", ENTRY["question"])
    pk = entry["id"]
    assert post(handler, f"/entries/{pk}/submit").json()["pending_step"] == "unit_deputy_leader"

    refused = post(client(city.users["supervisor"]), f"/entries/{pk}/publish")
    assert refused.status_code == 422
    assert refused.json()["code"] == "kb_review_first" and refused.json()["article"] == "xixian §13; xixian §11"
    assert post(handler, f"/entries/{pk}/approve").status_code == 422               # a handler is not the leader
    assert post(leader, f"/entries/{pk}/approve").json()["pending_step"] == "hotline"
    published = post(client(city.users["supervisor"]), f"/entries/{pk}/publish").json()
    assert published["status"] == "published" and [e["action"] for e in published["events"]] == [
        "create", "submit", "approve", "publish"]

    hits = client(city.users["operator"]).get(f"{BASE}/search", {"q": "失业了能领什么补助"}).json()
    assert hits[0]["code"] == entry["code"] and hits[0]["unit_code"] == "D04"


def test_a_unit_sees_its_own_drafts_and_others_published_entries_only(city: City) -> None:
    draft = post(client(city.staff("D04")), "/entries", ENTRY).json()
    other = client(city.staff("D05"))
    assert other.get(f"{BASE}/entries/{draft['id']}").status_code == 404
    assert other.put(f"{BASE}/entries/{draft['id']}", data=json.dumps(ENTRY),
                     content_type="application/json").status_code == 404
    assert post(other, "/entries", {**ENTRY, "unit": "D04"}).status_code == 403
    published = publish(city, question="社保卡补办")
    seen = other.get(f"{BASE}/entries/{published.pk}").json()
    assert seen["content"]["question"] == "社保卡补办" and seen["events"] == []
    listed = other.get(f"{BASE}/entries").json()
    assert [item["code"] for item in listed["items"]] == [published.code]
    assert client().get(f"{BASE}/entries").status_code == 401


def test_an_update_is_a_new_version_listed_with_the_others(city: City) -> None:
    entry = publish(city, question="社保卡补办")
    handler = client(city.staff("D04"))
    changed = handler.put(f"{BASE}/entries/{entry.pk}", data=json.dumps({**ENTRY, "question": "社保卡补办（新）",
                                                                          "note": "改为全市通办"}),
                          content_type="application/json").json()
    assert (changed["status"], changed["version"], changed["published_version"]) == ("draft", 2, 1)
    versions = handler.get(f"{BASE}/entries/{entry.pk}/versions").json()
    assert [(v["number"], v["note"]) for v in versions] == [(1, "新建"), (2, "改为全市通办")]
    assert handler.get(f"{BASE}/entries/{entry.pk}/versions/1").json()["question"] == "社保卡补办"
    assert handler.get(f"{BASE}/entries/{entry.pk}/versions/9").status_code == 404
    bad = handler.put(f"{BASE}/entries/{entry.pk}", data=json.dumps({**ENTRY, "region": "nowhere"}),
                      content_type="application/json")
    assert bad.status_code == 400 and "适用区域" in bad.json()["message_zh"]


def test_citizens_search_public_entries_without_an_account(city: City) -> None:
    public = publish(city, question="社保卡遗失怎么补办", public=True)
    publish(city, question="社保卡批量补卡内部口径", public=False, variants=())
    found = client().get(f"{BASE}/public/search", {"q": "社保卡补办"})
    assert found.status_code == 200
    assert [h["code"] for h in found.json()] == [public.code] and "score" not in found.json()[0]
    assert client().get(f"{BASE}/public/search", {"q": ""}).status_code == 422


def test_flags_go_to_the_unit_and_come_back_resolved(city: City) -> None:
    entry = publish(city, question="社保卡补办")
    raised = post(client(city.users["operator"]), f"/entries/{entry.pk}/flags", {"reason": "地址已变"})
    assert raised.status_code == 201
    flag = raised.json()
    unit = client(city.staff("D04"))
    assert [f["id"] for f in unit.get(f"{BASE}/flags").json()] == [flag["id"]]
    assert client(city.staff("D05")).get(f"{BASE}/flags").json() == []
    resolved = post(unit, f"/flags/{flag['id']}/resolve", {"resolution": "not_wrong", "note": "地址未变"})
    assert resolved.json()["status"] == "resolved"
    assert post(client(city.staff("D05")), f"/flags/{flag['id']}/resolve",
                {"resolution": "not_wrong", "note": "x"}).status_code == 404


def test_synonyms_are_kept_by_the_hotline(city: City) -> None:
    supervisor = client(city.users["supervisor"])
    created = post(supervisor, "/synonyms", {"terms": ["驾照", "驾驶证"], "note": "常用说法"})
    assert created.status_code == 201
    pk = created.json()["id"]
    assert supervisor.put(f"{BASE}/synonyms/{pk}", data=json.dumps({"terms": ["驾照", "驾驶证", "驾驶执照"]}),
                          content_type="application/json").json()["terms"] == ["驾照", "驾驶证", "驾驶执照"]
    assert post(client(city.staff("D09")), "/synonyms", {"terms": ["a", "b"]}).status_code == 403
    assert supervisor.delete(f"{BASE}/synonyms/{pk}").status_code == 204
    assert supervisor.get(f"{BASE}/synonyms").json() == []


def test_figures_for_the_hotline_and_each_units_own_upkeep(city: City) -> None:
    entry = publish(city, question="社保卡补办")
    analyst = client(city.users["analyst"])
    figures = analyst.get(f"{BASE}/figures/first-contact", {"since": "2026-03-01", "until": "2026-04-01"}).json()
    assert figures["total"]["consultations"] == 0 and figures["rule"] == "xixian §13; xixian §11"
    assert client(city.staff("D04")).get(f"{BASE}/figures/first-contact",
                                         {"since": "2026-03-01", "until": "2026-04-01"}).status_code == 403
    assert [r["code"] for r in client(city.staff("D04")).get(f"{BASE}/figures/upkeep").json()] == [entry.unit.code]
    assert analyst.get(f"{BASE}/figures/upkeep").json()[0]["in_service"] == 1


def test_import_and_export_over_the_api(city: City) -> None:
    handler = client(city.staff("D04"))
    bad = handler.post(f"{BASE}/import", {"file": _upload(workbook(GOOD, {**GOOD, "答案": ""}))})
    assert bad.status_code == 400
    assert bad.json()["code"] == "kb_import_refused" and bad.json()["details"] == [
        {"row": 3, "column": "答案", "message_zh": "不能为空", "message_en": "is required"}]
    assert Entry.objects.count() == 0
    good = handler.post(f"{BASE}/import", {"file": _upload(workbook(GOOD)), "submit": "true"})
    assert good.status_code == 200 and len(good.json()["created"]) == 1
    exported = handler.get(f"{BASE}/export")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(exported.content)).worksheets[0]
    assert sheet.cell(row=2, column=4).value == GOOD["标准问题"]


def test_emergency_information_for_operators(city: City) -> None:
    publish(city, unit="HOTLINE", kind="emergency", question="爆管停水答复口径", categories=(),
            expires_at=MONDAY + timedelta(days=3650))
    listed = client(city.users["operator"]).get(f"{BASE}/emergency").json()
    assert [h["kind"] for h in listed] == ["emergency"]


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("kb.xlsx", data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
