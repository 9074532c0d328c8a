"""The OpenAPI document (complete, one name per schema) and the docs page, which works offline."""

from __future__ import annotations

import importlib
from collections import defaultdict

from django.test import Client
from ninja import Schema


def test_the_docs_work_offline(client: Client) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "http://" not in html and "https://" not in html and "cdn" not in html.lower()
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"):
        assert f"/api/docs/assets/{asset}" in html
        response = client.get(f"/api/docs/assets/{asset}")
        assert response.status_code == 200 and response.getvalue()
    assert client.get("/api/docs/assets/settings.py").status_code == 404


def test_the_openapi_document_is_public_and_declares_the_error_format(client: Client) -> None:
    document = client.get("/api/openapi.json").json()
    assert document["info"] == {"title": "12345 热线平台 API", "version": "v1", "description": document["info"]["description"]}
    sign = document["paths"]["/api/v1/orders/{order_id}/sign"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(sign["responses"])
    assert sign["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    actions = [p for p in document["paths"] if p.startswith("/api/v1/orders/{order_id}/")]
    assert len(actions) == 39  # 37 actions, events, deadlines
    assert "security" not in document["paths"]["/api/v1/public/orders/{number}"]["get"]


def test_every_schema_of_the_api_has_its_own_name() -> None:
    """OpenAPI names a schema by its class name: two classes of one name would share one definition."""
    importlib.import_module("hotline.api.main")  # every router the API mounts
    seen: dict[str, set[str]] = defaultdict(set)
    pending: list[type[Schema]] = [Schema]
    while pending:
        for cls in pending.pop().__subclasses__():
            pending.append(cls)
            if cls.__module__.startswith("hotline."):
                seen[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: sorted(where) for name, where in seen.items() if len(where) > 1} == {}
