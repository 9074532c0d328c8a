"""One complaint from the call to the archive, each step done by its person in the browser.

Operator takes the call (number and query code to read aloud) → dispatcher dispatches it from the queue →
the unit signs it from its inbox → asks for an extension on the order page → the dispatcher approves it in
the review queue → the unit replies with the elements the rulebook asks for → the operator records the
requester's "satisfied" at the callback → and archives it. Screenshots of each workbench are taken on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from hotline.directory.seed import City
from hotline.orders.models import Order
from hotline.rules.order import Action, State
from hotline.rules.vocabulary import Urgency
from tests.e2e import scenery
from tests.e2e.helpers import ServerLog, Shots, wait_for_htmx

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

Browse = Callable[..., "Page"]

CONTENT = "幸福路1号小区门口的路灯坏了一个多月，晚上一片漆黑，老人孩子出行很不安全，希望尽快修好。"


def flash(page: Page) -> str:
    return page.locator("ul.messages").inner_text()


def test_a_complaint_goes_from_the_call_to_the_archive(browse: Browse, city: City, shots: Shots,
                                                      server: ServerLog) -> None:
    scenery.working_day(city)

    # --- 坐席受理: the operator types the call and reads out the number and the query code
    operator = browse("operator")
    expect(operator).to_have_url(f"{operator.url.split('/intake/')[0]}/intake/")
    operator.locator("#id_requester_phone").fill("13912345678")
    operator.locator("#id_requester_name").fill("王女士")
    operator.locator("#id_appeal_type").select_option("complaint")
    operator.locator("#id_category").select_option("urban")
    operator.locator("#id_region").select_option(label="东城区")
    operator.locator("#id_address").fill("东城区朝阳街道幸福路1号")
    operator.locator("#id_content").fill(CONTENT)
    expect(operator.get_by_test_id("history-none")).to_contain_text("首次来电")
    expect(operator.get_by_test_id("repeats-none")).to_contain_text("未发现疑似重复件")
    expect(operator.get_by_test_id("suggestions")).not_to_contain_text("输入诉求内容后")
    wait_for_htmx(operator)
    shots.take(operator, "intake-form")
    operator.locator("#intake-accept").click()

    result = operator.get_by_test_id("intake-result")
    expect(result).to_contain_text("已受理（投诉 · 电话）")
    number = operator.locator("#order-number").inner_text().strip()
    code = operator.locator("#query-code").inner_text().strip()
    assert number and code.isdigit(), (number, code)
    deadlines = operator.get_by_test_id("deadlines")
    expect(deadlines).to_contain_text("资阳")
    expect(operator.get_by_text("请向诉求人读出工单编号和查询码")).to_be_visible()
    shots.take(operator, "intake-result")
    server.quiet()
    order = Order.objects.get(number=number)
    assert order.state == State.ACCEPTED.value

    # --- 派单: the dispatcher finds it in the queue, urgent items first, and dispatches it to the lead unit
    dispatcher = browse("dispatcher")
    dispatcher.goto("/dispatch/")
    rows = dispatcher.get_by_test_id("dispatch-row")
    expect(rows.first).to_have_attribute("data-urgency", "special-urgent")
    expect(rows.first.get_by_test_id("urgency-badge")).to_have_text(Urgency.SPECIAL_URGENT.zh)
    row = dispatcher.locator(f"[data-testid=dispatch-row][data-number='{number}']")
    expect(row).to_contain_text(CONTENT[:20])
    expect(row).to_contain_text("派单目录：市住房和城乡建设局")
    shots.take(dispatcher, "dispatch-queue")
    row.get_by_test_id("dispatch-unit").select_option("D01")
    row.get_by_test_id("dispatch-co-units").select_option(["D08"])
    row.get_by_test_id("dispatch-button").click()
    expect(dispatcher.locator("ul.messages")).to_contain_text(f"已派单：{number}")
    expect(dispatcher.locator(f"[data-testid=dispatch-row][data-number='{number}']")).to_have_count(0)

    # --- 签收: the unit's handler signs it from the inbox
    handler = browse("d01-handler")
    expect(handler).to_have_url(f"{handler.url.split('/unit/')[0]}/unit/")
    expect(handler.get_by_test_id(f"inbox-row-{number}")).to_contain_text(State.DISPATCHED.zh)
    expect(handler.get_by_test_id("count-overdue")).not_to_have_text("0")
    shots.take(handler, "unit-inbox")
    handler.get_by_test_id(f"quick-sign-{number}").get_by_role("button", name="签收").click()
    expect(handler.locator("ul.messages")).to_contain_text(f"已签收：{number}")

    # --- 延期: the unit asks for five working days more on the order page
    handler.get_by_test_id("tab-doing").click()
    handler.get_by_test_id(f"open-{number}").click()
    expect(handler.get_by_test_id("order-state")).to_have_text(State.SIGNED.zh)
    panel = handler.get_by_test_id("action-request_extension")
    panel.locator("summary").click()
    expect(panel.get_by_test_id("required-by-reason")).to_contain_text("资阳 §13(3)")
    handler.locator("#act-request_extension-reason").fill("需协调供电公司更换线路，五个工作日内无法完成。")
    handler.locator("#act-request_extension-length").fill("5wd")
    handler.get_by_test_id("submit-request_extension").click()
    expect(handler.locator("ul.messages")).to_contain_text(f"已{Action.REQUEST_EXTENSION.zh}：{number}")
    expect(handler.get_by_test_id("order-state")).to_have_text(State.EXTENSION_REQUESTED.zh)

    # --- 延期审核: the dispatcher sees the request with its rule and approves it
    dispatcher.goto("/dispatch/reviews/")
    item = dispatcher.locator(f"[data-testid=review-item][data-number='{number}']")
    expect(item).to_have_attribute("data-queue", "extensions")
    expect(item.get_by_test_id("review-rule")).to_contain_text("资阳 §13(3)")
    expect(item).to_contain_text("需协调供电公司更换线路")
    shots.take(dispatcher, "review-queue")
    item.get_by_test_id("decision-approve_extension").get_by_test_id("decision-button").click()
    expect(dispatcher.locator("ul.messages")).to_contain_text(f"已{Action.APPROVE_EXTENSION.zh}：{number}")

    # --- 办结答复: the unit replies; the form names the elements ziyang asks for
    handler.reload()
    expect(handler.get_by_test_id("order-state")).to_have_text(State.SIGNED.zh)
    reply = handler.get_by_test_id("action-reply")
    reply.locator("summary").click()
    expect(reply.get_by_test_id("reply-requirements")).to_contain_text("资阳 §13")
    expect(handler.get_by_test_id("timeline")).to_contain_text(Action.APPROVE_EXTENSION.zh)
    expect(handler.get_by_test_id("deadline-handle")).to_be_visible()
    shots.take(handler, "order-page", max_height=1800)
    handler.locator("#act-reply-reply_time").fill("3月5日上午")
    handler.locator("#act-reply-reply_process").fill("现场核查后联系供电公司更换了损坏的线路和灯头。")
    handler.locator("#act-reply-reply_result").fill("路灯已修复，夜间照明恢复正常。")
    handler.locator("#act-reply-reply_contact").fill("3月5日下午电话告知王女士，她表示认可。")
    handler.get_by_test_id("submit-reply").click()
    expect(handler.locator("ul.messages")).to_contain_text(f"已{Action.REPLY.zh}：{number}")
    expect(handler.get_by_test_id("order-state")).to_have_text(State.REPLIED.zh)

    # --- 回访: the operator calls the requester back and records "satisfied"
    operator.goto("/callbacks/")
    callback_row = operator.locator(f"[data-testid=callback-order][data-number='{number}']")
    expect(callback_row).to_contain_text("路灯已修复")
    operator.get_by_test_id(f"open-callback-{number}").click()
    panel = operator.get_by_test_id("callback-panel")
    expect(panel).to_have_attribute("data-number", number)
    expect(panel.get_by_test_id("unit-reply")).to_contain_text("路灯已修复")
    shots.take(operator, "callback-queue")
    operator.locator("#evaluation-satisfied").check()
    operator.locator("#evaluation-contacted").select_option("yes")
    operator.locator("#evaluation-resolved").select_option("yes")
    operator.locator("#evaluate-submit").click()
    expect(operator.locator("ul.messages")).to_contain_text(f"已{Action.EVALUATE.zh}：{number}")
    expect(operator.locator(f"[data-testid=callback-order][data-number='{number}']")).to_have_count(0)

    # --- 归档: the operator archives it from the order page
    operator.goto(f"/orders/{order.pk}/")
    expect(operator.get_by_test_id("order-state")).to_have_text(State.EVALUATED.zh)
    archive = operator.get_by_test_id("action-archive")
    archive.locator("summary").click()
    operator.get_by_test_id("submit-archive").click()
    expect(operator.locator("ul.messages")).to_contain_text(f"已{Action.ARCHIVE.zh}：{number}")
    expect(operator.get_by_test_id("order-state")).to_have_text(State.ARCHIVED.zh)
    timeline = operator.get_by_test_id("timeline")
    for action in (Action.DISPATCH, Action.SIGN, Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION, Action.REPLY,
                   Action.EVALUATE, Action.ARCHIVE):
        expect(timeline).to_contain_text(action.zh)
    server.quiet()
    order.refresh_from_db()
    assert order.state == State.ARCHIVED.value and order.extensions == 1 and order.evaluation == "satisfied"
