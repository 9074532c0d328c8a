"""The admin is for administrators and reference data; orders there are read-only."""

from __future__ import annotations

from django.test import Client

from hotline.directory.seed import City


def test_only_administrators_get_into_the_admin(city: City, client: Client) -> None:
    client.force_login(city.users["supervisor"])
    assert client.get("/admin/").status_code == 302
    client.force_login(city.users["admin"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/directory/unit/").status_code == 200


def test_the_admin_shows_each_profile_with_its_citations(city: City, client: Client) -> None:
    client.force_login(city.users["admin"])
    page = client.get("/admin/profiles/ziyang/").content.decode()
    assert "资府办函〔2022〕69号" in page and "ziyang §13(3)" in page


def test_orders_cannot_be_changed_in_the_admin(city: City, client: Client) -> None:
    client.force_login(city.users["admin"])
    assert client.get("/admin/orders/order/add/").status_code == 403
