"""Credit notes: their own gap-free series, negative amounts, a reference to the credited invoice,
and never more credited than was invoiced."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import translation

from pledge.accounts.tests.factories import customer_create
from pledge.shop.invoices import CreditNoteRefused, credit_note_issue
from pledge.shop.models import Counter, Invoice, InvoiceKind

from .invoice_factories import FRAME, PHOTO_BOOK, invoiced_order

pytestmark = [pytest.mark.django_db(databases=["default", "vault"])]


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    with translation.override("nl"):
        yield


@pytest.fixture
def invoiced():
    """2 frames at 12.50 (21%), a photo book at 24.95 (9%), PostNL 4.95 (21%): 54.90."""
    return invoiced_order(user=customer_create(), lines=((FRAME, 2), (PHOTO_BOOK, 1)))


def line_of(order, name_nl):
    return order.lines.get(name_nl=name_nl)


def credit(invoice, lines=None, *, include_delivery=False) -> Invoice:
    with transaction.atomic():
        return credit_note_issue(
            invoice_id=invoice.pk, lines=lines, include_delivery=include_delivery
        )


def credit_notes_count() -> int:
    return Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count()


def test_a_full_credit_note_mirrors_the_invoice_with_negative_amounts(invoiced):
    order, invoice = invoiced
    credit_note = credit(invoice, include_delivery=True)

    assert credit_note.kind == InvoiceKind.CREDIT_NOTE
    assert credit_note.credits_id == invoice.pk and credit_note.order_id == order.pk
    assert credit_note.total == Decimal("-54.90")
    assert credit_note.totals["rates"] == [
        {
            "vat_rate": "high",
            "percentage": "21",
            "incl": "-29.95",
            "vat": "-5.20",
            "excl": "-24.75",
        },
        {"vat_rate": "low", "percentage": "9", "incl": "-24.95", "vat": "-2.06", "excl": "-22.89"},
    ]
    assert [(line["quantity"], line["total"]) for line in credit_note.totals["lines"]] == [
        (2, "-25.00"),
        (1, "-24.95"),
    ]
    assert credit_note.totals["delivery"]["amount"] == "-4.95"


def test_credit_notes_have_their_own_series(invoiced):
    order, invoice = invoiced
    frame = line_of(order, "Fotolijst zwart A4")
    first = credit(invoice, [(frame.pk, 1)])
    second = credit(invoice, [(frame.pk, 1)])
    assert second.number == first.number + 1
    assert Counter.objects.get(name="credit_note").last == second.number
    # The invoice series is not touched by credit notes.
    assert Counter.objects.get(name="invoice").last == invoice.number


def test_a_partial_credit_note_credits_only_what_is_asked(invoiced):
    order, invoice = invoiced
    credit_note = credit(invoice, [(line_of(order, "Fotolijst zwart A4").pk, 1)])
    assert credit_note.total == Decimal("-12.50")
    # 12.50 x 21/121 = 2.169 -> 2.17
    assert credit_note.totals["rates"] == [
        {"vat_rate": "high", "percentage": "21", "incl": "-12.50", "vat": "-2.17", "excl": "-10.33"}
    ]
    assert credit_note.totals["delivery"] is None


def test_the_credit_note_names_the_customer_under_the_retention_key(invoiced):
    _order, invoice = invoiced
    credit_note = credit(invoice, include_delivery=True)
    assert credit_note.name == invoice.name == "Sanne de Vries"
    assert credit_note.invoice_address == invoice.invoice_address
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM shop_invoice WHERE id = %s",
            [credit_note.pk.hex if connection.vendor == "sqlite" else credit_note.pk],
        )
        (stored,) = cursor.fetchone()
    assert stored.startswith("pv1:") and "Sanne" not in stored


def test_crediting_more_than_invoiced_is_refused_and_stores_nothing(invoiced):
    order, invoice = invoiced
    frame = line_of(order, "Fotolijst zwart A4")
    with pytest.raises(CreditNoteRefused, match="Kan geen 3 van “Fotolijst zwart A4”"):
        credit(invoice, [(frame.pk, 3)])
    assert credit_notes_count() == 0
    assert not Counter.objects.filter(name="credit_note", last__gt=0).exists()


def test_earlier_credit_notes_count_towards_the_limit(invoiced):
    order, invoice = invoiced
    frame = line_of(order, "Fotolijst zwart A4")
    credit(invoice, [(frame.pk, 1)])
    with pytest.raises(CreditNoteRefused, match="nog 1 te crediteren"):
        credit(invoice, [(frame.pk, 1), (frame.pk, 1)])  # the same line twice adds up
    assert credit(invoice, [(frame.pk, 1)]).total == Decimal("-12.50")
    with pytest.raises(CreditNoteRefused):
        credit(invoice, [(frame.pk, 1)])
    assert credit_notes_count() == 2


def test_delivery_costs_are_credited_once(invoiced):
    _order, invoice = invoiced
    credit(invoice, [], include_delivery=True)
    with pytest.raises(CreditNoteRefused, match="bezorgkosten zijn al gecrediteerd"):
        credit(invoice, [], include_delivery=True)


def test_without_lines_all_that_is_left_is_credited(invoiced):
    order, invoice = invoiced
    credit(invoice, [(line_of(order, "Fotolijst zwart A4").pk, 1)])
    rest = credit(invoice, None, include_delivery=True)
    assert rest.total == Decimal("-42.40")  # 54.90 - 12.50
    with pytest.raises(CreditNoteRefused, match="niets meer te crediteren"):
        credit(invoice)


def test_a_line_of_another_order_cannot_be_credited(invoiced):
    _order, invoice = invoiced
    other_order, _other_invoice = invoiced_order(user=customer_create())
    with pytest.raises(CreditNoteRefused, match="staat niet op deze factuur"):
        credit(invoice, [(other_order.lines.first().pk, 1)])


def test_zero_or_negative_quantities_are_refused(invoiced):
    order, invoice = invoiced
    with pytest.raises(CreditNoteRefused, match="minstens 1"):
        credit(invoice, [(line_of(order, "Fotolijst zwart A4").pk, 0)])
    assert credit_notes_count() == 0


def test_a_credit_note_cannot_itself_be_credited(invoiced):
    _order, invoice = invoiced
    credit_note = credit(invoice, include_delivery=True)
    with pytest.raises(CreditNoteRefused, match="geen creditnota"):
        credit(credit_note)


def test_the_refusal_speaks_english_in_english():
    order, invoice = invoiced_order(user=customer_create(), lines=((FRAME, 1),))
    with translation.override("en"), pytest.raises(CreditNoteRefused) as refusal:
        credit(invoice, [(order.lines.get().pk, 2)])
    assert str(refusal.value) == (
        "Cannot credit 2 of “Black photo frame A4”: 1 of 1 invoiced are left to credit."
    )
