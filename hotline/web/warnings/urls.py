"""URLs of the early-warning pages (预警)."""

from django.urls import URLPattern, path

from hotline.web.warnings import views

urlpatterns: list[URLPattern] = [
    path("", views.warnings_page, name="warnings"),
    path("<int:warning_id>/", views.warning_page, name="warning"),
    path("<int:warning_id>/act/<str:action>/", views.warning_act, name="warning_act"),
]
