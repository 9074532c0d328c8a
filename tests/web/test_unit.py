"""The unit inbox: what a handling unit has to do, by tab, with counts; quick signing from the list."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.messages import get_messages
from django.test import Client

from hotline.directory.models import User
from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.calendar import SHANGHAI
from hotline.web.unit.views import counts

MARCH = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def intake(city: City, content: str, *, at: datetime | None = None, **kwargs: object) -> Order:
    defaults: dict[str, object] = {"channel": "phone", "appeal_type": "complaint", "content": content,
                                   "requester_phone": "13800000001", "requester_name": "张三", "category": "urban"}
    defaults.update(kwargs)
    return services.appeal_intake(user=city.users["operator"], at=at, **defaults).orders[0]  # type: ignore[arg-type]


def dispatch(city: City, order: Order, unit: str = "D01", *, at: datetime | None = None, **kwargs: object) -> Order:
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit, at=at, **kwargs)  # type: ignore[arg-type]
    return order


def sign(city: City, order: Order, unit: str = "D01", *, at: datetime | None = None) -> Order:
    services.order_sign(order=order.pk, user=city.staff(unit), at=at)
    return order


def inbox(client: Client, user: User, tab: str = "") -> str:
    client.force_login(user)
    response = client.get("/unit/", {"tab": tab} if tab else {})
    assert response.status_code == 200
    return response.content.decode()


def count(page: str, tab: str) -> int:
    return int(page.split(f'data-testid="count-{tab}">')[1].split("<")[0])


def test_each_tab_counts_the_units_orders(city: City, client: Client) -> None:
    new = dispatch(city, intake(city, "路灯坏了"))
    doing = sign(city, dispatch(city, intake(city, "井盖缺失")))
    pending = sign(city, dispatch(city, intake(city, "工地夜间施工噪音")))
    services.order_request_extension(order=pending.pk, user=city.staff("D01"), reason="需协调多个部门", length="5wd")
    late = sign(city, dispatch(city, intake(city, "违建无人管", at=MARCH), at=MARCH), at=MARCH)
    dispatch(city, intake(city, "河道有异味", category="environment"), "D02")   # another unit's
    page = inbox(client, city.staff("D01"))
    assert {tab: count(page, tab) for tab in ("new", "doing", "soon", "overdue", "redo", "pending")} == {
        "new": 1, "doing": 2, "soon": 0, "overdue": 1, "redo": 0, "pending": 1}
    assert new.number in page and doing.number not in page   # the first tab: new orders
    assert late.number in inbox(client, city.staff("D01"), "overdue")
    assert pending.number in inbox(client, city.staff("D01"), "pending")
    assert "河道有异味" not in page


def test_due_soon_means_the_handling_limit_falls_within_24_hours(city: City) -> None:
    order = sign(city, dispatch(city, intake(city, "路灯坏了")))
    order.refresh_from_db()
    assert order.handle_due is not None
    unit = city.staff("D01")
    assert counts(unit, order.handle_due - timedelta(hours=2))["soon"] == 1
    assert counts(unit, order.handle_due - timedelta(days=2))["soon"] == 0
    assert counts(unit, order.handle_due + timedelta(minutes=1)) == {
        "new": 0, "doing": 1, "soon": 0, "overdue": 1, "redo": 0, "pending": 0}


def test_a_row_shows_type_category_excerpt_and_its_due_badge(city: City, client: Client) -> None:
    late = sign(city, dispatch(city, intake(city, "违建无人管" * 20, at=MARCH), at=MARCH), at=MARCH)
    page = inbox(client, city.staff("D01"), "overdue")
    row = page.split(f'data-testid="inbox-row-{late.number}"')[1].split("</tr>")[0]
    assert "投诉" in row and "城乡建设" in row and "违建无人管违建" in row and "…" in row
    assert 'class="badge overdue"' in row and "已超期" in row


def test_signing_from_the_inbox_comes_back_to_the_inbox(city: City, client: Client) -> None:
    order = dispatch(city, intake(city, "路灯坏了"))
    page = inbox(client, city.staff("D01"))
    assert f'data-testid="quick-sign-{order.number}"' in page
    response = client.post(f"/orders/{order.pk}/act/sign/", {"next": "/unit/?tab=new"})
    assert response.status_code == 302 and response["Location"] == "/unit/?tab=new"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"已签收：{order.number}"]
    assert Order.objects.get(pk=order.pk).state == "signed"
    assert count(inbox(client, city.staff("D01")), "new") == 0


def test_a_co_unit_sees_the_order_but_does_not_sign_it(city: City, client: Client) -> None:
    order = dispatch(city, intake(city, "小区停水又漏水"), "D01", co_units=["C01"])
    page = inbox(client, city.staff("C01"))
    row = page.split(f'data-testid="inbox-row-{order.number}"')[1].split("</tr>")[0]
    assert "协办" in row and "quick-sign" not in row


def test_an_urgent_order_comes_first(city: City, client: Client) -> None:
    normal = dispatch(city, intake(city, "路灯坏了"))
    urgent = intake(city, "燃气泄漏", urgency="special-urgent")
    services.order_record_phone_alert(order=urgent.pk, user=city.users["dispatcher"])
    dispatch(city, urgent)
    page = inbox(client, city.staff("D01"))
    assert page.index(urgent.number) < page.index(normal.number)
    assert "特殊紧急" in page


def test_the_inbox_is_for_unit_staff_only(city: City, client: Client) -> None:
    client.force_login(city.users["dispatcher"])
    response = client.get("/unit/")
    assert response.status_code == 403 and "仅供承办单位工作人员使用" in response.content.decode()
    client.logout()
    assert client.get("/unit/")["Location"].startswith("/login/")


def test_the_unit_lands_on_its_inbox(city: City, client: Client) -> None:
    client.force_login(city.staff("D01", leader=True))
    assert client.get("/")["Location"] == "/unit/"
