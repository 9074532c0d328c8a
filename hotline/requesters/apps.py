from django.apps import AppConfig


class RequestersConfig(AppConfig):
    name = "hotline.requesters"
    label = "requesters"
    verbose_name = "诉求人"
    default_auto_field = "django.db.models.BigAutoField"
