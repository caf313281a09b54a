from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "pledge.analytics"
    label = "analytics"
