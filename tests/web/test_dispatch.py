"""派单与审核: the dispatch queue and the hotline's review queues, whose buttons post to ``web:order_act``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from typing import Any as SettingsWrapper

from django.test import Client
from django.utils import timezone

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Event, Order
from hotline.rules.calendar import SHANGHAI

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def as_user(client: Client, city: City, username: str) -> Client:
    client.force_login(city.users[username])
    return client


def accepted(city: City, *, urgency: str = "normal", category: str = "urban", channel: str = "phone",
             when: datetime | None = None, **kwargs: Any) -> Order:
    result = services.appeal_intake(user=city.users["operator"], channel=channel, appeal_type="complaint",
                                    content="小区门口路灯坏了一个月无人修", category=category, urgency=urgency,
                                    at=when or timezone.now(), **kwargs)
    return result.orders[0]


def block(page: str, element_id: str) -> str:
    """The <article> with that id (a queue row or a review item)."""
    found = re.search(rf'<article[^>]*id="{element_id}".*?</article>', page, re.S)
    assert found, f"{element_id} not on the page"
    return found.group()


def dispatch_button(row: str) -> str:
    found = re.search(r'<button[^>]*data-testid="dispatch-button"[^>]*>', row)
    assert found
    return found.group()


# --- the dispatch queue ---------------------------------------------------------------------------

def test_urgent_items_come_first_flagged_with_the_categorys_duty_unit_preselected(city: City, client: Client) -> None:
    now = timezone.now()
    normal = accepted(city, when=now - timedelta(hours=1))
    special = accepted(city, urgency="special", category="environment", when=now - timedelta(minutes=30))
    most_urgent = accepted(city, urgency="special-urgent", when=now - timedelta(minutes=5))
    page = as_user(client, city, "dispatcher").get("/dispatch/").content.decode()
    positions = [page.index(f'id="dispatch-{o.number}"') for o in (most_urgent, special, normal)]
    assert positions == sorted(positions)
    assert '<span class="badge urgent" data-testid="urgency-badge">特殊紧急</span>' in block(page, f"dispatch-{most_urgent.number}")
    assert 'data-testid="urgency-badge"' not in block(page, f"dispatch-{normal.number}")
    assert '<option value="D01" selected>' in block(page, f"dispatch-{normal.number}")       # 城乡建设 → D01
    assert '<option value="D02" selected>' in block(page, f"dispatch-{special.number}")      # 环境保护 → D02
    assert f'action="/orders/{normal.pk}/act/dispatch/"' in block(page, f"dispatch-{normal.number}")


def test_an_order_past_its_dispatch_due_is_flagged_overdue_with_its_rule(city: City, client: Client) -> None:
    late = accepted(city, when=MONDAY)
    row = block(as_user(client, city, "dispatcher").get("/dispatch/").content.decode(), f"dispatch-{late.number}")
    assert "派单超期" in row and "资阳 §13(1)" in row


def test_only_dispatchers_and_supervisors_use_the_queues(city: City, client: Client) -> None:
    assert client.get("/dispatch/").status_code == 302
    for username in ("operator", "d01-handler", "analyst"):
        for url in ("/dispatch/", "/dispatch/reviews/"):
            response = as_user(Client(), city, username).get(url)
            assert response.status_code == 403 and "不能使用本页面" in response.content.decode()
    for username in ("dispatcher", "supervisor"):
        assert as_user(Client(), city, username).get("/dispatch/").status_code == 200
        assert as_user(Client(), city, username).get("/dispatch/reviews/").status_code == 200


def test_answered_and_dispatched_orders_are_not_in_the_queue(city: City, client: Client) -> None:
    gone = accepted(city)
    services.order_dispatch(order=gone.pk, user=city.users["dispatcher"], unit="D01")
    page = as_user(client, city, "dispatcher").get("/dispatch/").content.decode()
    assert 'data-testid="dispatch-row"' not in page and 'data-testid="dispatch-empty"' in page


def test_ankang_asks_for_the_phone_alert_before_an_urgent_item_is_dispatched(city: City, client: Client,
                                                                             settings: SettingsWrapper) -> None:
    """ankang §28: alert the unit by phone first, then dispatch."""
    settings.HOTLINE_PROFILE = "ankang"
    order = accepted(city, urgency="special-urgent")
    as_user(client, city, "dispatcher")
    row = block(client.get("/dispatch/").content.decode(), f"dispatch-{order.number}")
    assert f'action="/orders/{order.pk}/act/record_phone_alert/"' in row and "电话预警" in row
    assert "disabled" in dispatch_button(row) and "安康 §28" in row and "应先行电话预警" in row
    # posting the dispatch anyway is refused with the rule, and changes nothing
    refused = client.post(f"/orders/{order.pk}/act/dispatch/", {"unit": "D01", "next": "/dispatch/"}, follow=True)
    assert f"未能派单（{order.number}）：安康 §28" in refused.content.decode()
    order.refresh_from_db()
    assert order.state == "accepted" and order.events.count() == 1
    response = client.post(f"/orders/{order.pk}/act/record_phone_alert/",
                           {"note": "已电话通知市住建局值班室王科长", "next": "/dispatch/"})
    assert response.status_code == 302 and response["Location"] == "/dispatch/"
    row = block(client.get("/dispatch/").content.decode(), f"dispatch-{order.number}")
    assert "已电话预警" in row and "disabled" not in dispatch_button(row)
    done = client.post(f"/orders/{order.pk}/act/dispatch/", {"unit": "D01", "next": "/dispatch/"}, follow=True)
    order.refresh_from_db()
    assert order.state == "dispatched" and order.lead_unit == city.units["D01"]
    assert f"已派单：{order.number}" in done.content.decode()


def test_tianjin_dispatches_with_a_handling_limit_and_without_co_units(city: City, client: Client,
                                                                       settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "tianjin"   # tianjin §16(2) 明确办理期限; §13(1) one order per unit
    order = accepted(city)
    row = block(as_user(client, city, "dispatcher").get("/dispatch/").content.decode(), f"dispatch-{order.number}")
    assert 'name="handling_limit"' in row and "天津 §16(2)" in row and "disabled" not in dispatch_button(row)
    assert 'name="co_units"' not in row and "天津 §13(1)" in row
    client.post(f"/orders/{order.pk}/act/dispatch/", {"unit": "D01", "handling_limit": "4wd", "next": "/dispatch/"})
    order.refresh_from_db()
    assert order.state == "dispatched" and order.handling_limit == "4wd"


def test_heyuan_major_items_wait_for_the_leaders_approval(city: City, client: Client,
                                                          settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "heyuan"
    order = accepted(city, major_item=True)
    as_user(client, city, "dispatcher")
    row = block(client.get("/dispatch/").content.decode(), f"dispatch-{order.number}")
    assert f'action="/orders/{order.pk}/act/record_leader_approval/"' in row and "河源 §12" in row
    assert "disabled" in dispatch_button(row)
    client.post(f"/orders/{order.pk}/act/record_leader_approval/", {"note": "副市长批示同意", "next": "/dispatch/"})
    row = block(client.get("/dispatch/").content.decode(), f"dispatch-{order.number}")
    assert "disabled" not in dispatch_button(row)


# --- the review queues ----------------------------------------------------------------------------

def signed(city: City, unit: str = "D01", **kwargs: Any) -> Order:
    order = accepted(city, when=MONDAY, **kwargs)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit, at=at(2, 11))
    services.order_sign(order=order.pk, user=city.staff(unit), at=at(2, 15))
    return order


def test_a_return_is_listed_with_its_reason_basis_suggested_unit_and_rule(city: City, client: Client) -> None:
    order = signed(city)
    services.order_request_return(order=order.pk, user=city.staff("D01"), reason="路灯归城管局管理",
                                  basis="市政府三定方案", suggested_unit="D08", at=at(3, 9))
    late = signed(city)
    services.order_request_return(order=late.pk, user=city.staff("D01"), reason="不属本单位职责", basis="三定方案",
                                  suggested_unit="D08", at=at(4, 16))
    as_user(client, city, "dispatcher")
    page = client.get("/dispatch/reviews/").content.decode()
    item = block(page, f"review-{order.number}")
    assert "路灯归城管局管理" in item and "市政府三定方案" in item and "市城市管理局（D08）" in item
    assert "资阳 §13(2)" in item and "同意退单：工单回到待派单" in item and "驳回：首接负责，原单位须办理" in item
    assert f'action="/orders/{order.pk}/act/approve_return/"' in item
    assert f'action="/orders/{order.pk}/act/reject_return/"' in item
    late_item = block(page, f"review-{late.number}")
    assert "超出退单时限" in late_item and "计为超期" in late_item
    client.post(f"/orders/{order.pk}/act/approve_return/", {"note": "同意", "next": "/dispatch/reviews/"})
    order.refresh_from_db()
    assert order.state == "accepted" and order.lead_unit is None
    assert f'id="dispatch-{order.number}"' in client.get("/dispatch/").content.decode()


def test_ankang_rejecting_a_return_makes_the_first_receiver_handle_it(city: City, client: Client,
                                                                      settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "ankang"
    order = signed(city)
    services.order_request_return(order=order.pk, user=city.staff("D01"), reason="不属本单位职责",
                                  evidence="三定方案第五条", at=at(2, 16))
    item = block(as_user(client, city, "supervisor").get("/dispatch/reviews/").content.decode(),
                 f"review-{order.number}")
    assert "驳回：首接负责，原单位须办理" in item and "安康 §24" in item and "三定方案第五条" in item


def test_an_extension_shows_the_current_due_and_the_due_after_approval(city: City, client: Client) -> None:
    order = signed(city)
    services.order_request_extension(order=order.pk, user=city.staff("D01"), reason="需协调多个部门", length="5wd",
                                     at=at(3, 10))
    as_user(client, city, "dispatcher")
    item = block(client.get("/dispatch/reviews/").content.decode(), f"review-{order.number}")
    assert "5个工作日" in item and "需协调多个部门" in item and "资阳 §13(3)" in item
    before = timezone.localtime(order.deadlines.get(kind="handle").due)
    assert f"{before:%Y-%m-%d %H:%M}" in item
    client.post(f"/orders/{order.pk}/act/approve_extension/", {"length": "5wd", "next": "/dispatch/reviews/"})
    order.refresh_from_db()
    after = timezone.localtime(order.deadlines.get(kind="handle").due)
    assert order.state == "signed" and after > before
    assert f"办结时限延至 {after:%Y-%m-%d %H:%M}" in item


def test_provisional_close_and_termination_requests_show_what_approving_will_do(city: City, client: Client) -> None:
    parked, ended = signed(city), signed(city)
    unit = city.staff("D01")
    services.order_request_provisional_close(order=parked.pk, user=unit, progress="已立项改造", next_steps="招标施工",
                                             promised_date="2026年6月底前", at=at(3, 10))
    services.order_request_termination(order=ended.pk, user=unit, written_opinion="已多次依法答复",
                                       answer_script="按原答复口径答复", at=at(3, 10))
    page = as_user(client, city, "dispatcher").get("/dispatch/reviews/").content.decode()
    parked_item = block(page, f"review-{parked.number}")
    assert 'data-queue="provisional"' in parked_item and "招标施工" in parked_item
    assert "每15个工作日报送一次进展" in parked_item and "资阳 §13(3)" in parked_item
    ended_item = block(page, f"review-{ended.number}")
    assert 'data-queue="terminations"' in ended_item and "已多次依法答复" in ended_item
    assert "不再派单" in ended_item and "资阳 §15" in ended_item
    client.post(f"/orders/{ended.pk}/act/reject_termination/", {"note": "理由不足", "next": "/dispatch/reviews/"})
    ended.refresh_from_db()
    assert ended.state == "signed"


def test_xixian_disputed_orders_await_designation(city: City, client: Client, settings: SettingsWrapper) -> None:
    """xixian §18(1): after the second approved return the unit is designated, and may not return it again."""
    settings.HOTLINE_PROFILE = "xixian"
    order = accepted(city, channel="transfer", when=MONDAY)
    dispatcher = city.users["dispatcher"]
    for unit, day in (("D01", 2), ("D08", 3)):
        services.order_dispatch(order=order.pk, user=dispatcher, unit=unit, at=at(day, 11))
        services.order_request_return(order=order.pk, user=city.staff(unit, leader=True), reason="不属本单位职责",
                                      suggested_unit="D03", at=at(day, 14))
        services.order_approve_return(order=order.pk, user=dispatcher, at=at(day, 16))
    order.refresh_from_db()
    assert order.state == "disputed"
    as_user(client, city, "dispatcher")
    item = block(client.get("/dispatch/reviews/").content.decode(), f"review-{order.number}")
    assert 'data-queue="disputed"' in item and "西咸 §18(1)" in item and "不得再退回" in item
    assert f'action="/orders/{order.pk}/act/designate_unit/"' in item and '<option value="D03" selected>' in item
    client.post(f"/orders/{order.pk}/act/designate_unit/", {"unit": "D03", "next": "/dispatch/reviews/"})
    order.refresh_from_db()
    assert order.state == "dispatched" and order.designated and order.lead_unit == city.units["D03"]
    assert Event.objects.filter(order=order, action="designate_unit").exists()


def test_tianjin_exemption_requests_show_the_evidence_and_the_rule(city: City, client: Client,
                                                                   settings: SettingsWrapper) -> None:
    """tianjin §25(2): a unit proves it did its duty; the hotline decides whether the dissatisfaction counts."""
    settings.HOTLINE_PROFILE = "tianjin"
    order = accepted(city, when=MONDAY)
    unit = city.staff("D01")
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", handling_limit="5wd",
                            at=at(2, 10, 30))
    services.order_sign(order=order.pk, user=unit, at=at(2, 11))
    services.order_reply(order=order.pk, user=unit, at=at(3, 10), reply={
        "time": "3月3日", "process": "现场核查", "result": "已修复", "contact": "已电话告知"})
    services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation="dissatisfied", contacted=True,
                            resolved=False, at=at(4, 10))
    services.order_uphold_dissatisfied(order=order.pk, user=city.users["supervisor"], at=at(4, 11))
    services.order_request_exemption(order=order.pk, user=unit, reason="已按规定修复，诉求人要求超出职责",
                                     evidence="维修记录及照片", at=at(5, 10))
    item = block(as_user(client, city, "supervisor").get("/dispatch/reviews/").content.decode(),
                 f"review-{order.number}")
    assert 'data-queue="exemptions"' in item and "维修记录及照片" in item and "不满意" in item
    assert "天津 §25(2)" in item and "同意豁免：该工单不作负面考核" in item and "驳回豁免" in item
