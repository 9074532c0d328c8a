"""An administrator uploads the region map in the admin; a bad file is refused there with its reasons."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hotline.analytics import services
from hotline.analytics.models import RegionMap
from hotline.directory.seed import City


def post(client: Client, content: bytes, code_property: str = "code") -> str:
    upload = SimpleUploadedFile("map.geojson", content, content_type="application/geo+json")
    response = client.post("/admin/analytics/regionmap/add/", {"name": "示例市", "code_property": code_property,
                                                               "file": upload}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_refuses_a_bad_map_with_its_reasons_and_loads_a_good_one(client: Client, city: City) -> None:
    client.force_login(city.users["admin"])
    html = post(client, b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "990100"},'
                        b' "geometry": {"type": "Point", "coordinates": [1, 2]}}]}')
    assert "几何类型是“Point”，应为 Polygon 或 MultiPolygon" in html
    assert not RegionMap.objects.exists()
    post(client, services.DEMO_MAP.read_bytes())
    loaded = RegionMap.objects.get()
    assert loaded.active and loaded.uploaded_by == city.users["admin"] and len(loaded.codes) == 4
