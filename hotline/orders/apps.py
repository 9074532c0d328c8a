from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "hotline.orders"
    label = "orders"
    verbose_name = "诉求与工单"
    default_auto_field = "django.db.models.BigAutoField"
