from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "pledge.consent"
    label = "consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .receivers import link_consent_on_login

        user_logged_in.connect(link_consent_on_login, dispatch_uid="pledge.consent.link")
