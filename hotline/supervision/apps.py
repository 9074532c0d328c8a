from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "hotline.supervision"
    label = "supervision"
    verbose_name = "督办与约谈"
    default_auto_field = "django.db.models.BigAutoField"
