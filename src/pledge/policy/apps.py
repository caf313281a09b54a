from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


class PolicyConfig(AppConfig):
    name = "pledge.policy"
    label = "policy"
    verbose_name = "Privacy policy"

    def ready(self) -> None:
        from .problems import PolicyError
        from .selectors import current_policy

        # Load at start-up: a broken policy stops the shop before it serves a single page.
        try:
            current_policy()
        except PolicyError as error:
            raise ImproperlyConfigured(
                f"the privacy policy is not usable.\n{error.report()}"
            ) from None
        from . import checks  # noqa: F401 (registers the cookie checks)

        # Each app declares the personal data in its models in a ``privacy`` module.
        autodiscover_modules("privacy")
