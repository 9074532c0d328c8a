from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "hotline.kb"
    label = "kb"
    verbose_name = "知识库"
    default_auto_field = "django.db.models.BigAutoField"
