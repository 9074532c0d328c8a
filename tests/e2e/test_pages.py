"""Every main page, as each of its users sees it: it loads nothing from outside the server, names no outside
URL in its HTML (checked by the ``browse`` fixture at the end), is in Chinese, and a role without the page is
told so in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from hotline.directory.seed import City
from tests.e2e import scenery
from tests.e2e.helpers import Shots, wait_for_htmx

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

Browse = Callable[..., "Page"]

#: user → (path, a text the page must show)
PAGES: dict[str | None, list[tuple[str, str]]] = {
    "operator": [("/intake/", "坐席受理"), ("/callbacks/", "待回访"), ("/orders/", "工单查询")],
    "dispatcher": [("/dispatch/", "待派单"), ("/dispatch/reviews/", "退单审核"), ("/orders/?q=施工", "共 1 张工单")],
    "supervisor": [("/supervision/", "按单位统计"), ("/callbacks/", "甄别")],
    "d01-handler": [("/unit/", "承办工单"), ("/unit/?tab=overdue", "已超期"), ("/orders/", "工单查询")],
    None: [("/login/", "登录"), ("/portal/", "12345 市民服务"), ("/portal/submit/", "我要反映"),
           ("/portal/track/", "查询办理进度"), ("/portal/kb/", "常见问题")],
}


def test_every_main_page_is_served_whole_by_the_server(browse: Browse, city: City, shots: Shots) -> None:
    orders = scenery.working_day(city)
    for username, pages in PAGES.items():
        page = browse(username)
        for path, text in pages:
            response = page.goto(path)
            assert response is not None and response.status == 200, (username, path)
            wait_for_htmx(page)
            expect(page.locator("main")).to_contain_text(text)
            assert page.evaluate("document.documentElement.lang") == "zh-CN", path
            # every stylesheet and script of the page came from the server and loaded
            failed = page.evaluate("""() => [...document.querySelectorAll('link[rel=stylesheet]')]
                                        .filter(l => !l.sheet).map(l => l.href)""")
            assert not failed, (path, failed)
        if username == "dispatcher":
            shots.take(page, "order-search")
    # a unit's order page, with its deadlines and timeline
    handler = browse("d01-handler")
    late = next(o for o in orders if o.lead_unit_id == city.units["D01"].pk and o.state == "signed")
    handler.goto(f"/orders/{late.pk}/")
    expect(handler.get_by_test_id("deadlines")).to_contain_text("已超期")


def test_a_role_without_the_page_is_told_so_in_chinese(browse: Browse, city: City) -> None:
    handler = browse("d01-handler")
    for path in ("/intake/", "/dispatch/", "/supervision/"):
        response = handler.goto(path)
        assert response is not None and response.status == 403, path
        expect(handler.locator("main")).to_contain_text("无权访问")
    anonymous = browse(None)
    anonymous.goto("/dispatch/")
    expect(anonymous).to_have_url(f"{anonymous.url.split('/login/')[0]}/login/?next=/dispatch/")
    anonymous.locator("input[name=username]").fill("dispatcher")
    anonymous.locator("input[name=password]").fill("wrong")
    anonymous.get_by_role("button", name="登录").click()
    expect(anonymous.get_by_role("alert")).to_contain_text("用户名或密码不正确")
