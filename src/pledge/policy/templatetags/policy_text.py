"""Template filters that render the policy: lookups by id and values in words.

Templates hold no policy facts; they walk the loaded policy through these filters.
``{{ purpose.retention|retention }}``, ``{% for c in purpose.data_categories|categories:policy %}``.
"""

from dataclasses import dataclass

from django import template

from .. import wording
from ..schema import (
    Cookie,
    CookieCategory,
    Lifetime,
    Policy,
    Purpose,
    Recipient,
    RecipientType,
    Retention,
    Storage,
    Vendor,
)
from . import countries

register = template.Library()


# --- Values in words -------------------------------------------------------------------------


@register.filter
def retention(value: Retention) -> str:
    return wording.retention_text(value)


@register.filter
def lifetime(value: Lifetime | None) -> str:
    return wording.lifetime_text(value)


@register.filter
def legal_basis(purpose: Purpose) -> str:
    return str(wording.LEGAL_BASES[purpose.legal_basis])


@register.filter
def legal_basis_article(purpose: Purpose) -> str:
    return str(wording.LEGAL_BASIS_ARTICLES[purpose.legal_basis])


@register.filter
def recipient_role(recipient: Recipient) -> str:
    return str(wording.RECIPIENT_ROLES[recipient.role])


@register.filter
def transfer_mechanism(value) -> str:
    return wording.transfer_mechanism_text(value)


@register.filter
def country(code: str) -> str:
    return countries.country_name(code)


@register.filter
def outside_eea(code: str) -> bool:
    # Chapter V GDPR applies to a transfer outside the EEA: the statement must name its ground.
    return code not in countries.EEA


@register.filter
def longest_backup(storage: Storage) -> Lifetime:
    """The later of the two backup periods: when an erasure has reached every backup."""
    return max(
        (storage.vault_backup_retention, storage.database_backup_retention),
        key=lambda lifetime: lifetime.days,
    )


# --- Lookups by id ---------------------------------------------------------------------------


@register.filter
def categories(ids: tuple[str, ...], policy: Policy):
    return [policy.data_category(category_id) for category_id in ids]


@register.filter
def subjects(ids: tuple[str, ...], policy: Policy):
    return [policy.data_subject(subject_id) for subject_id in ids]


@register.filter
def purposes(ids: tuple[str, ...], policy: Policy):
    return [policy.purpose(purpose_id) for purpose_id in ids]


@register.filter
def recipients(purpose: Purpose, policy: Policy):
    return policy.recipients_for(purpose.id)


@register.filter
def cookies(category: CookieCategory, policy: Policy) -> tuple[Cookie, ...]:
    return policy.cookies_in(category.id)


@register.filter
def vendors(category: CookieCategory, policy: Policy) -> tuple[Vendor, ...]:
    return policy.vendors_in(category.id)


@register.filter
def vendor(cookie: Cookie, policy: Policy) -> Vendor | None:
    return policy.vendor(cookie.vendor) if cookie.vendor else None


@register.filter
def recipient(vendor: Vendor, policy: Policy) -> Recipient:
    return policy.recipient(vendor.recipient)


@dataclass(frozen=True)
class RecipientGroup:
    label: str
    recipients: tuple[Recipient, ...]


@register.filter
def recipient_groups(policy: Policy) -> list[RecipientGroup]:
    """Recipients grouped by type, in the schema's order, empty types left out."""
    groups = []
    for recipient_type in RecipientType:
        members = tuple(r for r in policy.recipients if r.type is recipient_type)
        if members:
            label = str(wording.RECIPIENT_TYPES[recipient_type])
            groups.append(RecipientGroup(label=label, recipients=members))
    return groups
