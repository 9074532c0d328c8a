"""The workbenches' pages (Chinese UI, server-rendered with htmx 2).

One sub-package per workbench, each with its views, its URLs and its templates under
templates/web/<area>/; URL names are flat in the ``web`` namespace (``web:intake``, ``web:order``…).
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from hotline.web.views import common

app_name = "web"

urlpatterns = [
    path("", common.home, name="home"),
    path("login/", common.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"),
    path("intake/", include("hotline.web.intake.urls")),
    path("dispatch/", include("hotline.web.dispatch.urls")),
    path("unit/", include("hotline.web.unit.urls")),
    path("orders/", include("hotline.web.orders.urls")),
    path("supervision/", include("hotline.web.supervision.urls")),
    path("assessment/", include("hotline.web.assessment.urls")),
    path("callbacks/", include("hotline.web.callbacks.urls")),
    path("portal/", include("hotline.web.portal.urls")),
    path("kb/", include("hotline.web.kb.urls")),
    path("analytics/", include("hotline.web.analytics.urls")),
    path("warnings/", include("hotline.web.warnings.urls")),
    path("bulletin/", include("hotline.web.bulletin.urls")),
    path("public/", include("hotline.web.public.urls")),
]
