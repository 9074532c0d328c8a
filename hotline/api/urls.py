"""URL wiring of the REST API (/api/v1/, /api/openapi.json, /api/docs)."""

from django.urls import path

from hotline.api.main import api

urlpatterns = [path("api/", api.urls)]
