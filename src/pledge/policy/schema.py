"""The policy file's shape: typed, immutable objects validated from TOML.

Structure lives here; cross-references between sections (a purpose naming an unknown data
category, a processor without an agreement) are checked in ``consistency.py``.
"""

import datetime
from enum import StrEnum
from typing import Annotated, Literal

from django.utils.translation import get_language
from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
DottedKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalText(Frozen):
    """A text a customer may read: Dutch and English are both required."""

    nl: Text
    en: Text

    def get(self, language: str | None) -> str:
        return self.en if (language or "").startswith("en") else self.nl

    def __str__(self) -> str:
        return self.get(get_language())


class LegalBasis(StrEnum):
    """GDPR Art. 6(1) (a) to (f)."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTERESTS = "legitimate_interests"

    @property
    def article(self) -> str:
        letter = "abcdef"[list(LegalBasis).index(self)]
        return f"Art. 6(1)({letter}) GDPR"


class TimeUnit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"

    @property
    def days(self) -> float:
        return {
            "minutes": 1 / 1440,
            "hours": 1 / 24,
            "days": 1,
            "weeks": 7,
            "months": 30.44,
            "years": 365.25,
        }[self.value]


class RetentionEvent(StrEnum):
    """The moment a retention period starts to run. Code implements each of these."""

    COLLECTION = "collection"
    ACCOUNT_DELETED = "account_deleted"
    ORDER_DELIVERED = "order_delivered"
    FISCAL_YEAR_END = "fiscal_year_end"
    TICKET_CLOSED = "ticket_closed"
    UNSUBSCRIBED = "unsubscribed"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CASE_CLOSED = "case_closed"
    SESSION_END = "session_end"
    MAIL_DELIVERED = "mail_delivered"


class Retention(Frozen):
    """``after`` an event, keep ``duration`` ``unit``s; without a duration: delete at the event."""

    after: RetentionEvent
    duration: int | None = Field(default=None, ge=0)
    unit: TimeUnit | None = None
    note: LocalText | None = None

    @property
    def days(self) -> float:
        return (self.duration or 0) * (self.unit.days if self.unit else 0)


class Lifetime(Frozen):
    duration: int = Field(ge=1)
    unit: TimeUnit

    @property
    def days(self) -> float:
        return self.duration * self.unit.days


class PostalAddress(Frozen):
    street: Text
    postal_code: Text
    city: Text
    country: CountryCode


class PolicyMeta(Frozen):
    version: Text
    effective: datetime.date
    title: LocalText


class ChangelogEntry(Frozen):
    version: Text
    date: datetime.date
    summary: LocalText


class Controller(Frozen):
    name: Text
    legal_name: Text
    address: PostalAddress
    email: EmailStr
    phone: Text
    website: HttpUrl
    kvk: Annotated[str, StringConstraints(pattern=r"^\d{8}$")]
    btw: Annotated[str, StringConstraints(pattern=r"^NL\d{9}B\d{2}$")]


class PrivacyOfficer(Frozen):
    name: Text
    email: EmailStr
    phone: Text
    # Art. 37: a designated DPO has a legal position; a voluntary privacy officer does not.
    designated_dpo: bool
    role: LocalText


class SupervisoryAuthority(Frozen):
    name: Text
    country: CountryCode
    website: HttpUrl
    complaint_url: HttpUrl
    phone: Text | None = None


class DataSubject(Frozen):
    id: Slug
    label: LocalText


class DataCategory(Frozen):
    id: DottedKey
    label: LocalText
    description: LocalText | None = None
    # Art. 9/10 data must be declared as such; the consistency check refuses it undeclared.
    special: bool = False


class Purpose(Frozen):
    id: Slug
    name: LocalText
    description: LocalText
    legal_basis: LegalBasis
    # Art. 6(1)(f) needs a written balancing of interests; shown in the statement.
    legitimate_interest: LocalText | None = None
    data_use: DottedKey
    data_subjects: tuple[Slug, ...] = Field(min_length=1)
    data_categories: tuple[DottedKey, ...] = Field(min_length=1)
    retention: Retention

    @property
    def requires_consent(self) -> bool:
        return self.legal_basis is LegalBasis.CONSENT


class RecipientType(StrEnum):
    PAYMENT = "payment"
    DELIVERY = "delivery"
    SUPPLIER = "supplier"
    REVIEW_COLLECTOR = "review_collector"
    AUTHORITY = "authority"
    HOSTING = "hosting"
    MAIL_RELAY = "mail_relay"
    BACKUP = "backup"
    ANALYTICS = "analytics"
    ADVERTISING = "advertising"
    SOCIAL_MEDIA = "social_media"


class RecipientRole(StrEnum):
    PROCESSOR = "processor"  # Art. 28: acts on our instructions, under an agreement
    CONTROLLER = "controller"  # decides on its own purposes (e.g. a review platform)
    AUTHORITY = "authority"  # Art. 4(9): a public authority in a particular inquiry


class TransferMechanism(StrEnum):
    """Chapter V GDPR: the ground for a transfer outside the EEA."""

    ADEQUACY = "adequacy"  # Art. 45
    DPF = "dpf"  # EU-US Data Privacy Framework (an Art. 45 decision for certified companies)
    SCC = "scc"  # Art. 46(2)(c) standard contractual clauses
    BCR = "bcr"  # Art. 47


class SubProcessor(Frozen):
    name: Text
    country: CountryCode
    service: LocalText
    transfer_mechanism: TransferMechanism | None = None


class Recipient(Frozen):
    id: Slug
    name: Text
    type: RecipientType
    role: RecipientRole
    country: CountryCode
    purposes: tuple[Slug, ...] = ()
    data_categories: tuple[DottedKey, ...] = ()
    agreement: Text | None = None
    sub_processors: tuple[SubProcessor, ...] = ()
    transfer_mechanism: TransferMechanism | None = None
    privacy_url: HttpUrl | None = None


class Role(Frozen):
    id: Slug
    name: LocalText
    purposes: tuple[Slug, ...] = Field(min_length=1)
    data_categories: tuple[DottedKey, ...] = ()


class CookieCategory(Frozen):
    id: Literal["functional", "analytics", "advertising", "social"]
    name: LocalText
    description: LocalText
    requires_consent: bool
    purposes: tuple[Slug, ...] = Field(min_length=1)


class Vendor(Frozen):
    id: Slug
    name: Text
    recipient: Slug
    category: Slug
    hosts: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")], ...] = (
        Field(min_length=1)
    )
    description: LocalText


class Cookie(Frozen):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.*-]+$")]
    party: Literal["first", "third"]
    category: Slug
    vendor: Slug | None = None
    purpose: LocalText
    # None: the cookie ends with the browser session.
    lifetime: Lifetime | None = None


class Storage(Frozen):
    """Where data lives beyond the live databases (what an erasure cannot reach at once)."""

    vault_backup_retention: Lifetime
    database_backup_retention: Lifetime
    outbox_retention: Lifetime


class Policy(Frozen):
    policy: PolicyMeta
    changelog: tuple[ChangelogEntry, ...] = Field(min_length=1)
    controller: Controller
    privacy_officer: PrivacyOfficer
    supervisory_authority: SupervisoryAuthority
    security_measures: tuple[LocalText, ...] = Field(min_length=1)
    storage: Storage
    data_subjects: tuple[DataSubject, ...] = Field(min_length=1)
    data_categories: tuple[DataCategory, ...] = Field(min_length=1)
    purposes: tuple[Purpose, ...] = Field(min_length=1)
    recipients: tuple[Recipient, ...] = ()
    roles: tuple[Role, ...] = Field(min_length=1)
    cookie_categories: tuple[CookieCategory, ...] = Field(min_length=1)
    vendors: tuple[Vendor, ...] = ()
    cookies: tuple[Cookie, ...] = ()

    # Lookups by id. The consistency check guarantees ids are unique and references resolve.
    def purpose(self, purpose_id: str) -> Purpose:
        return _by_id(self.purposes, purpose_id, "purpose")

    def data_category(self, category_id: str) -> DataCategory:
        return _by_id(self.data_categories, category_id, "data category")

    def recipient(self, recipient_id: str) -> Recipient:
        return _by_id(self.recipients, recipient_id, "recipient")

    def role(self, role_id: str) -> Role:
        return _by_id(self.roles, role_id, "role")

    def vendor(self, vendor_id: str) -> Vendor:
        return _by_id(self.vendors, vendor_id, "vendor")

    def cookie_category(self, category_id: str) -> CookieCategory:
        return _by_id(self.cookie_categories, category_id, "cookie category")

    def data_subject(self, subject_id: str) -> DataSubject:
        return _by_id(self.data_subjects, subject_id, "data subject")

    def recipients_for(self, purpose_id: str) -> tuple[Recipient, ...]:
        return tuple(r for r in self.recipients if purpose_id in r.purposes)

    def vendors_in(self, category_id: str) -> tuple[Vendor, ...]:
        return tuple(v for v in self.vendors if v.category == category_id)

    def cookies_in(self, category_id: str) -> tuple[Cookie, ...]:
        return tuple(c for c in self.cookies if c.category == category_id)


class UnknownPolicyId(LookupError):
    pass


def _by_id(items, item_id: str, kind: str):
    for item in items:
        if item.id == item_id:
            return item
    raise UnknownPolicyId(f"The policy declares no {kind} {item_id!r}.")
