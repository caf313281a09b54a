from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "pledge.backoffice"
    label = "backoffice"
    verbose_name = "Back office"
