"""URLs of the dispatch pages: the dispatch queue and the review queues."""

from django.urls import path

from hotline.web.dispatch import views

urlpatterns = [
    path("", views.dispatch_queue, name="dispatch"),
    path("reviews/", views.reviews, name="reviews"),
]
