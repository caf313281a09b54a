from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "pledge.consent"
    label = "consent"
