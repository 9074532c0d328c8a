from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "hotline.early_warning"
    label = "early_warning"
    verbose_name = "预警"
    default_auto_field = "django.db.models.BigAutoField"
