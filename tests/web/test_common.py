"""Logging in, and each role landing on its workbench."""

from __future__ import annotations

from django.test import Client

from hotline.directory.seed import City


def test_a_wrong_password_is_refused_with_a_chinese_message(city: City, client: Client) -> None:
    page = client.post("/login/", {"username": "operator", "password": "wrong"}).content.decode()
    assert "用户名或密码不正确" in page


def test_after_login_a_user_lands_on_the_home_page(city: City, client: Client) -> None:
    response = client.post("/login/", {"username": "operator", "password": "x"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code in {200, 302}


def test_assets_are_served_from_the_server_itself(city: City, client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "http://" not in page.replace('xmlns="http://', "") and "https://" not in page
