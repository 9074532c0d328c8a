"""URLs of the dispatch pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
