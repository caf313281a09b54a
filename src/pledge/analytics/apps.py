from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "pledge.analytics"
    label = "analytics"
    verbose_name = "Cookieless statistics"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from pledge.backoffice.screens import screen

        # Aggregates only; opened by any role whose policy purposes include "statistics".
        screen(
            "statistics",
            url_name="analytics:statistics",
            label=_("Statistics"),
            purposes=("statistics",),
        )
