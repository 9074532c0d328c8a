"""URLs of the unit pages."""

from django.urls import URLPattern, path

from hotline.web.unit import views

urlpatterns: list[URLPattern] = [
    path("", views.unit_inbox, name="unit_inbox"),
]
