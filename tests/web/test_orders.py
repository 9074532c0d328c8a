"""The order pages: the shared action endpoint, the order page, the search.

The endpoint is how every page acts on an order: a success moves the order and says so, a refusal
shows its article and changes nothing, a bad field is named, a role that may not act is told so, and a
unit never learns that another unit's order exists.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from hotline.directory.models import User
from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Event, Order
from hotline.requesters.models import PersonalDataAccess

TIANJIN_REPLY = {"reply_time": "3月3日上午", "reply_process": "现场核查，联系物业维修", "reply_result": "路灯已修复",
                 "reply_contact": "3月3日电话告知诉求人，诉求人认可"}


def intake(city: City, **kwargs: object) -> Order:
    defaults: dict[str, object] = {"channel": "phone", "appeal_type": "complaint", "content": "小区门口路灯坏了一个月无人修",
                                   "requester_phone": "13800000001", "requester_name": "张三", "category": "urban",
                                   "address": "东城区朝阳街道幸福路1号"}
    defaults.update(kwargs)
    return services.appeal_intake(user=city.users["operator"], **defaults).orders[0]  # type: ignore[arg-type]


def dispatched(city: City, unit: str = "D01", **kwargs: object) -> Order:
    order = intake(city, **kwargs)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit)
    return order


def signed(city: City, unit: str = "D01", **kwargs: object) -> Order:
    order = dispatched(city, unit, **kwargs)
    services.order_sign(order=order.pk, user=city.staff(unit))
    return order


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def unchanged(order: Order) -> tuple[str, int, int]:
    fresh = Order.objects.get(pk=order.pk)
    return fresh.state, fresh.version, Event.objects.filter(order=order).count()


def flashed(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


# --- the action endpoint --------------------------------------------------------------------------

def test_a_dispatch_moves_the_order_says_so_and_returns_to_the_order_page(city: City, client: Client) -> None:
    order = intake(city)
    response = as_user(client, city.users["dispatcher"]).post(
        f"/orders/{order.pk}/act/dispatch/", {"unit": "D01", "co_units": ["D02", "D08"], "note": "请牵头处理"})
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    order.refresh_from_db()
    assert order.state == "dispatched" and order.lead_unit == city.units["D01"]
    assert sorted(order.co_units.values_list("code", flat=True)) == ["D02", "D08"]
    assert flashed(response) == [f"已派单：{order.number}"]


def test_after_success_the_endpoint_goes_to_next_only_when_it_is_local(city: City, client: Client) -> None:
    first, second = intake(city), intake(city, content="另一处路灯不亮")
    client = as_user(client, city.users["dispatcher"])
    local = client.post(f"/orders/{first.pk}/act/dispatch/", {"unit": "D01", "next": "/dispatch/?page=2"})
    assert local["Location"] == "/dispatch/?page=2"
    foreign = client.post(f"/orders/{second.pk}/act/dispatch/", {"unit": "D01", "next": "https://evil.example/x"})
    assert foreign["Location"] == f"/orders/{second.pk}/"


def test_a_rule_refusal_goes_back_to_next_with_the_article_and_changes_nothing(city: City, client: Client) -> None:
    order = signed(city, "D04", appeal_type="consult", content="请问社保卡怎么补办", category="labour")
    before = unchanged(order)
    response = as_user(client, city.staff("D04")).post(
        f"/orders/{order.pk}/act/request_extension/", {"reason": "情况复杂", "length": "1wd", "next": "/unit/"})
    assert response.status_code == 302 and response["Location"] == "/unit/"
    (message,) = flashed(response)
    assert "未能申请延期" in message and "咨询类工单不予延期" in message and "资阳 §13(3)" in message
    assert unchanged(order) == before


def test_a_refusal_from_the_order_page_shows_the_page_again_with_the_rule(city: City, client: Client) -> None:
    order = signed(city, "D04", appeal_type="consult", content="请问社保卡怎么补办", category="labour")
    before = unchanged(order)
    response = as_user(client, city.staff("D04")).post(f"/orders/{order.pk}/act/request_extension/",
                                                        {"reason": "情况复杂", "length": "1wd"})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="act-error"' in page and "咨询类工单不予延期" in page and "资阳 §13(3)" in page
    assert unchanged(order) == before


def test_a_refused_reply_comes_back_with_what_was_typed_and_the_missing_elements(city: City, client: Client) -> None:
    order = signed(city)
    before = unchanged(order)
    response = as_user(client, city.staff("D01")).post(f"/orders/{order.pk}/act/reply/",
                                                        {"reply_result": "路灯已修复，共更换灯具两套"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "答复须写明回复诉求人情况" in page and "资阳 §13" in page
    assert "路灯已修复，共更换灯具两套" in page   # nothing typed is lost
    assert '<details class="act-details" open>' in page
    assert re.search(r'<textarea name="reply_contact" [^>]*autofocus', page)   # the cursor where the element is missing
    assert unchanged(order) == before


@pytest.mark.parametrize(("action", "data", "named"), [
    ("dispatch", {"unit": "NOPE"}, "「主办单位」：单位代码 NOPE 不存在或已撤销"),
    ("dispatch", {}, "「主办单位」必须选择"),
    ("dispatch", {"unit": "D01", "handling_limit": "五天"}, "「办理时限」：时限"),
    ("dispatch", {"unit": "D01", "designated": "maybe"}, "「指定承办（争议后认定的单位）」只能是“是”或“否”"),
    ("dispatch", {"unit": "D01", "note": "长" * 4001}, "「备注」不能超过 4000 个字"),
    ("supervise", {"trigger": "because"}, "「督办情形」只能是："),
])
def test_a_bad_field_is_named_in_chinese_and_changes_nothing(city: City, client: Client, action: str,
                                                              data: dict[str, object], named: str) -> None:
    order = intake(city)
    before = unchanged(order)
    user = city.users["supervisor" if action == "supervise" else "dispatcher"]
    response = as_user(client, user).post(f"/orders/{order.pk}/act/{action}/", {**data, "next": "/dispatch/"})
    assert response.status_code == 302
    (message,) = flashed(response)
    assert named in message
    assert unchanged(order) == before


def test_a_missing_required_field_is_named_on_the_order_page(city: City, client: Client) -> None:
    order = dispatched(city)
    response = as_user(client, city.staff("D01")).post(f"/orders/{order.pk}/act/request_return/", {"basis": "职责清单"})
    page = response.content.decode()
    assert response.status_code == 422 and "「退回理由」必须填写" in page
    assert 'class="field field-error"' in page and "autofocus" in page


def test_a_role_that_may_not_act_is_told_who_may(city: City, client: Client) -> None:
    order = dispatched(city)
    before = unchanged(order)
    response = as_user(client, city.users["operator"]).post(f"/orders/{order.pk}/act/sign/")
    assert response.status_code == 403
    assert "话务员不能签收" in response.content.decode()
    assert unchanged(order) == before


def test_another_units_order_does_not_exist_for_a_unit(city: City, client: Client) -> None:
    order = dispatched(city, "D01")
    before = unchanged(order)
    client = as_user(client, city.staff("D02"))
    response = client.post(f"/orders/{order.pk}/act/sign/")
    assert response.status_code == 404 and "不存在或无权查看" in response.content.decode()
    assert client.get(f"/orders/{order.pk}/").status_code == 404
    assert unchanged(order) == before


def test_htmx_gets_a_redirect_header_or_a_422_fragment(city: City, client: Client) -> None:
    order = signed(city, "D04", appeal_type="consult", content="请问社保卡怎么补办", category="labour")
    client = as_user(client, city.staff("D04"))
    refused = client.post(f"/orders/{order.pk}/act/request_extension/", {"reason": "复杂", "length": "1wd"},
                          headers={"HX-Request": "true"})
    fragment = refused.content.decode()
    assert refused.status_code == 422 and "<html" not in fragment
    assert "资阳 §13(3)" in fragment and 'data-code="extension_type_excluded"' in fragment
    done = client.post(f"/orders/{order.pk}/act/reply/", {"reply_result": "已告知补办流程", "reply_contact": "电话告知",
                                                          "next": "/unit/"}, headers={"HX-Request": "true"})
    assert done.status_code == 200 and done["HX-Redirect"] == "/unit/"
    assert Order.objects.get(pk=order.pk).state == "replied"


def test_the_endpoint_takes_only_posts_of_known_actions(city: City, client: Client) -> None:
    order = intake(city)
    client = as_user(client, city.users["dispatcher"])
    assert client.get(f"/orders/{order.pk}/act/dispatch/").status_code == 405
    assert client.post(f"/orders/{order.pk}/act/fly/").status_code == 404
    system_only = client.post(f"/orders/{order.pk}/act/mark_overdue/")
    assert system_only.status_code == 404 and "系统自动办理" in system_only.content.decode()


def test_the_endpoint_needs_a_login(city: City) -> None:
    order = intake(city)
    response = Client().post(f"/orders/{order.pk}/act/dispatch/", {"unit": "D01"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Order.objects.get(pk=order.pk).state == "accepted"


# --- the order page --------------------------------------------------------------------------------

def test_the_order_page_shows_every_deadline_with_its_rule_and_its_trace(city: City, client: Client) -> None:
    order = dispatched(city)
    page = as_user(client, city.users["dispatcher"]).get(f"/orders/{order.pk}/").content.decode()
    for kind in ("dispatch", "sign", "return", "handle"):
        assert f'data-testid="deadline-{kind}"' in page
    assert 'data-testid="deadline-rule-handle">资阳 §13(2)' in page
    assert 'data-testid="deadline-trace-handle"' in page and "handle limit for complaint" in page
    assert "剩余" in page


def test_a_disabled_action_shows_its_reason_and_rule(city: City, client: Client) -> None:
    order = signed(city, "D04", appeal_type="consult", content="请问社保卡怎么补办", category="labour")
    page = as_user(client, city.staff("D04")).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="disabled-request_extension"' in page
    assert "咨询类工单不予延期" in page and 'data-testid="refusal-rule-request_extension">依据：资阳 §13(3)' in page
    assert 'data-testid="form-reply"' in page   # what the unit may do is open


def test_each_role_sees_only_the_actions_it_has_to_do_with(city: City, client: Client) -> None:
    accepted = intake(city)
    page = as_user(client, city.users["dispatcher"]).get(f"/orders/{accepted.pk}/").content.decode()
    assert 'data-testid="form-dispatch"' in page
    order = dispatched(city, content="路灯还是不亮")
    unit_page = as_user(client, city.staff("D01")).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="form-sign"' in unit_page and 'data-testid="form-request_return"' in unit_page
    assert "action-dispatch" not in unit_page and "action-remind" not in unit_page
    hotline_page = as_user(client, city.users["dispatcher"]).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="form-remind"' in hotline_page and "action-sign" not in hotline_page


def test_the_timeline_says_who_did_what_under_which_rule(city: City, client: Client) -> None:
    order = signed(city)
    page = as_user(client, city.users["supervisor"]).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="event-2"' in page and "派单员小李" in page and "待派单 → 待签收" in page
    assert "市住房和城乡建设局（D01）" in page and "依据：资阳 §13(2)" in page


def test_hotline_staff_see_the_requester_and_the_read_is_logged(city: City, client: Client) -> None:
    order = intake(city)
    page = as_user(client, city.users["operator"]).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="requester-name">张三' in page and "13800000001" in page
    access = PersonalDataAccess.objects.get(user=city.users["operator"], order_number=order.number)
    assert access.purpose == "查看工单" and access.fields == "name,phone"


def test_units_see_the_requester_masked_and_nothing_is_logged(city: City, client: Client) -> None:
    order = dispatched(city)
    page = as_user(client, city.staff("D01")).get(f"/orders/{order.pk}/").content.decode()
    assert "张*" in page and "138****0001" in page
    assert "张三" not in page and "13800000001" not in page
    assert not PersonalDataAccess.objects.filter(user=city.staff("D01")).exists()


def test_a_confidential_appeal_hides_the_requester_from_the_unit(city: City, client: Client) -> None:
    order = dispatched(city, confidential=True)
    page = as_user(client, city.staff("D01")).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="requester-hidden"' in page and 'data-testid="badge-confidential"' in page
    assert "张" not in page.split('data-testid="requester"')[1].split("</section>")[0]
    assert "138" not in page


def test_a_split_order_shows_its_own_part(city: City, client: Client) -> None:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content="小区停水三天且物业不作为", parts=["小区停水三天", "物业不作为"])
    page = as_user(client, city.users["dispatcher"]).get(f"/orders/{result.orders[1].pk}/").content.decode()
    assert 'data-testid="order-matter">物业不作为' in page


def test_the_reply_form_asks_for_the_elements_of_the_profile(city: City, client: Client, settings: object) -> None:
    settings.HOTLINE_PROFILE = "tianjin"  # type: ignore[attr-defined]
    order = intake(city)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", handling_limit="5wd")
    services.order_sign(order=order.pk, user=city.staff("D01"))
    client = as_user(client, city.staff("D01"))
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert "本规则要求答复写明：办理时间、办理经过、办理结果、回复诉求人情况" in page and "天津 §24(3)" in page
    for element in ("time", "process", "result", "contact"):
        assert f'data-testid="required-by-reply_{element}"' in page
    before = unchanged(order)
    refused = client.post(f"/orders/{order.pk}/act/reply/", {"reply_result": "路灯已修复"})
    assert refused.status_code == 422 and "答复须写明办理时间、办理经过、回复诉求人情况" in refused.content.decode()
    assert unchanged(order) == before
    done = client.post(f"/orders/{order.pk}/act/reply/", TIANJIN_REPLY)
    assert done.status_code == 302 and Order.objects.get(pk=order.pk).state == "replied"
    assert order.events.last().payload["reply"]["time"] == "3月3日上午"  # type: ignore[union-attr]


def test_a_rule_that_asks_for_an_input_leaves_the_form_open_and_says_so(city: City, client: Client,
                                                                         settings: object) -> None:
    settings.HOTLINE_PROFILE = "tianjin"  # type: ignore[attr-defined]
    order = intake(city)
    page = as_user(client, city.users["dispatcher"]).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="form-dispatch"' in page and 'data-testid="disabled-dispatch"' not in page
    assert 'data-testid="required-by-handling_limit">（天津 §16(2) 要求）' in page
    assert 'name="co_units"' not in page   # tianjin §13(1): one order per unit, no co-units
    before = unchanged(order)
    refused = client.post(f"/orders/{order.pk}/act/dispatch/", {"unit": "D01", "co_units": "D08", "handling_limit": "5wd"})
    assert refused.status_code == 422 and "天津 §13(1)" in refused.content.decode()
    assert unchanged(order) == before


def test_a_co_unit_gives_its_opinion_and_leaves_the_reply_to_the_lead(city: City, client: Client) -> None:
    order = intake(city, content="路灯和井盖都坏了")
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", co_units=["D08"])
    services.order_sign(order=order.pk, user=city.staff("D01"))
    page = as_user(client, city.staff("D08")).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="form-co_handle"' in page
    assert 'data-testid="disabled-reply"' in page and "联合办理工单由主办单位牵头答复" in page
    assert "action-request_extension" not in page   # the lead unit's business: not shown at all


def test_the_order_page_of_an_order_one_may_not_see_is_a_chinese_404(city: City, client: Client) -> None:
    response = as_user(client, city.users["dispatcher"]).get("/orders/999999/")
    assert response.status_code == 404 and "不存在或无权查看" in response.content.decode()


# --- the search -------------------------------------------------------------------------------------

def test_the_search_filters_by_state_and_text(city: City, client: Client) -> None:
    lamp = dispatched(city)
    water = intake(city, content="小区停水三天", category="utilities")
    client = as_user(client, city.users["supervisor"])
    page = client.get("/orders/", {"state": "dispatched"}).content.decode()
    assert f'data-testid="order-row-{lamp.number}"' in page and water.number not in page
    page = client.get("/orders/", {"q": "停水"}).content.decode()
    assert water.number in page and lamp.number not in page
    page = client.get("/orders/", {"category": "urban", "appeal_type": "complaint", "supervised": "no"}).content.decode()
    assert lamp.number in page and water.number not in page


def test_the_search_names_a_bad_filter(city: City, client: Client) -> None:
    response = as_user(client, city.users["supervisor"]).get("/orders/", {"state": "lost", "received_from": "3月"})
    page = response.content.decode()
    assert response.status_code == 400 and "状态“lost”不存在" in page and "受理日期起“3月”不是有效日期" in page


def test_a_unit_finds_only_its_own_orders(city: City, client: Client) -> None:
    mine, theirs = dispatched(city, "D01"), dispatched(city, "D02", content="河道有异味", category="environment")
    page = as_user(client, city.staff("D01")).get("/orders/").content.decode()
    assert mine.number in page and theirs.number not in page


def test_the_search_pages_through_results(city: City, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hotline.web.orders.views.PAGE_SIZE", 2)
    orders = [intake(city, content=f"第{i}处路灯不亮") for i in range(3)]
    client = as_user(client, city.users["dispatcher"])
    first = client.get("/orders/", {"state": "accepted"}).content.decode()
    assert "共 3 张工单" in first and "state=accepted&amp;page=2" in first
    second = client.get("/orders/", {"state": "accepted", "page": "2"}).content.decode()
    assert orders[0].number in second and orders[2].number not in second


def test_the_search_is_not_for_a_role_without_orders(city: City, client: Client) -> None:
    robot = User.objects.create(username="tick", role=User.Role.SYSTEM)
    response = as_user(client, robot).get("/orders/")
    assert response.status_code == 403 and "不能查询工单" in response.content.decode()
