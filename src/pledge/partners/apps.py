from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "pledge.partners"
    label = "partners"
    verbose_name = "Partners"
