from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hotline.directory"
    label = "directory"
    verbose_name = "机构与人员"
    default_auto_field = "django.db.models.BigAutoField"
