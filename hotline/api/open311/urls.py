"""Open311 GeoReport v2 URLs, mounted at ``/open311/v2/`` by ``hotline.urls``; the format is the extension."""

from django.urls import re_path

from hotline.api.open311 import views

FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

app_name = "open311"
urlpatterns = [
    re_path(rf"^services{FORMAT}", views.services_list, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+?){FORMAT}", views.service_definition, name="service"),
    re_path(rf"^requests{FORMAT}", views.requests_collection, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+?){FORMAT}", views.request_detail, name="request"),
]
