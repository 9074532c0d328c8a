"""URLs of the unit pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
