"""Personal data: least privilege per role, masking, confidentiality, and the access log."""

from __future__ import annotations

from datetime import datetime

import pytest

from hotline.directory.seed import City
from hotline.orders import selectors, services
from hotline.orders.models import Order
from hotline.requesters.models import PersonalDataAccess
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import NotFound
from tests.rules.walk import article

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def dispatched(city: City, unit: str = "D08", confidential: bool = False) -> Order:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="report",
                                    content="举报某餐馆夜间违规排放油烟", requester_phone="13900001111",
                                    requester_name="李四", reported_party="某餐馆", confidential=confidential, at=MONDAY)
    order = result.orders[0]
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit, at=MONDAY)
    return Order.objects.get(pk=order.pk)


@article("ziyang §27(2)")
def test_27_2_a_confidential_appeal_never_shows_the_requester_to_the_unit(city: City) -> None:
    order = dispatched(city, confidential=True)
    view = selectors.requester_for(user=city.staff("D08"), order=order, purpose="handling")
    assert not view.visible and view.name == "" and view.phone == ""
    assert not PersonalDataAccess.objects.exists()


@article("ziyang §22")
def test_22_every_unmasked_read_of_personal_data_is_logged_with_who_and_why(city: City) -> None:
    order = dispatched(city)
    view = selectors.requester_for(user=city.users["operator"], order=order, purpose="callback")
    assert (view.name, view.phone, view.masked) == ("李四", "13900001111", False)
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.order_number, log.purpose, log.fields) == (city.users["operator"], order.number,
                                                                     "callback", "name,phone")


@article("tianjin §29")
def test_unit_staff_and_analysts_see_the_requester_masked_and_nothing_is_logged(city: City) -> None:
    order = dispatched(city)
    for user in (city.staff("D08"), city.users["analyst"]):
        view = selectors.requester_for(user=user, order=order, purpose="handling")
        assert (view.name, view.phone, view.masked) == ("李*", "139****1111", True)
    assert not PersonalDataAccess.objects.exists()


@article("heyuan §19")
def test_a_unit_sees_only_its_own_orders(city: City) -> None:
    mine, theirs = dispatched(city, "D08"), dispatched(city, "D02")
    visible = set(selectors.orders_visible_to(city.staff("D08")).values_list("pk", flat=True))
    assert mine.pk in visible and theirs.pk not in visible
    with pytest.raises(NotFound):
        selectors.order_get_for_user(user=city.staff("D08"), order_id=theirs.pk)
    assert selectors.orders_visible_to(city.users["analyst"]).count() == 2


def test_a_co_unit_sees_the_order_it_helps_with(city: City) -> None:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content="路面塌陷且无警示", at=MONDAY)
    order = result.orders[0]
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", co_units=["D08"], at=MONDAY)
    assert selectors.orders_visible_to(city.staff("D08")).filter(pk=order.pk).exists()


def test_requester_history_is_for_hotline_staff_only_and_logged(city: City) -> None:
    dispatched(city)
    assert selectors.requester_history(user=city.staff("D08"), phone="13900001111") == []
    history = selectors.requester_history(user=city.users["operator"], phone="13900001111")
    assert len(history) == 1 and PersonalDataAccess.objects.filter(fields="phone,history").count() == 1
