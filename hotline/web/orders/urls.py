"""URLs of the orders pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
