"""System check: a live worker must never lose its claim to another one mid-send."""

from django.conf import settings
from django.core import checks

# Connect, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT: each step may take up to the timeout.
SMTP_STEPS = 10


@checks.register(checks.Tags.compatibility)
def lease_outlasts_an_smtp_transaction(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    options = settings.MAILERS.get("default", {}).get("OPTIONS", {})
    timeout = options.get("timeout")
    lease = getattr(settings, "PLEDGE_MAIL_LEASE_SECONDS", 300)
    if timeout and lease < SMTP_STEPS * float(timeout):
        return [
            checks.Warning(
                f"PLEDGE_MAIL_LEASE_SECONDS ({lease}) is shorter than {SMTP_STEPS} x the SMTP "
                f"timeout ({timeout} s): a slow but live send could be claimed and sent again.",
                id="mail.W001",
            )
        ]
    return []
