"""URLs of the intake pages (坐席受理)."""

from django.urls import path

from hotline.web.intake import views

urlpatterns = [
    path("", views.intake, name="intake"),
    path("lookup/", views.lookup, name="intake_lookup"),
    path("repeats/", views.repeats, name="intake_repeats"),
    path("decline-reason/", views.decline_reason, name="intake_decline_reason"),
    path("suggest/", views.suggest, name="intake_suggest"),
]
