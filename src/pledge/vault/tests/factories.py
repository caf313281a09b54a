"""Realistic Dutch customers for the vault tests."""

import secrets

from pledge.vault.services import subject_create

from .models import Customer


def canary(label: str) -> str:
    """A value unique to one test run, so finding it anywhere means it leaked from this test."""
    return f"{label}-canary-{secrets.token_hex(8)}"


def customer_create(**overrides) -> Customer:
    token = secrets.token_hex(4)
    values = {
        "subject_id": subject_create(),
        "email": f"Sanne.de.Vries.{token}@Example.nl",
        "first_name": "Sanne",
        "last_name": "de Vries",
        "phone": "+31 6 1234 5678",
        "address": {"street": "Prinsengracht 263", "postal_code": "1016 GV", "city": "Amsterdam"},
        "invoice_address": {
            "name": "S. de Vries",
            "street": "Prinsengracht 263",
            "postal_code": "1016 GV",
            "city": "Amsterdam",
        },
    }
    values.update(overrides)
    return Customer.objects.create(**values)
