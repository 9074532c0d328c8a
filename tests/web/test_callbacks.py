"""The callback queue (回访) and screening (甄别) of dissatisfied evaluations."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Event, Order
from hotline.requesters.models import PersonalDataAccess
from hotline.rules.calendar import SHANGHAI
from tests.rules.walk import article

MARCH = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
REPLY = {"time": "3月3日", "process": "现场核查", "result": "已修复路灯", "contact": "已电话告知"}


def replied(city: City, unit: str = "D01", *, at: datetime = MARCH, phone: str = "13800000001",
            result: str = "已修复路灯") -> Order:
    """An order dispatched to ``unit``, signed and replied, starting at ``at``."""
    intake = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content="小区门口路灯坏了一个月无人修", requester_phone=phone, requester_name="张三",
                                    category="urban", at=at)
    order = intake.orders[0]
    handler = city.staff(unit)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit, at=at + timedelta(minutes=30))
    services.order_sign(order=order.pk, user=handler, at=at + timedelta(hours=1))
    services.order_reply(order=order.pk, user=handler, reply={**REPLY, "result": result}, at=at + timedelta(hours=2))
    order.refresh_from_db()
    return order


def in_screening(city: City, **kwargs: object) -> Order:
    order = replied(city, **kwargs)  # type: ignore[arg-type]
    services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation="dissatisfied", contacted=True,
                            resolved=False, note="路灯还是不亮")
    order.refresh_from_db()
    assert order.state == "screening"
    return order


def login(client: Client, username: str) -> Client:
    assert client.login(username=username, password="x")
    return client


def section(page: str, name: str) -> str:
    start = re.search(rf'<section[^>]* id="{name}"', page)
    assert start is not None, name
    return page[start.start():page.index("</section>", start.start())]


# --- the queue ------------------------------------------------------------------------------------------

def test_the_queue_lists_replied_orders_oldest_first_with_their_deadlines(city: City, client: Client) -> None:
    newer = replied(city, "D02", at=MARCH + timedelta(days=1), result="已清理垃圾")
    older = replied(city, "D01", result="已修复路灯")
    other = in_screening(city, at=MARCH + timedelta(days=2))
    page = login(client, "operator").get("/callbacks/").content.decode()
    queue = section(page, "callback-queue")
    assert queue.index(older.number) < queue.index(newer.number)
    assert other.number not in queue
    assert "已修复路灯" in queue and "已清理垃圾" in queue
    callback_due = older.deadlines.get(kind="callback").due.astimezone(SHANGHAI)
    evaluation_due = older.deadlines.get(kind="evaluation").due.astimezone(SHANGHAI)
    assert f"{callback_due:%Y-%m-%d %H:%M}" in queue and f"{evaluation_due:%Y-%m-%d %H:%M}" in queue
    assert 'data-testid="callback-total">2<' in queue
    assert "13800000001" not in page  # the list shows nobody's phone
    assert not PersonalDataAccess.objects.exists()


def test_operators_and_supervisors_open_the_queue_others_get_403(city: City, client: Client) -> None:
    assert client.get("/callbacks/").status_code == 302
    for username, status in [("operator", 200), ("supervisor", 200), ("dispatcher", 403), ("d01-handler", 403),
                             ("analyst", 403)]:
        client.logout()
        response = login(client, username).get("/callbacks/")
        assert response.status_code == status, username
        if status == 403:
            assert "您的角色不能使用“回访”" in response.content.decode()


def test_the_callback_panel_shows_the_reply_and_the_phone_and_logs_the_read(city: City, client: Client) -> None:
    order = replied(city)
    panel = login(client, "operator").get(f"/callbacks/{order.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in panel and 'data-testid="callback-panel"' in panel
    assert 'href="tel:13800000001"' in panel and "张三" in panel
    assert "办理结果" in panel and "已修复路灯" in panel and "回复诉求人情况" in panel
    assert f'action="/orders/{order.pk}/act/evaluate/"' in panel
    assert f'action="/orders/{order.pk}/act/record_callback_failure/"' in panel
    assert f'action="/orders/{order.pk}/act/record_callback_declined/"' in panel
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.order_number, access.purpose) == (city.users["operator"], order.number, "回访")
    full = client.get(f"/callbacks/{order.pk}/")
    assert full.status_code == 200 and "<html" in full.content.decode()


def test_the_panel_of_an_order_no_longer_waiting_reads_no_personal_data(city: City, client: Client) -> None:
    order = in_screening(city)
    panel = login(client, "operator").get(f"/callbacks/{order.pk}/").content.decode()
    assert "不在待回访状态" in panel and "13800000001" not in panel
    assert not PersonalDataAccess.objects.exists()
    assert client.get("/callbacks/999999/").status_code == 404


def test_a_supervisor_sees_why_they_may_not_record_the_evaluation(city: City, client: Client) -> None:
    order = replied(city)
    panel = login(client, "supervisor").get(f"/callbacks/{order.pk}/").content.decode()
    assert 'id="evaluate-submit" data-testid="evaluate-submit" disabled' in panel
    assert "热线督办不能满意度评价" in panel


# --- recording the callback (through the shared endpoint web:order_act) ---------------------------------

def test_a_satisfied_evaluation_closes_the_order_and_leaves_the_queue(city: City, client: Client) -> None:
    order = replied(city)
    response = login(client, "operator").post(f"/orders/{order.pk}/act/evaluate/", {
        "evaluation": "satisfied", "contacted": "yes", "resolved": "yes", "note": "满意", "next": "/callbacks/"})
    assert response.status_code == 302 and response["Location"] == "/callbacks/"
    order.refresh_from_db()
    assert (order.state, order.evaluation, order.contacted, order.resolved) == ("evaluated", "satisfied", True, True)
    assert order.callback_outcome == "answered"
    page = client.get("/callbacks/").content.decode()
    assert f"已满意度评价：{order.number}" in page
    assert order.number not in section(page, "callback-queue")


def test_a_dissatisfied_evaluation_goes_to_screening(city: City, client: Client) -> None:
    order = replied(city)
    login(client, "operator").post(f"/orders/{order.pk}/act/evaluate/", {
        "evaluation": "dissatisfied", "contacted": "yes", "resolved": "no", "note": "没修好", "next": "/callbacks/"})
    order.refresh_from_db()
    assert order.state == "screening" and order.evaluation == "dissatisfied" and order.resolved is False
    client.logout()
    page = login(client, "supervisor").get("/callbacks/").content.decode()
    screening = section(page, "screening")
    assert order.number in screening and "不满意" in screening and "没修好" in screening
    assert "响应：已联系" in screening and "解决：未解决" in screening


def test_an_unreachable_requester_is_counted_and_the_order_stays_in_the_queue(city: City, client: Client) -> None:
    order = replied(city)
    login(client, "operator")
    for _ in range(2):
        client.post(f"/orders/{order.pk}/act/record_callback_failure/", {"note": "无人接听", "next": "/callbacks/"})
    order.refresh_from_db()
    assert order.state == "replied" and order.callback_attempts == 2 and order.callback_outcome == "unreachable"
    row = re.search(rf'data-number="{order.number}".*?</tr>', client.get("/callbacks/").content.decode(), re.S)
    assert row is not None and "<td>2</td>" in row.group(0)


@article("ziyang §14")
def test_14_the_panel_asks_the_three_questions_and_offers_unreachable_and_declined(city: City, client: Client) -> None:
    order = replied(city)
    panel = login(client, "operator").get(f"/callbacks/{order.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "承办单位是否联系了您（响应）" in panel and "问题是否已解决（解决）" in panel and "是否满意" in panel
    assert re.search(r'<select name="contacted" id="evaluation-contacted" required', panel)
    assert re.search(r'<select name="resolved" id="evaluation-resolved" required', panel)
    assert 'id="evaluate-submit" data-testid="evaluate-submit">' in panel            # open for the operator
    assert 'id="failure-submit" data-testid="failure-submit">' in panel
    assert 'id="declined-submit" data-testid="declined-submit">' in panel
    assert "视为“基本满意”" in panel                                                # ziyang §14(1): silence


@article("ziyang §14")
def test_14_an_evaluation_without_the_two_answers_is_refused_and_changes_nothing(city: City, client: Client) -> None:
    order = replied(city)
    response = login(client, "operator").post(f"/orders/{order.pk}/act/evaluate/", {
        "evaluation": "satisfied", "contacted": "yes", "resolved": "", "next": "/callbacks/"}, follow=True)
    page = response.content.decode()
    assert "未能满意度评价" in page and "回访须记录问题是否已解决（解决）" in page
    order.refresh_from_db()
    assert (order.state, order.evaluation, order.contacted, order.callback_outcome) == ("replied", None, None, None)
    assert not order.events.filter(action="evaluate").exists()


def test_a_requester_who_declines_to_answer_closes_the_order_and_leaves_the_queue(city: City,
                                                                                  client: Client) -> None:
    order = replied(city)
    response = login(client, "operator").post(f"/orders/{order.pk}/act/record_callback_declined/",
                                              {"note": "接通后表示不愿评价", "next": "/callbacks/"})
    assert response.status_code == 302 and response["Location"] == "/callbacks/"
    order.refresh_from_db()
    assert (order.state, order.evaluation, order.callback_outcome, order.contacted, order.resolved) == (
        "evaluated", "none", "declined", None, None)
    event = order.events.get(action="record_callback_declined")
    assert event.payload == {"outcome": "declined", "evaluation": "none", "callback_attempts": 0,
                             "note": "接通后表示不愿评价"}
    page = client.get("/callbacks/").content.decode()
    assert f"已拒绝评价：{order.number}" in page and order.number not in section(page, "callback-queue")
    timeline = client.get(f"/orders/{order.pk}/").content.decode()
    assert "回访结果" in timeline and "拒绝评价" in timeline and "接通后表示不愿评价" in timeline


# --- screening (supervisors) ------------------------------------------------------------------------------

def test_only_supervisors_see_the_screening_section(city: City, client: Client) -> None:
    order = in_screening(city)
    page = login(client, "operator").get("/callbacks/").content.decode()
    assert 'id="screening"' not in page and order.number not in page
    client.logout()
    page = login(client, "supervisor").get("/callbacks/").content.decode()
    screening = section(page, "screening")
    for action in ("redo", "screen_out", "uphold_dissatisfied"):
        assert f'formaction="/orders/{order.pk}/act/{action}/"' in screening
    assert "甄别依据：资阳 §14(2)" in screening


@pytest.mark.parametrize(("action", "note", "state", "screened_out"), [
    ("redo", "请重新核实", "redo", False),
    ("screen_out", "诉求人要求超出政策规定，不属承办单位原因", "evaluated", True),
    ("uphold_dissatisfied", "", "evaluated", False),
])
def test_screening_actions(city: City, client: Client, action: str, note: str, state: str, screened_out: bool) -> None:
    order = in_screening(city)
    response = login(client, "supervisor").post(f"/orders/{order.pk}/act/{action}/",
                                                {"note": note, "next": "/callbacks/#screening"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.state, order.screened_out) == (state, screened_out)
    assert order.number not in section(client.get("/callbacks/").content.decode(), "screening")


def test_screening_out_without_a_reason_is_refused_and_changes_nothing(city: City, client: Client) -> None:
    order = in_screening(city)
    events = Event.objects.filter(order=order).count()
    response = login(client, "supervisor").post(f"/orders/{order.pk}/act/screen_out/",
                                                {"note": "", "next": "/callbacks/"}, follow=True)
    page = response.content.decode()
    assert "甄别意见" in page and "必须填写" in page
    order.refresh_from_db()
    assert order.state == "screening" and not order.screened_out
    assert Event.objects.filter(order=order).count() == events


def test_an_operator_may_not_screen(city: City, client: Client) -> None:
    order = in_screening(city)
    login(client, "operator").post(f"/orders/{order.pk}/act/redo/", {"note": "", "next": "/callbacks/"})
    order.refresh_from_db()
    assert order.state == "screening"


def test_the_queues_queries_do_not_grow_with_their_orders(city: City, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    replied(city)
    in_screening(city)
    login(client, "supervisor")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/callbacks/").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for day in range(1, 4):
        replied(city, at=MARCH + timedelta(days=day))
        in_screening(city, at=MARCH + timedelta(days=day, hours=3))
    assert queries() == before
