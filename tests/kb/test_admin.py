"""The knowledge base in the admin: entries read-only; synonyms saved through the service."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.directory.seed import City
from hotline.kb.models import IndexChange, Synonym
from tests.kb.conftest import publish

pytestmark = pytest.mark.django_db


def test_entries_are_read_only_and_synonyms_go_through_the_service(city: City, client: Client) -> None:
    entry = publish(city)
    client.force_login(city.users["admin"])
    assert client.get("/admin/kb/entry/").status_code == 200
    assert client.get(f"/admin/kb/entry/{entry.pk}/change/").status_code == 200      # a view, not a form
    assert client.get("/admin/kb/entry/add/").status_code == 403
    changes = IndexChange.objects.count()
    response = client.post("/admin/kb/synonym/add/", {"terms": '["驾照", "驾驶证"]', "note": "", "active": "on"})
    assert response.status_code == 302
    assert list(Synonym.objects.values_list("terms", "updated_by__username")) == [(["驾照", "驾驶证"], "admin")]
    assert IndexChange.objects.count() == changes + 1
