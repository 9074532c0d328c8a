"""Open311 GeoReport v2 at /open311/v2/: services, filing a request with an api_key, public requests."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import include, path, resolve
from django.utils import timezone

from hotline.directory.models import Category
from hotline.directory.seed import City
from hotline.directory.tokens import token_create
from hotline.orders import services
from hotline.orders.models import Order
from hotline.orders.services.intake import query_code_matches
from hotline.rules.calendar import SHANGHAI

# The real mounts of hotline.urls, without the workbench pages (so these tests do not hang on them).
urlpatterns = [path("", include("hotline.api.urls")), path("open311/v2/", include("hotline.api.open311.urls"))]
pytestmark = pytest.mark.urls(__name__)

BASE = "/open311/v2"
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
MARCH = {"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-03-31T00:00:00+08:00"}
REPLY = {"time": "3月3日", "process": "现场核查", "result": "已修复路灯，联系电话13900001111", "contact": "已电话告知"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Seeding the city hashes a password: the slow default hasher would dominate these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_key(city: City) -> str:
    _, key = token_create(user=city.users["operator"], name="城市服务 App")
    return key


def intake(city: City, **kwargs: Any) -> Order:
    defaults: dict[str, Any] = {"channel": "phone", "appeal_type": "complaint", "content": "小区门口路灯坏了一个月无人修",
                                "requester_phone": "13812345678", "requester_name": "张三丰", "category": "urban",
                                "address": "东城区朝阳街道幸福路1号", "at": MONDAY}
    defaults.update(kwargs)
    return services.appeal_intake(user=city.users["operator"], **defaults).orders[0]


def replied(city: City, order: Order) -> None:
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at(2, 11))
    services.order_sign(order=order.pk, user=city.staff("D01"), at=at(2, 15))
    services.order_reply(order=order.pk, user=city.staff("D01"), reply=REPLY, at=at(3, 10))


def get_json(client: Client, url: str, **params: str) -> tuple[int, Any]:
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.status_code, json.loads(response.content)


def get_xml(client: Client, url: str, **params: str) -> tuple[int, ET.Element, str]:
    response = client.get(url, params)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return response.status_code, ET.fromstring(response.content), text


def test_the_platform_mounts_open311_at_open311_v2(settings: Any) -> None:
    match = resolve("/open311/v2/services/001.xml", urlconf=settings.ROOT_URLCONF)
    assert match.view_name == "open311:service" and match.kwargs == {"fmt": "xml", "service_code": "001"}


# --- services -----------------------------------------------------------------------------------------

def test_the_service_list_names_our_active_categories_that_have_an_open311_code(city: City, client: Client) -> None:
    Category.objects.create(code="internal", name="内部分类")                      # no Open311 code
    Category.objects.create(code="retired", name="已停用", open311_code="099", active=False)
    Category.objects.create(code="lamps", name="路灯", open311_code="001-1", parent=city.categories["urban"],
                            description="路灯不亮、损坏", keywords="路灯 灯杆")
    status, services_ = get_json(client, f"{BASE}/services.json")
    assert status == 200
    assert [s["service_code"] for s in services_] == ["001", "001-1", "002", "003", "004", "005", "006", "007", "008"]
    lamps = services_[1]
    assert lamps == {"service_code": "001-1", "service_name": "路灯", "description": "路灯不亮、损坏", "metadata": False,
                     "type": "realtime", "keywords": "路灯,灯杆", "group": "城乡建设"}
    assert services_[0]["group"] == "" and "小区,物业" in services_[0]["keywords"]


def test_the_service_list_in_xml(city: City, client: Client) -> None:
    status, root, _ = get_xml(client, f"{BASE}/services.xml")
    assert status == 200 and root.tag == "services"
    first = root.findall("service")[0]
    assert [child.tag for child in first] == ["service_code", "service_name", "description", "metadata", "type",
                                              "keywords", "group"]
    assert (first.findtext("service_code"), first.findtext("service_name"), first.findtext("metadata"),
            first.findtext("type")) == ("001", "城乡建设", "false", "realtime")
    assert len(root.findall("service")) == 8


def test_a_service_definition_has_no_extra_attributes(city: City, client: Client) -> None:
    assert get_json(client, f"{BASE}/services/003.json") == (200, {"service_code": "003", "attributes": []})
    status, root, _ = get_xml(client, f"{BASE}/services/003.xml")
    assert status == 200 and root.tag == "service_definition" and root.findtext("service_code") == "003"
    assert root.find("attributes") is not None and list(root.find("attributes") or []) == []
    status, body = get_json(client, f"{BASE}/services/404.json")
    assert status == 404 and body[0]["code"] == 404 and "service_code 404" in body[0]["description"]


def test_an_unknown_format_or_method_is_answered_in_the_spec_error_format(city: City, client: Client) -> None:
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 400 and "json" in json.loads(response.content)[0]["description"]
    response = client.delete(f"{BASE}/services.xml")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert ET.fromstring(response.content).findtext("error/code") == "405"


# --- filing a request ---------------------------------------------------------------------------------

def post(client: Client, fmt: str = "json", **fields: str) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", fields)


def test_a_request_filed_with_a_token_becomes_an_order_waiting_for_acceptance_of_the_tokens_user(
        city: City, client: Client, api_key: str) -> None:
    response = post(client, api_key=api_key, jurisdiction_id="ziyang", service_code="001", lat="30.123456",
                    long="104.6543219", address_string="东城区幸福路路口", description="路灯不亮", first_name="三",
                    last_name="张", phone="13800000009", email="zhang@example.cn",
                    media_url="https://img.example.cn/lamp.jpg")
    assert response.status_code == 201
    (record,) = json.loads(response.content)
    order = Order.objects.select_related("appeal", "appeal__requester").get(number=record["service_request_id"])
    assert record["account_id"] is None
    code = record["service_notice"].split("查询码 ")[1].split(" ")[0]
    assert query_code_matches(order, code)
    appeal = order.appeal
    assert (order.state, order.appeal_type, order.category, appeal.channel) == ("received", "complaint",
                                                                               city.categories["urban"], "app")
    assert appeal.received_by == city.users["operator"]
    assert appeal.content == "路灯不亮\n附件链接：https://img.example.cn/lamp.jpg"
    assert (str(appeal.latitude), str(appeal.longitude), appeal.address) == ("30.123456", "104.654322", "东城区幸福路路口")
    assert appeal.requester is not None and (appeal.requester.name, appeal.requester.phone) == ("张三", "13800000009")


def test_a_json_body_with_attributes_and_an_xml_answer(city: City, api_key: str) -> None:
    client = Client(enforce_csrf_checks=True)  # other systems post here: no CSRF token
    body = {"api_key": api_key, "service_code": "008", "address_string": "西城区金桥街道", "description": "停水三天了",
            "attribute": {"appeal_type": "help", "confidential": True}}
    response = client.post(f"{BASE}/requests.xml", json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    order = Order.objects.select_related("appeal").get(number=root.findtext("request/service_request_id"))
    assert (order.appeal_type, order.appeal.confidential, order.category) == ("help", True, city.categories["utilities"])
    assert root.findtext("request/account_id") == ""


def test_a_retried_request_with_the_same_idempotency_key_files_nothing_new(
        city: City, client: Client, api_key: str) -> None:
    fields = {"api_key": api_key, "service_code": "002", "address_string": "南湖", "description": "河道发臭"}
    first = client.post(f"{BASE}/requests.json", fields, headers={"Idempotency-Key": "app-42"})
    again = client.post(f"{BASE}/requests.json", fields, headers={"Idempotency-Key": "app-42"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert json.loads(first.content) == json.loads(again.content)
    assert Order.objects.count() == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bad_api_key_is_refused_with_403_in_the_spec_format(city: City, client: Client, fmt: str) -> None:
    response = post(client, fmt, api_key="not-a-key", service_code="001", address_string="x", description="路灯坏了")
    assert response.status_code == 403
    if fmt == "json":
        assert json.loads(response.content) == [{"code": 403, "description": "api_key 未提供或无效 / api_key was not provided or is invalid"}]
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and root.findtext("error/code") == "403"
        assert "api_key" in (root.findtext("error/description") or "")
    assert post(client, fmt, service_code="001", address_string="x", description="路灯坏了").status_code == 403
    assert Order.objects.count() == 0


def test_a_revoked_token_or_a_unit_users_token_cannot_file(city: City, client: Client) -> None:
    token, key = token_create(user=city.users["operator"])
    token.revoked = True
    token.save(update_fields=["revoked"])
    assert post(client, api_key=key, service_code="001", address_string="x", description="路灯坏了").status_code == 403
    _, unit_key = token_create(user=city.staff("D01"))
    response = post(client, api_key=unit_key, service_code="001", address_string="x", description="路灯坏了")
    assert response.status_code == 403 and "受理" in json.loads(response.content)[0]["description"]
    assert Order.objects.count() == 0


def test_another_jurisdiction_is_not_found(city: City, client: Client, api_key: str, settings: Any) -> None:
    fields = {"api_key": api_key, "service_code": "001", "address_string": "x", "description": "路灯坏了"}
    response = post(client, jurisdiction_id="tianjin", **fields)
    assert response.status_code == 404 and "jurisdiction_id tianjin" in json.loads(response.content)[0]["description"]
    assert get_json(client, f"{BASE}/services.json", jurisdiction_id="tianjin")[0] == 404
    settings.HOTLINE_JURISDICTION = "shilishi.gov.cn"
    assert post(client, jurisdiction_id="ziyang", **fields).status_code == 404
    assert post(client, jurisdiction_id="shilishi.gov.cn", **fields).status_code == 201


BAD_REQUESTS = [
    ({"address_string": "x", "description": "路灯坏了"}, "service_code was not provided"),
    ({"service_code": "999", "address_string": "x", "description": "路灯坏了"}, "service_code 999 was not found"),
    ({"service_code": "001", "description": "路灯坏了"}, "a location is required"),
    ({"service_code": "001", "lat": "30.1", "description": "路灯坏了"}, "lat and long must be given together"),
    ({"service_code": "001", "lat": "91", "long": "104", "description": "路灯坏了"}, "lat must be a number"),
    ({"service_code": "001", "address_string": "x"}, "description"),
    ({"service_code": "001", "address_string": "x", "description": "路灯坏了", "attribute[appeal_type]": "rant"},
     "attribute[appeal_type]"),
    ({"service_code": "001", "address_string": "x", "description": "路灯坏了", "media_url": "javascript:alert(1)"},
     "media_url"),
]


def test_bad_input_is_refused_with_400_naming_what_was_wrong(city: City, client: Client, api_key: str) -> None:
    for fields, named in BAD_REQUESTS:
        response = post(client, api_key=api_key, **fields)
        assert response.status_code == 400, fields
        (error,) = json.loads(response.content)
        assert error["code"] == 400 and named in error["description"], (fields, error)
    assert Order.objects.count() == 0


# --- public requests ----------------------------------------------------------------------------------

def test_requests_map_our_states_to_open_and_closed(city: City, client: Client) -> None:
    waiting = intake(city, content="路口信号灯不亮")
    done = intake(city, content="小区路灯不亮")
    replied(city, done)
    services.order_evaluate(order=done.pk, user=city.users["operator"], evaluation="satisfied", contacted=True,
                            resolved=True, at=at(4, 10))
    services.order_archive(order=done.pk, user=city.users["operator"], at=at(4, 11))
    status, records = get_json(client, f"{BASE}/requests.json", **MARCH)
    assert status == 200
    by_id = {r["service_request_id"]: r for r in records}
    assert by_id[waiting.number]["status"] == "open" and by_id[waiting.number]["status_notes"] == "待派单"
    closed = by_id[done.number]
    assert closed["status"] == "closed" and closed["status_notes"].startswith("已归档")
    assert (closed["agency_responsible"], closed["service_code"], closed["service_name"]) == (
        "市住房和城乡建设局", "001", "城乡建设")
    assert closed["requested_datetime"] == "2026-03-02T10:00:00+08:00"
    assert closed["expected_datetime"] == "2026-03-11T17:30:00+08:00"
    assert [r["service_request_id"] for r in get_json(client, f"{BASE}/requests.json", status="open", **MARCH)[1]] == [
        waiting.number]
    assert [r["service_request_id"] for r in get_json(client, f"{BASE}/requests.json", status="closed", **MARCH)[1]] == [
        done.number]
    assert len(get_json(client, f"{BASE}/requests.json", status="open,closed", **MARCH)[1]) == 2


def test_a_replied_request_tells_the_units_result_and_can_be_fetched_alone(city: City, client: Client) -> None:
    order = intake(city)
    replied(city, order)
    status, (record,) = get_json(client, f"{BASE}/requests/{order.number}.json")
    assert status == 200 and record["status"] == "open"
    assert record["status_notes"] == "待回访。办理结果：已修复路灯，联系电话139****1111"
    status, root, _ = get_xml(client, f"{BASE}/requests/{order.number}.xml")
    assert root.tag == "service_requests" and root.findtext("request/status_notes", "").startswith("待回访")
    assert get_json(client, f"{BASE}/requests/ZY2026030299999.json")[0] == 404


def test_requests_never_show_the_requesters_data(city: City, client: Client) -> None:
    order = intake(city, content="我是张三丰，电话13812345678，身份证110101199001011234，邮箱zsf@example.cn，路灯坏了",
                   latitude="30.100000", longitude="104.600000")
    _, records = get_json(client, f"{BASE}/requests.json", **MARCH)
    _, _, xml_text = get_xml(client, f"{BASE}/requests.xml", **MARCH)
    as_json = json.dumps(records, ensure_ascii=False)
    for output in (as_json, xml_text):
        for personal in ("张三丰", "13812345678", "110101199001011234", "zsf@example.cn"):
            assert personal not in output
    (record,) = records
    assert record["description"] == "我是张**，电话138****5678，身份证110101********1234，邮箱***@***，路灯坏了"
    assert (record["lat"], record["long"], record["address"]) == (30.1, 104.6, "东城区朝阳街道幸福路1号")
    assert not {"email", "phone", "first_name", "last_name", "account_id"} & record.keys()
    assert record["service_request_id"] == order.number


def test_a_confidential_appeal_publishes_no_description_nor_place(city: City, client: Client) -> None:
    intake(city, confidential=True, content="举报某餐馆排污", latitude="30.100000", longitude="104.600000")
    (record,) = get_json(client, f"{BASE}/requests.json", **MARCH)[1]
    assert (record["description"], record["address"], record["lat"], record["long"]) == ("", "", None, None)
    assert "排污" not in json.dumps(record, ensure_ascii=False)


def test_requests_filter_by_id_code_and_dates(city: City, client: Client) -> None:
    lamp = intake(city)
    water = intake(city, category="utilities", content="停水", at=at(20, 9))
    ids = f"{lamp.number},{water.number}"
    assert len(get_json(client, f"{BASE}/requests.json", service_request_id=ids)[1]) == 2  # overrides the dates
    assert [r["service_request_id"] for r in get_json(client, f"{BASE}/requests.json", service_code="008", **MARCH)[1]] == [
        water.number]
    in_early_march = get_json(client, f"{BASE}/requests.json", start_date="2026-03-01", end_date="2026-03-10")[1]
    assert [r["service_request_id"] for r in in_early_march] == [lamp.number]
    assert get_json(client, f"{BASE}/requests.json")[1] == []  # the last 90 days: March is long past


def test_requests_default_to_the_last_90_days(city: City, client: Client, api_key: str) -> None:
    recent = post(client, api_key=api_key, service_code="001", address_string="x", description="路灯坏了")
    (record,) = get_json(client, f"{BASE}/requests.json")[1]
    assert record["service_request_id"] == json.loads(recent.content)[0]["service_request_id"]
    old_start = (timezone.now() - timedelta(days=200)).date().isoformat()
    status, body = get_json(client, f"{BASE}/requests.json", start_date=old_start)
    assert status == 400 and "90" in body[0]["description"]


BAD_FILTERS = [
    ({"start_date": "yesterday"}, 400, "start_date"),
    ({"start_date": "2026-03-10", "end_date": "2026-03-01"}, 400, "end_date is before start_date"),
    ({"status": "pending"}, 400, "status is open or closed"),
    ({"jurisdiction_id": "heyuan"}, 404, "jurisdiction_id heyuan"),
]


def test_bad_filters_are_refused_naming_what_was_wrong(city: City, client: Client) -> None:
    for params, status, named in BAD_FILTERS:
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == status, params
        assert named in json.loads(response.content)[0]["description"], params
