"""The platform's URLs: admin, the health check and, for now, a placeholder home page."""

from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

HOME_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>12345 热线平台</title>
</head>
<body style="font-family: 'Noto Sans CJK SC', sans-serif; max-width: 40rem; margin: 3rem auto;">
<h1>12345 热线平台</h1>
<p>政务服务便民热线开源平台：受理、派单、办理、回访、考核。</p>
<p>平台正在建设中。管理后台：<a href="/admin/">/admin/</a></p>
</body>
</html>
"""


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse(HOME_PAGE)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answers 200 when the database answers a query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "error", "database": connection.vendor, "error": type(exc).__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": connection.vendor})


urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
