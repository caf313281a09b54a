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

        # Orders: the back-office screen, and the partners' verified payment and shipment
        # events (the shop never talks to a partner itself; see partners/hooks.py).
        from pledge.partners import hooks

        from .backoffice_orders import screen_register
        from .fulfilment import payment_status_received, shipment_status_received

        screen_register()
        hooks.on_payment_status(payment_status_received)
        hooks.on_shipment_status(shipment_status_received)

        # Purchase history and payment data for the privacy officer's disclosure to an
        # authority (partners/sources.py): registered on import.
        from . import sources  # noqa: F401
