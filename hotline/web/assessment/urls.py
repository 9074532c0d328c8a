"""URLs of the assessment pages (考核)."""

from django.urls import URLPattern, path

from hotline.web.assessment import views

urlpatterns: list[URLPattern] = [
    path("", views.figures, name="assessment"),
    path("units/<str:code>/", views.figure_orders, name="assessment_orders"),
    path("freeze/", views.freeze, name="assessment_freeze"),
    path("vetoes/", views.veto, name="assessment_veto"),
]
