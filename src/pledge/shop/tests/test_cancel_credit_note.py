"""Cancelling a paid order corrects the books: the refund comes with a credit note that undoes
the invoice line for line, so invoice and credit note together charge nothing and no VAT is
left owed on a sale that did not happen."""

from decimal import Decimal

import pytest

from pledge.audit.models import AuditEvent
from pledge.partners.models import Payment, PaymentStatus
from pledge.shop.fulfilment import order_cancel
from pledge.shop.invoice_selectors import invoice_number
from pledge.shop.models import Invoice, InvoiceKind, Order, OrderStatus

from .factories import (
    BOTH,
    collect,
    customer_create,
    order_placed,
    outbox,
    payment_event,
    photo_book,
    postnl,
    product_make,
    shop_runtime,
)
from .invoice_factories import paid_at_the_provider

pytestmark = [pytest.mark.django_db(databases=BOTH), pytest.mark.usefixtures("shop_runtime")]
__all__ = ["shop_runtime"]


@pytest.fixture
def customer():
    postnl()
    collect()
    return customer_create(first_name="Sanne", email="sanne@example.nl")


def paid(order) -> Order:
    """Paid at the (test) provider, and the provider's event received."""
    paid_at_the_provider(order)
    payment_event(order)
    return Order.objects.get(pk=order.pk)


def vat_per_rate(document: Invoice) -> dict[str, Decimal]:
    return {rate["vat_rate"]: Decimal(rate["vat"]) for rate in document.totals["rates"]}


def test_cancelling_a_paid_order_issues_a_credit_note_that_cancels_the_invoice(customer):
    order = paid(
        order_placed(customer, [(product_make(stock=5), 2), (photo_book(), 1)], delivery="postnl")
    )
    invoice = Invoice.objects.get(order=order, kind=InvoiceKind.INVOICE)

    order_cancel(order_id=order.pk, staff_id=1)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    credit_note = Invoice.objects.get(order=order, kind=InvoiceKind.CREDIT_NOTE)
    assert credit_note.credits_id == invoice.pk and invoice_number(credit_note) == "C000001"
    # Together they charge nothing: the total, the VAT per rate, every line and the delivery.
    assert invoice.total == Decimal("54.90") and invoice.total + credit_note.total == 0
    invoiced, credited = vat_per_rate(invoice), vat_per_rate(credit_note)
    assert set(invoiced) == {"high", "low"} and set(credited) == set(invoiced)
    assert all(invoiced[rate] + credited[rate] == 0 for rate in invoiced)
    assert sorted(
        (line["order_line"], line["quantity"]) for line in credit_note.totals["lines"]
    ) == (sorted((line["order_line"], line["quantity"]) for line in invoice.totals["lines"]))
    assert Decimal(credit_note.totals["delivery"]["amount"]) == Decimal("-4.95")
    # The refund went out, the customer is told where the credit note is, the audit row says
    # which one (a number, no personal data).
    payment = Payment.objects.get(order_reference=str(order.number))
    assert payment.status == PaymentStatus.REFUNDED and payment.amount_refunded == order.total
    [mail] = outbox(customer.subject_id, "order_cancelled")
    assert "Creditnota C000001 staat in Mijn account" in mail["body_text"]
    event = AuditEvent.objects.get(
        action="order_change", object_id=str(order.pk), details_json__contains='"cancelled"'
    )
    assert event.details["credit_note"] == "C000001" and event.details["refunded"] is True


def test_a_cancelled_collection_order_is_credited_without_delivery_costs(customer):
    order = paid(order_placed(customer, [(product_make(stock=5), 1)], delivery="collect"))
    invoice = Invoice.objects.get(order=order, kind=InvoiceKind.INVOICE)
    assert invoice.totals["delivery"] is None

    order_cancel(order_id=order.pk, staff_id=1)

    credit_note = Invoice.objects.get(order=order, kind=InvoiceKind.CREDIT_NOTE)
    assert credit_note.totals["delivery"] is None
    assert invoice.total == Decimal("12.50") and invoice.total + credit_note.total == 0


def test_a_refund_the_provider_refuses_leaves_the_order_paid_and_no_credit_note(customer):
    order = order_placed(customer, [(product_make(stock=5), 1)])
    payment_event(order)  # paid, but the provider holds no payment we could refund
    with pytest.raises(LookupError):
        order_cancel(order_id=order.pk, staff_id=1)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()

    # The credit note's number was given back with the rollback: the series has no gap.
    paid_at_the_provider(order)
    order_cancel(order_id=order.pk, staff_id=1)
    credit_note = Invoice.objects.get(order=order, kind=InvoiceKind.CREDIT_NOTE)
    assert invoice_number(credit_note) == "C000001"


def test_a_payment_arriving_after_cancellation_is_refunded_without_any_invoice(customer):
    order = order_placed(customer, [(product_make(stock=5), 1)])
    order_cancel(order_id=order.pk, staff_id=1)  # unpaid: nothing to refund or credit
    assert not Invoice.objects.filter(order=order).exists()

    payment = paid_at_the_provider(order)  # the customer paid anyway, too late
    payment_event(order, payment_id=str(payment.id))

    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    # Nothing was sold, so nothing was invoiced and there is nothing to credit.
    assert not Invoice.objects.filter(order=order).exists()


def test_a_customer_whose_profile_was_erased_is_still_cancelled_and_refunded_once(customer):
    from pledge.vault.services import subject_shred

    order = paid(order_placed(customer, [(product_make(stock=5), 1)], delivery="postnl"))
    subject_shred(customer.subject_id)  # Art. 17: the e-mail address is gone, the order stays

    order_cancel(order_id=order.pk, staff_id=1)

    # There is no address to write to: no mail, and the cancellation (with its refund) stands
    # instead of rolling back after the money already went back.
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    (payment,) = Payment.objects.filter(order_reference=str(order.number))
    assert payment.status == PaymentStatus.REFUNDED and payment.amount_refunded == order.total
    assert outbox(customer.subject_id, "order_cancelled") == []
