"""The supervisor's board: overdue and due-soon orders by unit, a unit's list fetched in place, a reminder sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from hotline.directory.seed import City
from hotline.orders.models import Order
from hotline.rules.order import Action
from tests.e2e import scenery
from tests.e2e.helpers import ServerLog, Shots, wait_for_htmx

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

Browse = Callable[..., "Page"]


def test_the_supervisor_sees_overdue_orders_by_unit_and_sends_a_reminder(
        browse: Browse, city: City, shots: Shots, server: ServerLog) -> None:
    orders = scenery.working_day(city)
    late = next(o for o in orders if o.lead_unit_id == city.units["D01"].pk and o.state == "signed")

    supervisor = browse("supervisor")
    supervisor.goto("/supervision/")
    expect(supervisor.locator("#overdue-total")).not_to_have_text("0")
    d01 = supervisor.locator("[data-testid=unit-load][data-unit='D01']")
    expect(d01.get_by_test_id("overdue-count")).to_have_text("2")
    shots.take(supervisor, "supervision-board")

    # the unit's orders replace the list in place (htmx), the address follows
    supervisor.get_by_test_id("drill-D01").click()
    expect(supervisor.locator("#unit-orders")).to_have_attribute("data-unit", "D01")
    wait_for_htmx(supervisor)
    assert "unit=D01" in supervisor.url
    rows = supervisor.locator("#unit-orders [data-testid=board-order]")
    expect(rows).to_have_count(2)
    expect(supervisor.locator(f"#unit-orders [data-number='{late.number}']")).to_have_attribute("data-overdue", "1")

    supervisor.get_by_test_id(f"remind-{late.number}").first.click()
    expect(supervisor.locator("ul.messages")).to_contain_text(f"已{Action.REMIND.zh}：{late.number}")
    server.quiet()
    assert Order.objects.get(pk=late.pk).reminders == 1
