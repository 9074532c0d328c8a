"""URLs of the supervision pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
