"""The check that nothing leaves the server, checked itself (no browser needed)."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import ExternalCheck

SERVER = "http://localhost:8123"


@pytest.mark.parametrize("html", [
    '<link rel="stylesheet" href="https://cdn.example.com/app.css">',
    '<script src="http://cdn.example.com/htmx.js"></script>',
    '<img src="//cdn.example.com/logo.png">',
    '<div style="background: url(//fonts.example.com/a.woff)">',
    '<form action="https://evil.example/">',
    '<a href="http://localhost:9999/">another port is another server</a>',
])
def test_an_outside_url_in_the_html_is_found(html: str) -> None:
    assert ExternalCheck(SERVER).external_urls_in(html)


@pytest.mark.parametrize("html", [
    '<link rel="stylesheet" href="/static/web/app.css"><script src="/static/vendor/htmx/htmx.min.js"></script>',
    f'<a href="{SERVER}/orders/1/">own server</a>',
    '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    '<a href="tel:13800000000">电话</a> <img src="data:image/png;base64,AAAA">',
    '<p>请访问 12345 热线</p>',
])
def test_the_servers_own_urls_and_namespaces_pass(html: str) -> None:
    assert ExternalCheck(SERVER).external_urls_in(html) == []


def test_requests_are_local_only_on_the_same_scheme_host_and_port() -> None:
    check = ExternalCheck(SERVER)
    assert check.is_local(f"{SERVER}/static/web/app.css") and check.is_local("data:text/plain,x")
    assert not check.is_local("http://127.0.0.1:8123/") and not check.is_local("https://localhost:8123/")
