"""Where a data category's values come from, for a disclosure to an authority.

Apps register one function per data category; each takes ONE subject id and returns plain data
(text, a dict, or a list of dicts) about that one person. There is deliberately no function
over many subjects: Pledge has no code path that exports customer lists to a third party.

    from pledge.partners.sources import category_source

    @category_source("user.behavior.purchase_history")
    def orders_of(subject_id) -> list[dict]: ...

partners registers the account-based categories itself (names, contact data, address book).
"""

import uuid
from collections.abc import Callable

_sources: dict[str, Callable] = {}


def category_source(category_id: str):
    """Decorator: ``fn(subject_id) -> str | dict | list[dict]`` supplies ``category_id``."""

    def register(fn: Callable) -> Callable:
        _sources[category_id] = fn
        return fn

    return register


def categories_with_source() -> frozenset[str]:
    return frozenset(_sources)


def category_values(*, subject_id: uuid.UUID, categories) -> dict:
    """The values of exactly these categories for one person (missing source: KeyError)."""
    return {category: _sources[category](subject_id) for category in categories}


# -- the account-based categories, through the accounts app's selectors --


def _profile(subject_id: uuid.UUID):
    from django.contrib.auth import get_user_model

    from pledge.accounts.selectors import customer_profile

    user_id = (
        get_user_model().objects.filter(subject_id=subject_id).values_list("pk", flat=True).first()
    )
    return None if user_id is None else customer_profile(user_id=user_id)


def _plain(value) -> str:
    return str(value or "")


@category_source("user.name.first")
def first_name_of(subject_id):
    profile = _profile(subject_id)
    return _plain(profile and profile.first_name)


@category_source("user.name.last")
def last_name_of(subject_id):
    profile = _profile(subject_id)
    return _plain(profile and profile.last_name)


@category_source("user.contact.email")
def email_of(subject_id):
    profile = _profile(subject_id)
    return _plain(profile and profile.email)


@category_source("user.contact.phone_number")
def phone_of(subject_id):
    profile = _profile(subject_id)
    return _plain(profile and profile.phone)


@category_source("user.contact.address")
def addresses_of(subject_id):
    from pledge.accounts.selectors import ADDRESS_FIELDS

    profile = _profile(subject_id)
    if profile is None:
        return []
    return [
        {name: _plain(address.get(name)) for name in ADDRESS_FIELDS}
        for address in profile.addresses
    ]
