"""URLs of the supervision pages."""

from django.urls import URLPattern, path

from hotline.web.supervision import views

urlpatterns: list[URLPattern] = [
    path("", views.board, name="supervision"),
    path("units/<str:code>/", views.unit_orders, name="supervision_unit"),
    path("interviews/", views.interview_create, name="supervision_interview"),
]
