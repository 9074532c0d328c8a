"""URLs of the analytics pages (统计分析)."""

from django.urls import path

from hotline.web.analytics import views

urlpatterns = [
    path("", views.dashboard_page, name="analytics"),
    path("hot/", views.hot, name="analytics_hot"),
    path("governance/", views.governance_page, name="analytics_governance"),
    path("topics/<int:topic_id>/", views.topic_page, name="analytics_topic"),
]
