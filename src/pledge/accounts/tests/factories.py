"""Realistic Dutch customers for the accounts tests (and for other apps' tests that need one)."""

import secrets

from django.utils import timezone

from pledge.accounts.models import Address, CustomerProfile, User
from pledge.vault.services import subject_create

PASSWORD = "zonnebloem-fietsbel-42"  # a test password: long and uncommon

DUTCH_ADDRESS = {
    "name": "Sanne de Vries",
    "street": "Prinsengracht",
    "house_number": "263",
    "postal_code": "1016 GV",
    "city": "Amsterdam",
    "country": "NL",
}


def unique(label: str) -> str:
    return f"{label}{secrets.token_hex(3)}"


def customer_create(
    *,
    username: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    first_name: str = "Sanne",
    last_name: str = "de Vries",
    phone: str = "+31 6 1234 5678",
    verified: bool = True,
    language: str = "nl",
    addresses: list[dict] | None = None,
) -> User:
    """A customer with a vault subject, a profile and (by default) one address."""
    username = username or unique("sanne.devries.")
    email = email or f"{username}@example.nl"
    user = User.objects.create_user(
        username, password, subject_id=subject_create(), language=language
    )
    CustomerProfile.objects.create(
        user=user,
        subject_id=user.subject_id,
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        email_verified_at=timezone.now() if verified else None,
    )
    for number, postal in enumerate(DUTCH_ADDRESS_BOOK if addresses is None else addresses):
        Address.objects.create(
            user=user,
            subject_id=user.subject_id,
            label=postal.get("label", ""),
            postal_address={k: v for k, v in postal.items() if k != "label"},
            is_default=number == 0,
        )
    return user


DUTCH_ADDRESS_BOOK = [{"label": "Thuis", **DUTCH_ADDRESS}]

SECOND_ADDRESS = {
    "label": "Werk",
    "name": "Sanne de Vries",
    "street": "Oudegracht",
    "house_number": "158bis",
    "postal_code": "3511 AZ",
    "city": "Utrecht",
    "country": "NL",
}
