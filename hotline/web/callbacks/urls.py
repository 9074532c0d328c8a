"""URLs of the callbacks pages."""

from django.urls import URLPattern, path

from hotline.web.callbacks import views

urlpatterns: list[URLPattern] = [
    path("", views.queue, name="callbacks"),
    path("<int:order_id>/", views.callback, name="callback"),
]
