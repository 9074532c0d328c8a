"""URLs of the knowledge-base pages (知识库)."""

from django.urls import path

from hotline.web.kb import views

urlpatterns = [
    path("", views.kb_home, name="kb"),
    path("search/", views.kb_results, name="kb_search"),
    path("new/", views.entry_new, name="kb_new"),
    path("import/", views.kb_import_page, name="kb_import"),
    path("export/", views.kb_export_file, name="kb_export"),
    path("figures/", views.kb_figures, name="kb_figures"),
    path("<int:entry_id>/", views.entry_page, name="kb_entry"),
    path("<int:entry_id>/edit/", views.entry_edit, name="kb_edit"),
    path("<int:entry_id>/act/<str:action>/", views.entry_act, name="kb_act"),
    path("<int:entry_id>/flag/", views.entry_flag, name="kb_flag"),
    path("flags/<int:flag_id>/resolve/", views.flag_resolve, name="kb_flag_resolve"),
]
