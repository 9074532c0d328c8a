"""URLs of the portal pages (public: no login)."""

from django.urls import URLPattern, path

from hotline.web.portal import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="portal"),
    path("submit/", views.submit, name="portal_submit"),
    path("track/", views.track, name="portal_track"),
    path("track/evaluate/", views.evaluate, name="portal_evaluate"),
    path("kb/", views.kb, name="portal_kb"),
]
