from django.apps import AppConfig


class SocialConfig(AppConfig):
    """Two-click share buttons, and the crawler that holds the live site to the cookie policy."""

    name = "pledge.social"
    label = "social"
