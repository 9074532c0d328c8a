"""URLs of the orders pages: the search, one order, and the shared action endpoint."""

from django.urls import URLPattern, path

from hotline.web.orders import views

urlpatterns: list[URLPattern] = [
    path("", views.order_search, name="orders"),
    path("<int:order_id>/", views.order_page, name="order"),
    path("<int:order_id>/act/<str:action>/", views.order_act, name="order_act"),
]
