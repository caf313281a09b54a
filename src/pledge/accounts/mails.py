"""The mails this app sends, all through the mail app's outbox (``mail_queue``).

Each mail is three templates under ``accounts/mail/``; links are absolute URLs made from the
site address the request came in on (``ALLOWED_HOSTS`` guards it) and carry no personal data.
"""

import uuid

from django.urls import reverse
from django.utils import translation
from django.utils.http import urlsafe_base64_encode

from pledge.mail.services import mail_queue
from pledge.policy.selectors import current_policy


def account_link(*, site_url: str, view: str, user, token: str, language: str) -> str:
    with translation.override(language):
        path = reverse(
            f"accounts:{view}",
            kwargs={"uidb64": urlsafe_base64_encode(str(user.pk).encode()), "token": token},
        )
    return site_url.rstrip("/") + path


def account_mail(*, user, to: str, template: str, context: dict | None = None) -> None:
    """Queue one mail to this account's person; call it inside the service's transaction."""
    mail_queue(
        to=to,
        template=f"accounts/mail/{template}",
        context={"shop_name": current_policy().controller.name, "user": user, **(context or {})},
        language=user.language,
        subject_id=user.subject_id,
        # Every request for a mail is a new one; retries of one request reuse its key.
        idempotency_key=f"accounts.{template}:{user.pk}:{uuid.uuid4()}",
    )
