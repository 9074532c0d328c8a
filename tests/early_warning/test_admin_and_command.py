"""The admin shows warnings read-only; ``hotline warnings scan`` and ``bench`` print what they did."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from hotline.directory.seed import City
from hotline.early_warning.models import EarlyWarning, Kind
from tests.early_warning.history import appeals
from tests.early_warning.test_scan import NOW, TODAY
from tests.early_warning.test_services import raise_warning


def test_warnings_are_read_only_in_the_admin(city: City, client: Client) -> None:
    warning = raise_warning(city)
    client.force_login(city.users["admin"])
    assert client.get("/admin/early_warning/earlywarning/").status_code == 200
    assert client.get(f"/admin/early_warning/earlywarning/{warning.pk}/change/").status_code == 200
    assert client.get("/admin/early_warning/earlywarning/add/").status_code == 403
    assert client.post(f"/admin/early_warning/earlywarning/{warning.pk}/delete/", {"post": "yes"}).status_code == 403
    assert EarlyWarning.objects.filter(pk=warning.pk).exists()


def test_the_scan_command_raises_the_warnings_and_says_so(city: City) -> None:
    appeals(TODAY, 1, content="闻到很重的煤气味，怀疑燃气泄漏", start=14)
    out = StringIO()
    call_command("warnings", "scan", "--now", NOW.isoformat(), "--kind", "danger", stdout=out)
    assert "danger: raised 1" in out.getvalue()
    assert EarlyWarning.objects.filter(kind=Kind.DANGER).count() == 1


@pytest.mark.django_db
def test_the_bench_command_prints_precision_and_recall_per_kind() -> None:
    out = StringIO()
    call_command("warnings", "bench", "--seed", "5", stdout=out)
    text = out.getvalue()
    for kind in ("volume", "burst", "repeat", "overdue", "danger"):
        assert f"\n{kind}" in text
    assert text.count("  precision ") == 5 and text.count("  recall ") == 5 and "false positives" in text
