"""A test-only URLconf: the knowledge-base router in a NinjaAPI of its own, with the API's error format
and authentication, at the path the platform mounts it (/api/v1/kb/)."""

from __future__ import annotations

from django.urls import path

from hotline.api import errors
from hotline.api.auth import AUTH
from hotline.api.kb import router
from hotline.api.main import HotlineAPI, Renderer

api = HotlineAPI(title="kb (test)", version="kb-test", auth=AUTH, urls_namespace="kb-test",
                 parser=errors.JsonParser(), renderer=Renderer(), docs_url=None)
errors.install(api)
api.add_router("/v1/kb/", router)

urlpatterns = [path("api/", api.urls)]
