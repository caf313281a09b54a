"""Reads of invoices and credit notes, and the document both the HTML page and the PDF render.

The document is made from what was frozen at issue (``Invoice.totals``, the retention-key name
and address) and the seller's details from the policy's controller, so an invoice reads the same
years later, also after the customer's profile was erased.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pledge.policy.selectors import current_policy

from .invoices import line_name
from .models import Invoice, InvoiceKind

# The data categories an invoice shows, for purpose-bound access in the back office.
NAME_CATEGORIES = ("user.name.first", "user.name.last")
ADDRESS_CATEGORY = "user.contact.address"
LINES_CATEGORY = "user.behavior.purchase_history"


@dataclass(frozen=True)
class Seller:
    legal_name: str
    address_lines: list[str]
    kvk: str
    btw: str
    email: str
    website: str


@dataclass(frozen=True)
class DocumentLine:
    name: str
    quantity: int
    unit_price: Decimal
    vat_percentage: Decimal
    total: Decimal


@dataclass(frozen=True)
class VatRow:
    percentage: Decimal
    excl: Decimal
    vat: Decimal
    incl: Decimal


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything art. 35a Wet OB asks an invoice to state, in the active language."""

    invoice_id: uuid.UUID
    language: str  # the language it was put in ("nl" or "en")
    is_credit_note: bool
    title: str
    number: str
    issued_on: datetime.date
    order_id: uuid.UUID
    order_number: int
    ordered_on: datetime.date
    credits_number: str  # the credited invoice's number; "" on an invoice
    customer_name: str  # "" when the viewer may not see it
    customer_address: list[str]
    lines: list[DocumentLine]
    delivery: DocumentLine | None
    vat_rows: list[VatRow]
    total_excl: Decimal
    total_vat: Decimal
    total_incl: Decimal
    seller: Seller
    filename: str  # for the PDF download: the number, never a name


def invoice_number(invoice: Invoice) -> str:
    """The number as printed: one series per kind, told apart by a letter (F for factuur,
    C for credit note), so both series together still name every document once."""
    prefix = "C" if invoice.kind == InvoiceKind.CREDIT_NOTE else "F"
    return f"{prefix}{invoice.number:06d}"


def invoice_for_customer(*, user, invoice_id, kind: str = InvoiceKind.INVOICE) -> Invoice:
    """The user's own invoice or credit note; ``Http404`` for anyone else's (not "forbidden":
    that would tell a stranger the id exists)."""
    invoice = (
        Invoice.objects.select_related("order", "credits")
        .filter(pk=invoice_id, kind=kind, order__user_id=user.pk)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def invoice_for_staff(*, invoice_id) -> Invoice:
    invoice = Invoice.objects.select_related("order", "credits").filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return invoice


def invoice_for_order(*, order_id) -> Invoice | None:
    """The order's invoice (an order has at most one), or None before it is paid."""
    return Invoice.objects.filter(order_id=order_id, kind=InvoiceKind.INVOICE).first()


def credit_notes_for_order(*, order_id) -> list[Invoice]:
    return list(
        Invoice.objects.filter(order_id=order_id, kind=InvoiceKind.CREDIT_NOTE).order_by("number")
    )


def invoices_list(*, limit: int = 50, offset: int = 0) -> list[Invoice]:
    """Invoices and credit notes, newest first, for the bookkeeping list (the list shows plain
    columns only; encrypted fields are decrypted on access, which it never does)."""
    return list(
        Invoice.objects.select_related("order", "credits").order_by("-issued_at", "-number")[
            offset : offset + limit
        ]
    )


def invoices_count() -> int:
    return Invoice.objects.count()


def invoice_document(
    *, invoice: Invoice, show_name: bool = True, show_address: bool = True
) -> InvoiceDocument:
    """The invoice as it is rendered, in the active language (``translation.override`` it).

    ``show_name``/``show_address`` leave out what a staff member's purpose does not cover.
    """
    totals = invoice.totals
    credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE
    lines = [
        DocumentLine(
            name=line_name(line),
            quantity=line["quantity"],
            unit_price=Decimal(line["unit_price"]),
            vat_percentage=_percentage(line["vat_rate"], totals),
            total=Decimal(line["total"]),
        )
        for line in totals["lines"]
    ]
    delivery = totals.get("delivery")
    number = invoice_number(invoice)
    return InvoiceDocument(
        invoice_id=invoice.pk,
        language="en" if (get_language() or "").startswith("en") else "nl",
        is_credit_note=credit_note,
        title=_("Credit note") if credit_note else _("Invoice"),
        number=number,
        issued_on=_local_date(invoice.issued_at),
        order_id=invoice.order_id,
        order_number=invoice.order.number,
        ordered_on=_local_date(invoice.order.placed_at),
        credits_number=invoice_number(invoice.credits) if invoice.credits_id else "",
        customer_name=str(invoice.name) if show_name else "",
        customer_address=_address_lines(invoice.invoice_address) if show_address else [],
        lines=lines,
        delivery=None
        if delivery is None
        else DocumentLine(
            name=_("Delivery costs: %(method)s") % {"method": line_name(delivery)},
            quantity=1,
            unit_price=Decimal(delivery["amount"]),
            vat_percentage=_percentage(delivery["vat_rate"], totals),
            total=Decimal(delivery["amount"]),
        ),
        vat_rows=[
            VatRow(
                percentage=Decimal(rate["percentage"]),
                excl=Decimal(rate["excl"]),
                vat=Decimal(rate["vat"]),
                incl=Decimal(rate["incl"]),
            )
            for rate in totals["rates"]
        ],
        total_excl=Decimal(totals["excl"]),
        total_vat=Decimal(totals["vat"]),
        total_incl=Decimal(totals["incl"]),
        seller=seller(),
        filename=f"{number}.pdf",
    )


def seller() -> Seller:
    """Who issues the invoice: the policy's controller, the only copy of these facts."""
    controller = current_policy().controller
    address = controller.address
    return Seller(
        legal_name=controller.legal_name,
        address_lines=[address.street, f"{address.postal_code} {address.city}"],
        kvk=controller.kvk,
        btw=controller.btw,
        email=str(controller.email),
        website=str(controller.website).rstrip("/"),
    )


def _percentage(vat_rate: str, totals: dict) -> Decimal:
    # The percentage as it was when the invoice was issued (stored per rate), not today's.
    for rate in totals["rates"]:
        if rate["vat_rate"] == vat_rate:
            return Decimal(rate["percentage"])
    raise ValueError(f"invoice totals lack VAT rate {vat_rate!r}")


def _address_lines(address) -> list[str]:
    if not address:
        return []  # no address given (collection), or ERASED after the retention period
    street = " ".join(part for part in (address.get("street"), address.get("house_number")) if part)
    city = " ".join(part for part in (address.get("postal_code"), address.get("city")) if part)
    lines = [street, city]
    country = address.get("country", "")
    # A domestic invoice leaves the country out, as Dutch addresses are written.
    if country and country != current_policy().controller.address.country:
        lines.append(country)
    return [line for line in lines if line]


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)
