"""URLs of the callbacks pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
