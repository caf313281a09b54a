"""Reads of the partners app: plain data for the shop, "My account" and the back office."""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, ngettext

from pledge.policy.selectors import current_policy

from .models import Disclosure, MessageStatus, PartnerMessage, Payment, ReviewObjection

# Channels that send nothing out of the machine (the demo's stand-ins).
SANDBOX_CHANNELS = frozenset({"sandbox", "testpsp"})


def payment_for_provider_page(*, payment_id: uuid.UUID) -> Payment:
    """The payment the test PSP page shows (amount, reference: no personal data)."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise Http404
    return payment


def payment_status(*, payment_id: str) -> str | None:
    """Our recorded status of a payment (the shop's return page may show "processing")."""
    try:
        key = uuid.UUID(str(payment_id))
    except ValueError:
        return None
    return Payment.objects.filter(pk=key).values_list("status", flat=True).first()


def review_objected(*, subject_id) -> bool:
    return ReviewObjection.objects.filter(subject_id=subject_id, objected=True).exists()


@dataclass(frozen=True)
class DisclosureView:
    """One disclosure as the person sees it in "My account" and in their data export."""

    recipient_id: str
    recipient_name: str
    purpose_id: str
    purpose_name: str
    legal_basis: str
    categories: tuple[str, ...]
    category_labels: tuple[str, ...]
    sent_at: datetime
    order_reference: str
    channel: str
    delivered: bool
    # ``Your first name and address were shared with PostNL on 3 March 2027 for ...``, in the
    # language that was active when the selector ran (as are the names and labels above).
    sentence: str = ""

    @property
    def sandbox(self) -> bool:
        return self.channel in SANDBOX_CHANNELS

    def worded(self) -> "DisclosureView":
        return replace(self, sentence=self._sentence())

    def _sentence(self) -> str:
        labels = [_lower_first(label) for label in self.category_labels]
        values = {
            "categories": _joined(labels),
            "recipient": self.recipient_name,
            "date": formats.date_format(timezone.localtime(self.sent_at), "j F Y"),
            "purpose": _lower_first(self.purpose_name),
            "order": self.order_reference,
        }
        count = len(labels)
        if self.delivered and self.order_reference:
            text = ngettext(
                "Your %(categories)s was shared with %(recipient)s on %(date)s for "
                "%(purpose)s (order %(order)s).",
                "Your %(categories)s were shared with %(recipient)s on %(date)s for "
                "%(purpose)s (order %(order)s).",
                count,
            )
        elif self.delivered:
            text = ngettext(
                "Your %(categories)s was shared with %(recipient)s on %(date)s for %(purpose)s.",
                "Your %(categories)s were shared with %(recipient)s on %(date)s for %(purpose)s.",
                count,
            )
        else:
            text = ngettext(
                "Your %(categories)s is being sent to %(recipient)s for %(purpose)s "
                "(order %(order)s).",
                "Your %(categories)s are being sent to %(recipient)s for %(purpose)s "
                "(order %(order)s).",
                count,
            )
        sentence = text % values
        if self.sandbox:
            sentence += " " + gettext("(Demo shop: nothing was actually sent.)")
        return sentence


def disclosures_for_subject(*, subject_id) -> list[DisclosureView]:
    """What left Pledge about this person, newest first (Art. 15(1)(c)).

    Leaves out messages that never went out (failed, or cancelled after an erasure) and
    disclosures to an authority that asked us not to tell the person.
    """
    policy = current_policy()
    language = get_language()
    rows = (
        Disclosure.objects.filter(subject_id=subject_id, withheld_from_subject=False)
        .exclude(message__status__in=[MessageStatus.FAILED, MessageStatus.CANCELLED])
        .select_related("message")
        .order_by("-created_at")
    )
    views = []
    for row in rows:
        recipient = policy.recipient(row.recipient)
        purpose = policy.purpose(row.purpose)
        message = row.message
        delivered = message is None or message.status == MessageStatus.DELIVERED
        views.append(
            DisclosureView(
                recipient_id=row.recipient,
                recipient_name=recipient.name,
                purpose_id=row.purpose,
                purpose_name=purpose.name.get(language),
                legal_basis=row.legal_basis,
                categories=tuple(row.categories),
                category_labels=tuple(
                    policy.data_category(category).label.get(language)
                    for category in row.categories
                ),
                sent_at=(message.delivered_at if message and message.delivered_at else None)
                or row.created_at,
                order_reference=row.order_reference,
                channel=row.channel,
                delivered=delivered,
            ).worded()
        )
    return views


@dataclass(frozen=True)
class OutboxRow:
    message_id: uuid.UUID
    recipient_name: str
    kind: str
    reference: str
    channel: str
    status: str
    created_at: datetime
    delivered_at: datetime | None
    category_labels: tuple[str, ...]
    attempts: int

    @property
    def sandbox(self) -> bool:
        return self.channel in SANDBOX_CHANNELS


def outbox_overview(*, limit: int = 100) -> list[OutboxRow]:
    """The newest partner messages for staff: who, what, which categories; no values."""
    policy = current_policy()
    language = get_language()
    messages = list(PartnerMessage.objects.defer("payload").order_by("-created_at")[:limit])
    categories: dict = {}
    for message_id, row_categories in Disclosure.objects.filter(
        message_id__in=[m.id for m in messages]
    ).values_list("message_id", "categories"):
        categories.setdefault(message_id, []).extend(row_categories)
    return [
        OutboxRow(
            message_id=message.id,
            recipient_name=policy.recipient(message.recipient).name,
            kind=message.get_kind_display(),
            reference=message.reference,
            channel=message.channel,
            status=message.get_status_display(),
            created_at=message.created_at,
            delivered_at=message.delivered_at,
            category_labels=tuple(
                policy.data_category(c).label.get(language)
                for c in dict.fromkeys(categories.get(message.id, []))
            ),
            attempts=message.attempts,
        )
        for message in messages
    ]


def authority_package(*, message_id: uuid.UUID, staff_id) -> tuple[Disclosure, dict] | None:
    """A disclosure package for the staff member who made it, while it is kept; else None."""
    disclosure = (
        Disclosure.objects.filter(
            message_id=message_id, staff_id=str(staff_id), message__kind="authority_disclosure"
        )
        .select_related("message")
        .first()
    )
    if disclosure is None or disclosure.message.payload is None:
        return None
    return disclosure, disclosure.message.payload


def _lower_first(text: str) -> str:
    """``Voornaam`` -> ``voornaam`` inside a sentence, but ``IP-adres`` stays as it is."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _joined(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
