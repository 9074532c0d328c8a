"""URLs of the bulletin page."""

from django.urls import URLPattern, path

from hotline.web.bulletin import views

urlpatterns: list[URLPattern] = [
    path("", views.bulletin, name="bulletin"),
    path("<str:month>.<str:fmt>", views.download, name="bulletin_download"),
]
