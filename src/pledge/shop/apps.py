from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "pledge.shop"
    label = "shop"
    verbose_name = "Shop"
