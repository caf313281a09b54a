from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "pledge.partners"
    label = "partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from pledge.backoffice.screens import screen

        from . import checks, sources  # noqa: F401 (system check; account-based data sources)

        # Authorities: only roles with the authorities' purposes (in the policy: the privacy
        # officer alone) may record a disclosure.
        screen(
            "authority_disclosures",
            url_name="partners:authority_index",
            label=_("Disclosures to authorities"),
            purposes=("fraud_reporting", "fiscal_records"),
        )
        screen(
            "partner_outbox",
            url_name="partners:outbox",
            label=_("Partner outbox"),
            purposes=("order_fulfilment",),
        )
