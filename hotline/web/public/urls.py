"""URLs of the public disclosure pages (public: no login)."""

from django.urls import URLPattern, path

from hotline.web.public import views

urlpatterns: list[URLPattern] = [
    path("", views.results, name="public"),
    path("appeals/", views.appeals, name="public_appeals"),
]
