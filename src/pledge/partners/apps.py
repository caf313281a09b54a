from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "pledge.partners"
    label = "partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the system check)
