"""The REST API: one NinjaAPI, mounted at /api/ by ``hotline.api.urls``.

    /api/v1/…             the endpoints (routers: appeals, orders, directory, requesters; public/ for citizens)
    /api/openapi.json     the OpenAPI document
    /api/docs             Swagger UI, served offline: its assets come from django-ninja's own package
                          (``ninja/static/ninja``), through :func:`docs_asset`, never from a CDN

Every answer that is an error has the one format of ``hotline.api.errors`` — ninja's validation errors,
401/403/404/405 and paths that name no endpoint included.
"""

from __future__ import annotations

import json
import mimetypes
from functools import wraps
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer

from hotline.api import appeals, assessment, directory, errors, kb, orders, public, requesters, suggest
from hotline.api.analytics import router as analytics_router
from hotline.api.auth import AUTH
from hotline.api.early_warning import router as warnings_router

ASSETS_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png", "favicon.svg")

DOCS_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{assets}swagger-ui.css">
<link rel="icon" href="{assets}favicon.svg" type="image/svg+xml">
</head>
<body data-csrf-token="{csrf}" data-api-csrf="true">
<script type="application/json" id="swagger-settings">{settings}</script>
<div id="swagger-ui"></div>
<script src="{assets}swagger-ui-bundle.js"></script>
<script src="{assets}swagger-ui-init.js"></script>
</body>
</html>
"""


class OfflineSwagger(DocsBase):
    """Swagger UI whose scripts and styles are served by the API itself (no internet needed)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True,
                    "persistAuthorization": True}
        page = DOCS_PAGE.format(title=escape(api.title), assets=f"{request.path.rstrip('/')}/assets/",
                                csrf=escape(get_token(request)),
                                settings=json.dumps(settings).replace("</", "<\\/"))
        return HttpResponse(page)


@cache_control(public=True, max_age=86400)
def docs_asset(request: HttpRequest, name: str) -> HttpResponseBase:
    """One of Swagger UI's files, from the django-ninja package."""
    if name not in ASSETS or request.method not in ("GET", "HEAD"):
        return errors.not_found_view(request)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse((ASSETS_DIR / name).open("rb"), content_type=content_type)


def _json_405(view: Any) -> Any:
    """Ninja answers a wrong method with a plain-text 405; answer in the API's error format instead."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return errors.method_not_allowed(request, response["Allow"])
        return response

    return wrapper


class Renderer(JSONRenderer):
    """JSON with Chinese as characters, not \\u escapes (a person reads these messages)."""

    json_dumps_params = {"ensure_ascii": False}


class HotlineAPI(NinjaAPI):
    """NinjaAPI with the API's error format on the responses ninja makes outside an operation
    (405, the API's root, unknown paths) and with Swagger UI's assets."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    pattern.callback = csrf_exempt(errors.not_found_view)
                else:
                    pattern.callback = _json_405(pattern.callback)
            urls.append(pattern)
        docs = (self.docs_url or "/docs").strip("/")
        urls.insert(0, path(f"{docs}/assets/<str:name>", docs_asset, name="docs-asset"))
        urls.append(re_path(r"^.*$", csrf_exempt(errors.not_found_view), name="not-found"))
        return urls


api = HotlineAPI(
    title="12345 热线平台 API",
    version="v1",
    description="12345 政务服务便民热线平台的接口：受理、派单、办理、回访、评价。每个工单动作都经过本地规则（profile）"
                "的生命周期表；被规则拒绝时，错误里写明所依据的条款（article）。\n\n"
                "The 12345 hotline platform's API. Authenticate with `Authorization: Bearer <token>` "
                "(`hotline token create --user NAME`) or the web session (with the X-CSRFToken header). "
                "Every error is `{code, message_zh, message_en, article, details}`.",
    auth=AUTH,
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
    parser=errors.JsonParser(),
    renderer=Renderer(),
)
errors.install(api)

api.add_router("/v1/", appeals.router)
api.add_router("/v1/", orders.router)
api.add_router("/v1/", directory.router)
api.add_router("/v1/", requesters.router)
api.add_router("/v1/public/", public.router, auth=None)
api.add_router("/v1/kb/", kb.router)
api.add_router("/v1/suggest", suggest.router)
api.add_router("/v1/analytics/", analytics_router)
api.add_router("/v1/assessment/", assessment.router)
api.add_router("/v1/", warnings_router)
