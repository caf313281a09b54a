"""Realistic Dutch customers and the mails a shop sends them."""

import secrets
import uuid

from django.db import transaction

from pledge.mail.services import mail_queue
from pledge.vault.services import subject_create

TEMPLATE = "mail_tests/order_shipped"


def canary(label: str) -> str:
    """A value unique to one test run, so finding it anywhere means it leaked from this test."""
    return f"{label}-canary-{secrets.token_hex(6)}"


def customer() -> dict:
    """A Dutch customer: a vault subject with a profile key, and their details."""
    token = secrets.token_hex(4)
    return {
        "subject_id": subject_create(),
        "email": f"sanne.de.vries.{token}@example.nl",
        "first_name": "Sanne",
        "phone": "+31 6 1234 5678",
        "address": {"street": "Prinsengracht 263", "postal_code": "1016 GV", "city": "Amsterdam"},
    }


def order_shipped_queue(person: dict, *, language: str = "nl", key: str | None = None, **context):
    """Queue the 'order shipped' mail as the shop would, in its own transaction."""
    context = {
        "first_name": person["first_name"],
        "order_number": f"PJ-2026-{secrets.randbelow(10**6):06d}",
        **context,
    }
    with transaction.atomic():
        return mail_queue(
            to=person["email"],
            template=TEMPLATE,
            context=context,
            language=language,
            subject_id=person["subject_id"],
            idempotency_key=key or f"tests.order_shipped:{uuid.uuid4()}",
        )
