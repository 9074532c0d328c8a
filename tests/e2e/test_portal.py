"""A citizen on a phone (375×740): submits an appeal, gets the number and query code, tracks it, and once the
unit has replied, reads the result and evaluates it. No login.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.order import State
from tests.e2e.helpers import ServerLog, Shots

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

Browse = Callable[..., "Page"]

CONTENT = "滨河路公交站的候车亭顶棚破损，下雨天无法避雨，希望尽快维修。"


def track(page: Page, number: str, code: str) -> None:
    page.goto(f"/portal/track/?number={number}")
    expect(page.locator("#number")).to_have_value(number)
    page.locator("#code").fill(code)
    page.get_by_test_id("track-submit").click()
    expect(page.get_by_test_id("view-number")).to_have_text(number)


def test_a_citizen_submits_an_appeal_on_a_phone_and_tracks_it(browse: Browse, city: City, shots: Shots,
                                                              server: ServerLog) -> None:
    phone = browse(None, phone=True)
    phone.goto("/portal/")
    expect(phone.get_by_test_id("card-submit")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375, "the portal scrolls sideways on a phone"
    shots.take(phone, "portal-home-phone")

    # --- submit
    phone.get_by_test_id("card-submit").click()
    phone.locator("#appeal_type").select_option("complaint")
    phone.locator("#content").fill(CONTENT)
    phone.locator("#region").select_option(label="朝阳街道")
    phone.locator("#address").fill("滨河路公交站")
    phone.locator("#name").fill("赵女士")
    phone.locator("#phone").fill("13700001234")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shots.take(phone, "portal-submit-phone")
    phone.get_by_test_id("appeal-submit").click()

    receipt = phone.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    number = phone.locator("#order-number").inner_text().strip()
    code = phone.locator("#query-code").inner_text().strip()
    assert number and code.isdigit(), (number, code)
    expect(phone.get_by_text("查询码只显示这一次")).to_be_visible()
    shots.take(phone, "portal-submitted-phone")
    server.quiet()
    order = Order.objects.get(number=number)
    assert order.state == State.RECEIVED.value and order.appeal.channel == "web"

    # --- track: waiting for the hotline to accept it
    phone.get_by_test_id("go-track").click()
    expect(phone.locator("#number")).to_have_value(number)
    phone.locator("#code").fill(code)
    phone.get_by_test_id("track-submit").click()
    expect(phone.get_by_test_id("view-state")).to_have_text(State.RECEIVED.zh)

    # a wrong code shows nothing of the order
    phone.goto(f"/portal/track/?number={number}")
    phone.locator("#code").fill("000000" if code != "000000" else "111111")
    phone.get_by_test_id("track-submit").click()
    expect(phone.get_by_test_id("track-error")).to_be_visible()
    expect(phone.get_by_test_id("order-view")).to_have_count(0)

    # --- the hotline and the unit do their part (services), the citizen reads the result and evaluates
    server.quiet()
    services.order_accept(order=order.pk, user=city.users["operator"])
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="C04")
    services.order_sign(order=order.pk, user=city.staff("C04"))
    services.order_reply(order=order.pk, user=city.staff("C04"),
                         reply={"result": "候车亭顶棚已于今日更换完毕。", "contact": "已电话告知赵女士。"})
    track(phone, number, code)
    expect(phone.get_by_test_id("view-state")).to_have_text(State.REPLIED.zh)
    expect(phone.get_by_test_id("view-result")).to_contain_text("候车亭顶棚已于今日更换完毕")
    expect(phone.get_by_test_id("portal-evaluate")).to_be_visible()
    shots.take(phone, "portal-track-phone")
    phone.locator("#contacted-yes").check()
    phone.locator("#resolved-yes").check()
    phone.locator("#evaluation-satisfied").check()
    phone.get_by_test_id("portal-evaluate-submit").click()
    expect(phone.get_by_test_id("evaluation-done")).to_contain_text("感谢您的评价")
    expect(phone.get_by_test_id("view-evaluation")).to_have_text("满意")
    server.quiet()
    order.refresh_from_db()
    assert order.evaluation == "satisfied"
