"""The platform's URLs: the workbenches, the REST and Open311 APIs, admin, the health check."""

from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


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
    path("", include("hotline.web.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("hotline.api.urls")),
    path("open311/v2/", include("hotline.api.open311.urls")),
]
