"""The citizen portal: submit an appeal, track it with the number and the query code, evaluate, search."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hotline.directory.models import User
from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders import tracking_limits as throttle
from hotline.orders.models import Attachment, Order
from hotline.orders.services.intake import query_code_matches

APPEAL = {"appeal_type": "complaint", "content": "幸福路夜间施工噪音扰民，持续一周", "region": "990100",
          "address": "东城区幸福路1号", "name": "李四", "phone": "13900000009", "submission": "a" * 32}
REPLY = {"time": "3月3日", "process": "现场核查，约谈施工方", "result": "已责令夜间停工，联系人电话13912345678",
         "contact": "已电话告知"}


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()  # the failed-attempt counters live in the cache
    yield
    cache.clear()


def submit(client: Client, **changes: object) -> Any:
    return client.post("/portal/submit/", {**APPEAL, **changes})


def receipt(page: str) -> tuple[str, str]:
    number = re.search(r'data-testid="order-number">(\w+)<', page)
    code = re.search(r'data-testid="query-code">(\d+)<', page)
    assert number and code, page
    return number.group(1), code.group(1)


def track(client: Client, number: str, code: str) -> Any:
    return client.post("/portal/track/", {"number": number, "code": code})


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


# --- submitting -------------------------------------------------------------------------------------------

def test_every_portal_page_is_public_and_made_for_a_phone(city: City, client: Client) -> None:
    for url in ("/portal/", "/portal/submit/", "/portal/track/", "/portal/kb/"):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        assert 'lang="zh-CN"' in page and "http://" not in page and "https://" not in page
        assert "退出" not in page  # no staff layout


def test_a_citizen_submits_an_appeal_and_gets_a_number_and_a_query_code(city: City, client: Client) -> None:
    form = client.get("/portal/submit/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in form and 'name="homepage"' in form and 'enctype="multipart/form-data"' in form
    assert '<option value="complaint"' in form and '<option value="praise"' not in form  # ziyang: no praise (§3)
    photo = SimpleUploadedFile("noise.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    response = submit(client, attachments=photo)
    assert response.status_code == 200
    number, code = receipt(response.content.decode())
    order = Order.objects.select_related("appeal", "appeal__requester", "appeal__received_by").get(number=number)
    assert query_code_matches(order, code)
    appeal = order.appeal
    assert (appeal.channel, appeal.appeal_type, appeal.address, appeal.region.code if appeal.region else None) == (
        "web", "complaint", "东城区幸福路1号", "990100")
    assert appeal.requester is not None and appeal.requester.phone == "13900000009"
    portal = appeal.received_by
    assert portal is not None and portal.username == "portal" and portal.role == User.Role.OPERATOR
    assert not portal.is_active and not portal.has_usable_password()
    assert order.state == "received"   # an operator checks it first
    assert Attachment.objects.get(appeal=appeal).kind == "image"


def test_sending_the_same_form_twice_registers_the_appeal_once(city: City, client: Client) -> None:
    first = receipt(submit(client).content.decode())
    again = receipt(submit(client).content.decode())
    assert first == again and Order.objects.count() == 1


def test_a_confidential_appeal_is_marked_so(city: City, client: Client) -> None:
    number, _ = receipt(submit(client, confidential="1").content.decode())
    assert Order.objects.get(number=number).appeal.confidential


def test_the_form_needs_a_csrf_token(city: City) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/portal/submit/", APPEAL).status_code == 403
    assert strict.post("/portal/track/", {"number": "ZY1", "code": "1"}).status_code == 403
    assert not Order.objects.exists()


def test_a_robot_filling_the_hidden_field_is_refused(city: City, client: Client) -> None:
    response = submit(client, homepage="http://spam.example")
    assert response.status_code == 400 and "提交失败" in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize(("changes", "message"), [
    ({"appeal_type": ""}, "请选择诉求类型"),
    ({"appeal_type": "praise"}, "请选择诉求类型"),
    ({"content": "吵"}, "请填写诉求内容"),
    ({"phone": ""}, "请填写联系电话"),
    ({"phone": "12345"}, "联系电话格式不正确"),
    ({"region": "000000"}, "所选区域不存在"),
])
def test_bad_input_comes_back_with_what_to_fix(city: City, client: Client, changes: dict[str, str],
                                               message: str) -> None:
    response = submit(client, **changes)
    page = response.content.decode()
    assert response.status_code == 422 and message in page
    assert "幸福路1号" in page  # what was typed is kept
    assert not Order.objects.exists()


def test_an_attachment_of_a_type_not_accepted_is_refused(city: City, client: Client) -> None:
    program = SimpleUploadedFile("run.exe", b"MZ", content_type="application/x-msdownload")
    response = submit(client, attachments=program)
    assert response.status_code == 422 and "不受支持" in response.content.decode()
    assert not Order.objects.exists()


def test_a_hotline_that_takes_no_appeals_on_the_web_says_so(city: City, client: Client, settings: Any) -> None:
    settings.HOTLINE_PROFILE = "xixian"   # xixian §3: only items transferred from the provincial platform
    page = client.get("/portal/submit/").content.decode()
    assert "本热线暂不通过网站受理诉求" in page and "上级平台转办" in page and 'id="appeal-form"' not in page
    assert "本热线暂不通过网站受理诉求" in client.get("/portal/").content.decode()
    assert submit(client).status_code == 403
    assert not Order.objects.exists()


# --- tracking ---------------------------------------------------------------------------------------------

def test_the_number_and_the_right_code_show_the_progress(city: City, client: Client) -> None:
    number, code = receipt(submit(client).content.decode())
    page = track(client, number, code).content.decode()
    assert 'data-testid="order-view"' in page and "待受理" in page and "受理" in page
    assert 'data-testid="portal-evaluate"' not in page  # nothing to evaluate before the reply
    assert "/portal/track/?" not in page and code not in client.get("/portal/track/").content.decode()


def test_a_wrong_code_and_a_wrong_number_get_the_same_answer(city: City, client: Client) -> None:
    number, code = receipt(submit(client).content.decode())
    bad_code = track(client, number, wrong(code))
    bad_number = track(client, "ZY2099010100001", code)
    assert bad_code.status_code == bad_number.status_code == 404
    for response in (bad_code, bad_number):
        page = response.content.decode()
        assert "工单号或查询码不正确" in page and 'data-testid="order-view"' not in page


def test_guessing_is_stopped_after_ten_wrong_codes(city: City, client: Client) -> None:
    number, code = receipt(submit(client).content.decode())
    for _ in range(throttle.FAILURES_PER_NUMBER_AND_CLIENT):
        assert track(client, number, wrong(code)).status_code == 404
    blocked = track(client, number, code)  # even the right code, for the rest of the hour
    assert blocked.status_code == 429 and "错误次数过多" in blocked.content.decode()


def test_the_public_view_shows_nobodys_personal_data_nor_staff_names_nor_notes(city: City, client: Client) -> None:
    number, code = receipt(submit(client).content.decode())
    order = Order.objects.get(number=number)
    handler = city.staff("D01")
    services.order_accept(order=order.pk, user=city.users["operator"])
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", note="内部备注：先电话核实")
    services.order_sign(order=order.pk, user=handler)
    services.order_remind(order=order.pk, user=city.users["supervisor"], note="内部催办：抓紧")
    services.order_reply(order=order.pk, user=handler, reply=REPLY)
    page = track(client, number, code).content.decode()
    assert "已责令夜间停工" in page and "市住房和城乡建设局" in page
    for secret in ("李四", "13900000009", "13912345678", "派单员小李", "经办人", "督办员老张", "内部备注", "内部催办",
                   "现场核查，约谈施工方"):
        assert secret not in page, secret
    assert "139****5678" in page  # a phone number in the reply is masked


# --- evaluating -------------------------------------------------------------------------------------------

def replied_order(city: City, client: Client) -> tuple[Order, str]:
    number, code = receipt(submit(client).content.decode())
    order = Order.objects.get(number=number)
    handler = city.staff("D01")
    services.order_accept(order=order.pk, user=city.users["operator"])
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01")
    services.order_sign(order=order.pk, user=handler)
    services.order_reply(order=order.pk, user=handler, reply=REPLY)
    return order, code


def test_a_replied_order_can_be_evaluated_by_its_requester(city: City, client: Client) -> None:
    order, code = replied_order(city, client)
    page = track(client, order.number, code).content.decode()
    assert 'data-testid="portal-evaluate"' in page and 'value="basically_satisfied"' in page
    response = client.post("/portal/track/evaluate/", {"number": order.number, "code": code, "evaluation": "satisfied",
                                                       "contacted": "yes", "resolved": "yes", "note": "谢谢"})
    page = response.content.decode()
    assert response.status_code == 200 and "感谢您的评价" in page and "满意" in page
    order.refresh_from_db()
    assert (order.state, order.evaluation, order.contacted, order.resolved) == ("evaluated", "satisfied", True, True)
    assert 'data-testid="portal-evaluate"' not in page  # once only


def test_a_dissatisfied_requester_sends_the_order_to_screening(city: City, client: Client) -> None:
    order, code = replied_order(city, client)
    client.post("/portal/track/evaluate/", {"number": order.number, "code": code, "evaluation": "dissatisfied",
                                            "contacted": "no", "resolved": "no"})
    order.refresh_from_db()
    assert order.state == "screening" and order.contacted is False


def test_an_evaluation_with_a_wrong_code_changes_nothing(city: City, client: Client) -> None:
    order, code = replied_order(city, client)
    response = client.post("/portal/track/evaluate/", {"number": order.number, "code": wrong(code),
                                                       "evaluation": "dissatisfied"})
    assert response.status_code == 404
    bad_value = client.post("/portal/track/evaluate/", {"number": order.number, "code": wrong(code),
                                                        "evaluation": "great"})
    assert bad_value.status_code == 404
    order.refresh_from_db()
    assert order.state == "replied" and order.evaluation is None


def test_an_evaluation_before_the_reply_is_refused(city: City, client: Client) -> None:
    number, code = receipt(submit(client).content.decode())
    response = client.post("/portal/track/evaluate/", {"number": number, "code": code, "evaluation": "satisfied"})
    assert response.status_code == 422 and "不能满意度评价" in response.content.decode()
    assert Order.objects.get(number=number).evaluation is None


# --- knowledge base ---------------------------------------------------------------------------------------

def test_the_knowledge_base_search(city: City, client: Client) -> None:
    page = client.get("/portal/kb/", {"q": "社保卡补办"}).content.decode()
    if apps.is_installed("hotline.kb"):
        assert 'data-testid="kb-form"' in page
    else:
        assert "知识库暂未开放" in page


def test_the_query_code_never_travels_in_a_url(city: City, client: Client) -> None:
    number, code = receipt(submit(client).content.decode())
    page = client.get(f"/portal/track/?number={number}").content.decode()
    assert re.search(r'<form method="post" action="/portal/track/"', page)
    assert f'value="{number}"' in page  # the number may be linked to; the code is typed and posted
    assert client.get(f"/portal/track/?number={number}&code={code}").content.decode().count(code) == 0


def test_an_appeal_from_the_portal_waits_for_an_operator_to_accept_it(city: City, client: Client) -> None:
    number, _ = receipt(submit(client).content.decode())
    order = Order.objects.get(number=number)
    assert order.state == "received"
    operator = Client()
    operator.force_login(city.users["operator"])
    page = operator.get("/intake/").content.decode()
    assert order.number in page and "网上诉求待受理" in page
    operator.post(f"/orders/{order.pk}/act/accept/", {"note": "核实无误"})
    order.refresh_from_db()
    assert order.state == "accepted" and order.deadlines.filter(kind="dispatch").exists()
