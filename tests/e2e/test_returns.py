"""A unit sends back an order that is not its duty; the hotline reviews the return. And a rule on a button.

- The unit asks for a return on the order page with its reason, basis and the unit it suggests; the
  dispatcher sees all three in the review queue with the rule, approves, and the order is back in the
  dispatch queue with the suggested unit named.
- A consultation's extension is shown disabled, with the article that forbids it (资阳 §13(3)).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.order import Action, State
from tests.e2e.helpers import ServerLog, Shots

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

Browse = Callable[..., "Page"]


def dispatched(city: City, unit: str, **kwargs: object) -> Order:
    arguments: dict[str, object] = {"channel": "phone", "appeal_type": "complaint", "category": "urban",
                                    "requester_phone": "13800001111", "requester_name": "李先生",
                                    "content": "小区旁边的河道有人偷排污水，河水发黑发臭。", "address": "南湖区湖滨街道滨河路18号"}
    arguments.update(kwargs)
    order = services.appeal_intake(user=city.users["operator"], **arguments).orders[0]  # type: ignore[arg-type]
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit)
    return order


def test_a_return_with_its_reason_basis_and_suggested_unit_goes_back_to_dispatch(
        browse: Browse, city: City, shots: Shots, server: ServerLog) -> None:
    order = dispatched(city, "D01")

    # --- the unit asks for the return on the order page
    handler = browse("d01-handler")
    handler.get_by_test_id(f"open-{order.number}").click()
    expect(handler.get_by_test_id("order-state")).to_have_text(State.DISPATCHED.zh)
    form = handler.get_by_test_id("action-request_return")
    form.locator("summary").click()
    handler.locator("#act-request_return-reason").fill("河道排污属生态环境部门职责，不属于本单位职责范围。")
    handler.locator("#act-request_return-basis").fill("《示例市生态环境局职能配置、内设机构和人员编制规定》第三条")
    handler.locator("#act-request_return-suggested_unit").select_option("D02")
    handler.get_by_test_id("submit-request_return").click()
    expect(handler.locator("ul.messages")).to_contain_text(f"已{Action.REQUEST_RETURN.zh}：{order.number}")
    expect(handler.get_by_test_id("order-state")).to_have_text(State.RETURN_REQUESTED.zh)

    # --- the dispatcher reviews it: reason, basis, suggested unit and the rule, then approves
    dispatcher = browse("dispatcher")
    dispatcher.goto("/dispatch/reviews/")
    item = dispatcher.locator(f"#reviews-returns [data-testid=review-item][data-number='{order.number}']")
    expect(item).to_contain_text("不属于本单位职责范围")
    expect(item).to_contain_text("职能配置、内设机构和人员编制规定")
    expect(item).to_contain_text("市生态环境局")
    expect(item.get_by_test_id("review-rule")).to_contain_text("资阳")
    expect(dispatcher.get_by_test_id("review-tab-returns")).to_contain_text("1")
    shots.take(dispatcher, "review-queue-return")
    item.get_by_test_id("decision-approve_return").get_by_test_id("decision-button").click()
    expect(dispatcher.locator("ul.messages")).to_contain_text(f"已{Action.APPROVE_RETURN.zh}：{order.number}")
    expect(dispatcher.locator(f"[data-testid=review-item][data-number='{order.number}']")).to_have_count(0)

    # --- back in the dispatch queue, ready to go to the unit the return suggested
    dispatcher.goto("/dispatch/")
    row = dispatcher.locator(f"[data-testid=dispatch-row][data-number='{order.number}']")
    expect(row).to_be_visible()
    row.get_by_test_id("dispatch-unit").select_option("D02")
    row.get_by_test_id("dispatch-co-units").select_option([])   # the unit that returned it is no co-unit
    row.get_by_test_id("dispatch-button").click()
    expect(dispatcher.locator("ul.messages")).to_contain_text(f"已派单：{order.number}")
    server.quiet()   # the page's suggestion feedback may still be being recorded
    order.refresh_from_db()
    assert order.state == State.DISPATCHED.value and order.lead_unit == city.units["D02"] and order.returns == 1

    # --- and the first unit no longer has it
    handler.goto("/unit/")
    expect(handler.get_by_test_id(f"inbox-row-{order.number}")).to_have_count(0)


def test_a_consultation_cannot_be_extended_and_the_button_says_which_article(browse: Browse, city: City) -> None:
    order = dispatched(city, "D04", appeal_type="consult", category="labour",
                       content="咨询灵活就业人员如何办理养老保险参保登记？")
    services.order_sign(order=order.pk, user=city.staff("D04"))

    handler = browse("d04-handler")
    handler.goto(f"/orders/{order.pk}/")
    expect(handler.get_by_test_id("order-state")).to_have_text(State.SIGNED.zh)
    button = handler.get_by_test_id("disabled-request_extension")
    expect(button).to_be_disabled()
    expect(button).to_have_text(Action.REQUEST_EXTENSION.zh)
    expect(handler.get_by_test_id("refusal-request_extension")).to_contain_text("咨询")
    expect(handler.get_by_test_id("refusal-rule-request_extension")).to_contain_text("资阳 §13(3)")
    # the reply stays open: a consultation is answered, not extended
    expect(handler.get_by_test_id("action-reply")).to_have_attribute("data-enabled", "true")
