from django.apps import AppConfig


class SuggestConfig(AppConfig):
    name = "hotline.suggest"
    label = "suggest"
    verbose_name = "智能辅助（分类、诉求类型、承办单位建议）"
    default_auto_field = "django.db.models.BigAutoField"
