from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "pledge.shop"
    label = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        # The catalogue's contributions: its back-office screen, and the anonymous cart merged
        # into the account at sign-in (see catalogue.catalogue_connect).
        from .catalogue import catalogue_connect

        catalogue_connect()
