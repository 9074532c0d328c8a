"""坐席受理: the operator's screen for a call in progress, and the fragments it fetches while typing."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any as SettingsWrapper

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Appeal, Attachment, Order
from hotline.orders.services.intake import query_code_matches
from hotline.requesters.models import PersonalDataAccess, Requester
from hotline.rules.calendar import SHANGHAI

PHONE = "13800000001"
FORM = {"requester_phone": PHONE, "requester_name": "张三", "appeal_type": "complaint", "channel": "phone",
        "category": "urban", "region": "", "address": "东城区朝阳街道幸福路1号", "content": "小区门口路灯坏了一个月无人修",
        "urgency": "normal", "outcome": "accept", "idempotency_key": "token-1"}


def as_user(client: Client, city: City, username: str) -> Client:
    client.force_login(city.users[username])
    return client


def post(client: Client, **changes: object) -> tuple[int, str]:
    response = client.post("/intake/", {**FORM, **changes})
    return response.status_code, response.content.decode()


def earlier_order(city: City, *, phone: str = PHONE, content: str = FORM["content"], **kwargs: object) -> Order:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content=content, requester_phone=phone, category="urban",
                                    address=FORM["address"], **kwargs)  # type: ignore[arg-type]
    return result.orders[0]


# --- the form -------------------------------------------------------------------------------------

def test_the_form_offers_only_the_profiles_appeal_types_and_channels(city: City, client: Client,
                                                                     settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "ankang"   # ankang §2: praise is not an appeal type; no SMS channel
    page = as_user(client, city, "operator").get("/intake/").content.decode()
    types = re.search(r'<select name="appeal_type".*?</select>', page, re.S)
    channels = re.search(r'<select name="channel".*?</select>', page, re.S)
    assert types and 'value="complaint"' in types.group() and 'value="praise"' not in types.group()
    assert channels and 'value="wechat"' in channels.group() and 'value="sms"' not in channels.group()
    assert 'name="idempotency_key"' in page and "autofocus" in page and 'id="suggestions"' in page
    assert "安康 §23(2)" in page   # the decline reasons' articles


def test_only_operators_and_dispatchers_take_calls(city: City, client: Client) -> None:
    assert client.get("/intake/").status_code == 302   # to the login page
    for username in ("d01-handler", "supervisor", "analyst"):
        response = as_user(Client(), city, username).get("/intake/")
        assert response.status_code == 403 and "不能使用本页面" in response.content.decode()
    assert as_user(Client(), city, "dispatcher").get("/intake/").status_code == 200


# --- outcomes -------------------------------------------------------------------------------------

def test_accepting_creates_an_order_and_shows_its_number_query_code_and_deadlines(city: City, client: Client) -> None:
    status, page = post(as_user(client, city, "operator"))
    order = Order.objects.get()
    assert status == 200 and order.state == "accepted" and order.appeal.received_by == city.users["operator"]
    assert f'data-testid="order-number">{order.number}<' in page
    code = re.search(r'data-testid="query-code">(\d{6})<', page)
    assert code and query_code_matches(order, code.group(1))
    assert "派单" in page and "资阳 §13(1)" in page        # the dispatch deadline and its rule
    assert 'id="intake-new"' in page and "新建受理" in page


def test_answering_directly_sends_no_order_out(city: City, client: Client) -> None:
    status, page = post(as_user(client, city, "operator"), appeal_type="consult", outcome="answer_directly",
                        content="请问社保卡怎么补办", note="携带身份证到社保大厅办理")
    assert status == 200 and "不派发工单" in page
    assert Order.objects.get().state == "answered"
    assert not Order.objects.filter(state="accepted").exists()
    queue = as_user(Client(), city, "dispatcher").get("/dispatch/").content.decode()
    assert 'data-testid="dispatch-row"' not in queue


def test_the_decline_reason_tells_what_to_say_and_where_to_send_the_requester(city: City, client: Client) -> None:
    as_user(client, city, "operator")
    fragment = client.get("/intake/decline-reason/", {"decline_code": "emergency"}).content.decode()
    assert "一键呼转、三方通话转接110、119、120、122" in fragment and "三方转接" in fragment
    assert "资阳 §9(3)" in fragment
    status, page = post(client, outcome="decline", decline_code="emergency", content="家里着火了")
    assert status == 200 and Order.objects.get().state == "declined"
    assert 'data-testid="decline-refer-to">一键呼转、三方通话转接110、119、120、122<' in page
    assert 'data-testid="transfer-call"' in page


def test_a_decline_without_a_reason_is_refused_and_creates_nothing(city: City, client: Client) -> None:
    status, page = post(as_user(client, city, "operator"), outcome="decline")
    assert status == 422 and "不予受理时请选择理由" in page
    assert not Appeal.objects.exists()


def test_heyuan_declines_a_settled_repeat_only_with_the_earlier_order(city: City, client: Client,
                                                                      settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "heyuan"
    as_user(client, city, "operator")
    status, page = post(client, outcome="decline", decline_code="repeat_settled")
    assert status == 422 and "原工单号" in page and not Appeal.objects.exists()
    status, page = post(client, outcome="decline", decline_code="repeat_settled", earlier_order="HY2026030200001")
    assert status == 200 and "HY2026030200001" in page and "河源 §14" in page


def test_a_suspended_requester_is_refused_with_the_rule(city: City, client: Client, settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "tianjin"   # tianjin §32: suspension after a warning
    services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="consult", content="咨询",
                           requester_phone=PHONE, outcome="answer_directly")
    who = Requester.objects.get(phone=PHONE)
    supervisor = city.users["supervisor"]
    services.requester_conduct_record(user=supervisor, requester=who.pk, kind="warning", reason="辱骂话务员")
    services.requester_conduct_record(user=supervisor, requester=who.pk, kind="suspension", reason="经提醒仍辱骂", days=7)
    as_user(client, city, "operator")
    lookup = client.get("/intake/lookup/", {"requester_phone": PHONE}).content.decode()
    assert 'data-testid="history-suspension"' in lookup and "经提醒仍辱骂" in lookup and "天津 §32" in lookup
    assert 'data-testid="history-warning"' in lookup
    status, page = post(client, channel="phone")
    assert status == 422 and "暂停受理" in page and 'data-testid="intake-error-rule">依据：天津 §32' in page
    assert Appeal.objects.count() == 1   # only the earlier one


def test_a_double_submit_with_the_same_token_creates_one_appeal(city: City, client: Client) -> None:
    as_user(client, city, "operator")
    first_status, first = post(client, idempotency_key="same-token")
    again_status, again = post(client, idempotency_key="same-token")
    (order,) = Order.objects.all()
    assert (first_status, again_status) == (200, 200) and Appeal.objects.count() == 1
    assert order.number in first and order.number in again and 'data-testid="intake-replayed"' in again
    post(client, idempotency_key="another-token")
    assert Appeal.objects.count() == 2


def test_attachments_are_stored_and_a_wrong_type_is_refused(city: City, client: Client, settings: SettingsWrapper,
                                                            tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    as_user(client, city, "operator")
    photo = SimpleUploadedFile("路灯.png", b"\x89PNG\r\n", content_type="image/png")
    response = client.post("/intake/", {**FORM, "attachments": [photo]})
    assert response.status_code == 200 and Attachment.objects.get().kind == "image"
    program = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
    response = client.post("/intake/", {**FORM, "idempotency_key": "token-2", "attachments": [program]})
    assert response.status_code == 422 and "不受支持" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_bad_input_names_the_field_in_chinese_and_english(city: City, client: Client) -> None:
    status, page = post(as_user(client, city, "operator"), content="", channel="fax")
    assert status == 422 and "请填写诉求内容" in page and "is required" in page
    assert "受理渠道不在本规则的可选项中" in page and not Appeal.objects.exists()


# --- fragments ------------------------------------------------------------------------------------

def test_the_lookup_shows_the_callers_history_and_is_logged(city: City, client: Client) -> None:
    order = earlier_order(city)
    as_user(client, city, "operator")
    assert client.get("/intake/lookup/", {"requester_phone": "138000"}).status_code == 200   # too short: no lookup
    assert not PersonalDataAccess.objects.exists()
    fragment = client.get("/intake/lookup/", {"requester_phone": PHONE}).content.decode()
    assert f'data-number="{order.number}"' in fragment and "待派单" in fragment and "在办 1 件" in fragment
    logged = PersonalDataAccess.objects.get()
    assert (logged.user, logged.requester.phone, logged.purpose) == (city.users["operator"], PHONE, "intake lookup")
    first_call = client.get("/intake/lookup/", {"requester_phone": "13911112222"}).content.decode()
    assert "首次来电" in first_call


def test_the_repeats_fragment_shows_similar_earlier_orders_with_their_state(city: City, client: Client) -> None:
    order = earlier_order(city)
    as_user(client, city, "operator")
    fragment = client.get("/intake/repeats/", {"requester_phone": PHONE, "address": "",
                                               "content": "小区门口路灯坏了一个月了无人修"}).content.decode()
    assert f'data-number="{order.number}"' in fragment and "待派单" in fragment and "同一来电人" in fragment
    unrelated = client.get("/intake/repeats/", {"requester_phone": PHONE, "content": "咨询公积金提取"}).content.decode()
    assert "未发现疑似重复件" in unrelated


def test_a_terminated_matter_is_flagged_and_accepting_it_again_needs_a_special_case(city: City, client: Client) -> None:
    """ziyang §15: repeats of a terminated matter are answered from its opinion, not dispatched again."""
    start = datetime.now(tz=SHANGHAI) - timedelta(days=10)
    order = earlier_order(city, at=start)
    dispatcher, unit = city.users["dispatcher"], city.staff("D01")
    services.order_dispatch(order=order.pk, user=dispatcher, unit="D01", at=start + timedelta(minutes=30))
    services.order_sign(order=order.pk, user=unit, at=start + timedelta(hours=1))
    services.order_request_termination(order=order.pk, user=unit, written_opinion="已依法答复多次",
                                       answer_script="按原答复口径答复", at=start + timedelta(hours=2))
    services.order_approve_termination(order=order.pk, user=dispatcher, at=start + timedelta(hours=3))
    as_user(client, city, "operator")
    fragment = client.get("/intake/repeats/", {"requester_phone": PHONE, "content": FORM["content"]}).content.decode()
    assert 'data-testid="repeats-terminated"' in fragment and "资阳 §15" in fragment and "已终结" in fragment
    status, page = post(client)
    assert status == 422 and "同一事项已终结" in page and "资阳 §15" in page
    assert Order.objects.count() == 1
    status, page = post(client, special_case="诉求人反映出现新情况：路灯杆倾斜")
    assert status == 200 and Order.objects.filter(state="accepted").count() == 1


def test_the_suggestions_slot_says_when_it_is_not_available(city: City, client: Client) -> None:
    fragment = as_user(client, city, "operator").get("/intake/suggest/", {"content": "路灯坏了"}).content.decode()
    if apps.is_installed("hotline.suggest") and apps.is_installed("hotline.kb"):
        assert 'data-testid="suggestions-slot"' in fragment
    else:
        assert "智能推荐暂不可用" in fragment
