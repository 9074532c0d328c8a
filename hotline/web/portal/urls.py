"""URLs of the portal pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
