"""Writes of invoices and credit notes (art. 35a Wet OB).

An invoice is issued once per order, in the transaction that marks the order paid; a credit note
credits (part of) one invoice, e.g. for a return. Each kind has its own gap-free number series
(``counter_next``), taken inside the caller's transaction so a rollback gives the number back.

What an invoice says is frozen when it is issued: its lines, delivery costs and VAT per rate are
copied into ``totals`` (plain, so the books still add up after the customer's profile is erased);
the name and invoice address are encrypted with the subject's *retention* key, which outlives the
profile key for the fiscal retention period (art. 52 AWR).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from pledge.accounts.selectors import ADDRESS_FIELDS, customer_profile

from .checkout import in_language, vat_breakdown
from .counters import counter_next
from .models import Invoice, InvoiceKind, Order


class CreditNoteRefused(ValueError):
    """A credit note that cannot be issued; the message says why (no personal data)."""


@dataclass(frozen=True)
class Charge:
    """One line of an invoice or credit note: an order line or the delivery costs."""

    name_nl: str
    name_en: str
    quantity: int
    unit_price: Decimal
    vat_rate: str
    order_line: int | None = None  # None: the delivery costs

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


def negated(amount: Decimal) -> Decimal:
    """``-amount`` without a "-0.00" for a free line."""
    return Decimal("0.00") - amount


def line_name(line: dict) -> str:
    """A stored line's or delivery's name in the active language."""
    return in_language(line["name_nl"], line["name_en"])


def totals_for(charges: list[Charge]) -> dict:
    """The ``totals`` an invoice stores: its lines, delivery, VAT per rate and the sums, as
    strings (JSON has no decimals).

    The VAT is computed per rate over the rate's total incl. VAT and rounded half-up to cents
    (Dutch practice), the same computation the checkout showed before payment.
    """
    rates = [
        {
            "vat_rate": rate.rate,
            "percentage": str(rate.percentage),
            "incl": str(rate.gross),
            "vat": str(rate.vat),
            "excl": str(rate.gross - rate.vat),
        }
        for rate in vat_breakdown((charge.vat_rate, charge.total) for charge in charges)
    ]
    delivery = next((c for c in charges if c.order_line is None), None)
    incl = sum((Decimal(rate["incl"]) for rate in rates), Decimal("0.00"))
    vat = sum((Decimal(rate["vat"]) for rate in rates), Decimal("0.00"))
    return {
        "lines": [
            {
                "order_line": charge.order_line,
                "name_nl": charge.name_nl,
                "name_en": charge.name_en,
                "quantity": charge.quantity,
                "unit_price": str(charge.unit_price),
                "vat_rate": charge.vat_rate,
                "total": str(charge.total),
            }
            for charge in charges
            if charge.order_line is not None
        ],
        "delivery": None
        if delivery is None
        else {
            "name_nl": delivery.name_nl,
            "name_en": delivery.name_en,
            "amount": str(delivery.total),
            "vat_rate": delivery.vat_rate,
        },
        "rates": rates,
        "incl": str(incl),
        "vat": str(vat),
        "excl": str(incl - vat),
    }


# -- invoices ----------------------------------------------------------------------------------


def invoice_issue(*, order_id) -> Invoice:
    """The order's invoice, issued now if it has none yet (idempotent).

    Call it inside the transaction that marks the order paid: the invoice number is taken from
    the gap-free series in that transaction and given back if it rolls back.
    """
    with transaction.atomic():
        # The order row lock makes a second, concurrent call wait and then find the invoice.
        order = (
            Order.objects.select_for_update()
            .select_related("delivery_method")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            raise Http404
        existing = Invoice.objects.filter(order=order, kind=InvoiceKind.INVOICE).first()
        if existing is not None:
            return existing
        name, address = _invoice_addressee(order)
        charges = [
            Charge(
                name_nl=line.name_nl,
                name_en=line.name_en,
                quantity=line.quantity,
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                order_line=line.pk,
            )
            for line in order.lines.all()
        ]
        if order.delivery_price:
            method = order.delivery_method
            charges.append(
                Charge(
                    name_nl=method.name_nl,
                    name_en=method.name_en,
                    quantity=1,
                    unit_price=order.delivery_price,
                    vat_rate=method.vat_rate,
                )
            )
        totals = totals_for(charges)
        return Invoice.objects.create(
            order=order,
            kind=InvoiceKind.INVOICE,
            number=counter_next("invoice"),
            subject_id=order.subject_id,
            name=name,
            invoice_address=address,
            totals=totals,
            total=Decimal(totals["incl"]),
        )


def _invoice_addressee(order: Order) -> tuple[str, dict]:
    """Name and invoice address as the customer gave them: the profile's first and last name;
    the order's delivery address, else (collection at the shop) the default address of the
    address book, else no address at all."""
    profile = None
    if order.user_id is not None:
        try:
            profile = customer_profile(user_id=order.user_id)
        except Http404:
            profile = None
    address: dict = {}
    delivery = order.delivery_address
    if delivery:
        address = {name: str(delivery.get(name, "") or "") for name in ADDRESS_FIELDS}
    elif profile is not None:
        default = next((entry for entry in profile.addresses if entry["is_default"]), None)
        if default is not None:
            address = {name: str(default.get(name) or "") for name in ADDRESS_FIELDS}
    name = ""
    if profile is not None:
        name = " ".join(part for part in (profile.first_name, profile.last_name) if part)
    return name or address.get("name", ""), address


# -- credit notes --------------------------------------------------------------------------------


def credit_note_issue(
    *, invoice_id, lines: list[tuple[int, int]] | None = None, include_delivery: bool
) -> Invoice:
    """A credit note for (part of) an invoice, in its own gap-free series, with negative amounts.

    ``lines`` lists ``(order_line_id, quantity)`` pairs; ``None`` credits every line's quantity
    not credited yet. ``include_delivery`` credits the delivery costs too. Crediting more than the
    invoice charged (counting earlier credit notes) raises ``CreditNoteRefused`` and stores
    nothing.
    """
    with transaction.atomic():
        # Locking the credited invoice serialises credit notes for it: two at once cannot both
        # credit the last item.
        invoice = Invoice.objects.select_for_update().filter(pk=invoice_id).first()
        if invoice is None:
            raise Http404
        if invoice.kind != InvoiceKind.INVOICE:
            raise CreditNoteRefused(_("Only an invoice can be credited, not a credit note."))
        remaining = credit_remaining(invoice=invoice)
        charges = _credited_lines(invoice, remaining, lines)
        if include_delivery:
            delivery = invoice.totals.get("delivery")
            if delivery is None:
                raise CreditNoteRefused(_("This invoice charged no delivery costs."))
            if remaining.delivery <= 0:
                raise CreditNoteRefused(_("The delivery costs have already been credited."))
            charges.append(
                Charge(
                    name_nl=delivery["name_nl"],
                    name_en=delivery["name_en"],
                    quantity=1,
                    unit_price=negated(remaining.delivery),
                    vat_rate=delivery["vat_rate"],
                )
            )
        if not charges:
            raise CreditNoteRefused(_("Nothing is left to credit on this invoice."))
        totals = totals_for(charges)
        return Invoice.objects.create(
            order_id=invoice.order_id,
            kind=InvoiceKind.CREDIT_NOTE,
            number=counter_next("credit_note"),
            credits=invoice,
            subject_id=invoice.subject_id,
            # Copied from the invoice, under the same retention key (art. 35a: the credit note
            # names the same customer as the invoice it corrects).
            name=invoice.name,
            invoice_address=invoice.invoice_address,
            totals=totals,
            total=Decimal(totals["incl"]),
        )


@dataclass(frozen=True)
class CreditRemaining:
    """What an invoice still allows to be credited: quantity per order line, delivery amount."""

    quantities: dict[int, int]
    delivery: Decimal


def credit_remaining(*, invoice: Invoice) -> CreditRemaining:
    quantities = {line["order_line"]: line["quantity"] for line in invoice.totals["lines"]}
    delivery = invoice.totals.get("delivery")
    delivery_left = Decimal(delivery["amount"]) if delivery else Decimal("0.00")
    for credit_note in invoice.credit_notes.all():
        for line in credit_note.totals["lines"]:
            quantities[line["order_line"]] -= line["quantity"]
        if credit_note.totals.get("delivery"):
            delivery_left += Decimal(credit_note.totals["delivery"]["amount"])  # negative
    return CreditRemaining(quantities=quantities, delivery=delivery_left)


def _credited_lines(
    invoice: Invoice, remaining: CreditRemaining, lines: list[tuple[int, int]] | None
) -> list[Charge]:
    invoiced = {line["order_line"]: line for line in invoice.totals["lines"]}
    if lines is None:
        wanted = {line_id: left for line_id, left in remaining.quantities.items() if left > 0}
    else:
        wanted: dict[int, int] = defaultdict(int)
        for line_id, quantity in lines:
            if line_id not in invoiced:
                raise CreditNoteRefused(_("A line to credit is not on this invoice."))
            if quantity < 1:
                raise CreditNoteRefused(_("A quantity to credit must be at least 1."))
            wanted[line_id] += quantity
        for line_id, quantity in wanted.items():
            if quantity > remaining.quantities[line_id]:
                raise CreditNoteRefused(
                    _(
                        "Cannot credit %(wanted)s of “%(line)s”: %(left)s of %(invoiced)s "
                        "invoiced are left to credit."
                    )
                    % {
                        "wanted": quantity,
                        "line": line_name(invoiced[line_id]),
                        "left": remaining.quantities[line_id],
                        "invoiced": invoiced[line_id]["quantity"],
                    }
                )
    return [
        Charge(
            name_nl=invoiced[line_id]["name_nl"],
            name_en=invoiced[line_id]["name_en"],
            quantity=quantity,
            unit_price=negated(Decimal(invoiced[line_id]["unit_price"])),
            vat_rate=invoiced[line_id]["vat_rate"],
            order_line=line_id,
        )
        for line_id, quantity in sorted(wanted.items())
    ]
