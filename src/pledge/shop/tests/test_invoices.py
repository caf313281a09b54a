"""Invoices: VAT per rate, gap-free numbers, the customer's name and address under the retention
key, and an invoice that survives the erasure of the customer's profile."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import translation

from pledge.accounts.tests.factories import SECOND_ADDRESS, customer_create
from pledge.shop.invoices import Charge, invoice_issue, totals_for
from pledge.shop.models import Counter, Invoice, InvoiceKind, Order
from pledge.vault.erased import ERASED
from pledge.vault.services import subject_shred

from .invoice_factories import ALBUM, CANVAS, FRAME, PHOTO_BOOK, invoiced_order, order_create

pytestmark = [pytest.mark.django_db(databases=["default", "vault"])]


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    """Files and counters of our own (vault tombstones); Dutch, the shop's language."""
    with translation.override("nl"):
        yield


@pytest.fixture
def customer():
    return customer_create(first_name="Sanne", last_name="de Vries")


def issue(order) -> Invoice:
    with transaction.atomic():
        return invoice_issue(order_id=order.pk)


# -- amounts -------------------------------------------------------------------------------------


def test_invoice_shows_vat_per_rate_including_delivery_costs(customer):
    order, invoice = invoiced_order(user=customer, lines=((FRAME, 2), (PHOTO_BOOK, 1)))
    totals = invoice.totals
    assert totals["rates"] == [
        # 2 x 12.50 + delivery 4.95 at 21%: 29.95 x 21/121 = 5.1979 -> 5.20
        {"vat_rate": "high", "percentage": "21", "incl": "29.95", "vat": "5.20", "excl": "24.75"},
        # 24.95 at 9%: 24.95 x 9/109 = 2.0601 -> 2.06
        {"vat_rate": "low", "percentage": "9", "incl": "24.95", "vat": "2.06", "excl": "22.89"},
    ]
    assert (totals["incl"], totals["vat"], totals["excl"]) == ("54.90", "7.26", "47.64")
    assert invoice.total == order.total == Decimal("54.90")
    assert totals["delivery"] == {
        "name_nl": "PostNL pakket",
        "name_en": "PostNL parcel",
        "amount": "4.95",
        "vat_rate": "high",
    }
    assert [(line["name_nl"], line["quantity"], line["total"]) for line in totals["lines"]] == [
        ("Fotolijst zwart A4", 2, "25.00"),
        ("Fotoboek A4 (uw foto's)", 1, "24.95"),
    ]


def test_vat_is_rounded_once_per_rate_not_per_line():
    # Per line 1.00 x 21/121 = 0.1736 rounds to 0.17, three times 0.51; over the rate's total
    # 3.00 x 21/121 = 0.5207 rounds to 0.52, which is what Dutch practice books.
    charges = [
        Charge(
            name_nl=f"Afdruk {n}",
            name_en=f"Print {n}",
            quantity=1,
            unit_price=Decimal("1.00"),
            vat_rate="high",
            order_line=n,
        )
        for n in range(3)
    ]
    assert totals_for(charges)["rates"][0]["vat"] == "0.52"


def test_an_order_collected_at_the_shop_has_no_delivery_line(customer):
    _order, invoice = invoiced_order(user=customer, lines=((ALBUM, 1),), delivery="collect")
    assert invoice.totals["delivery"] is None
    assert invoice.totals["rates"] == [
        {"vat_rate": "low", "percentage": "9", "incl": "19.95", "vat": "1.65", "excl": "18.30"}
    ]


def test_invoice_keeps_the_lines_as_sold_when_the_order_changes_later(customer):
    order, invoice = invoiced_order(user=customer, lines=((CANVAS, 1),))
    order.lines.update(unit_price=Decimal("99.00"), name_nl="Iets anders")
    invoice.refresh_from_db()
    assert invoice.totals["lines"][0]["unit_price"] == "39.95"
    assert invoice.totals["lines"][0]["name_nl"] == "Canvas 40x60 cm"


# -- numbers -------------------------------------------------------------------------------------


def test_issuing_twice_gives_the_same_invoice_and_uses_one_number(customer):
    order = order_create(user=customer)
    first = issue(order)
    again = issue(order)
    assert again.pk == first.pk
    assert Invoice.objects.filter(order=order).count() == 1
    assert Counter.objects.get(name="invoice").last == first.number


def test_invoice_numbers_run_without_gaps(customer):
    numbers = [issue(order_create(user=customer)).number for _ in range(4)]
    assert numbers == list(range(numbers[0], numbers[0] + 4))


def test_a_rolled_back_invoice_gives_its_number_back(customer):
    first = issue(order_create(user=customer))
    doomed = order_create(user=customer)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert invoice_issue(order_id=doomed.pk).number == first.number + 1
        raise RuntimeError("the payment handler failed after the invoice was issued")
    assert not Invoice.objects.filter(order=doomed).exists()
    assert issue(order_create(user=customer)).number == first.number + 1


def test_an_unknown_order_gets_no_invoice_and_uses_no_number(customer):
    from django.http import Http404

    before = Counter.objects.filter(name="invoice").values_list("last", flat=True).first()
    with pytest.raises(Http404), transaction.atomic():
        invoice_issue(order_id="00000000-0000-4000-8000-000000000000")
    after = Counter.objects.filter(name="invoice").values_list("last", flat=True).first()
    assert after == before


# -- name and address ----------------------------------------------------------------------------


def test_invoice_is_addressed_to_the_customer_at_the_delivery_address(customer):
    _order, invoice = invoiced_order(user=customer, delivery_address=_address(SECOND_ADDRESS))
    assert invoice.name == "Sanne de Vries"
    assert invoice.invoice_address == _address(SECOND_ADDRESS)


def test_a_collected_order_uses_the_default_address_of_the_address_book(customer):
    _order, invoice = invoiced_order(user=customer, lines=((ALBUM, 1),), delivery="collect")
    assert invoice.invoice_address["street"] == "Prinsengracht"
    assert invoice.invoice_address["city"] == "Amsterdam"


def test_a_collected_order_without_address_book_names_the_customer_only():
    customer = customer_create(first_name="Daan", last_name="Bakker", addresses=[])
    _order, invoice = invoiced_order(user=customer, lines=((ALBUM, 1),), delivery="collect")
    assert invoice.name == "Daan Bakker"
    assert invoice.invoice_address == {}


def test_name_and_address_are_not_stored_in_plain_text(customer):
    _order, invoice = invoiced_order(user=customer)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, invoice_address, totals FROM shop_invoice WHERE id = %s",
            [invoice.pk.hex if connection.vendor == "sqlite" else invoice.pk],
        )
        name, address, totals = cursor.fetchone()
    assert name.startswith("pv1:") and "Sanne" not in name and "Vries" not in name
    assert address.startswith("pv1:") and "Prinsengracht" not in address
    # The amounts stay readable for the bookkeeping, and hold nothing about the person.
    assert "54.90" in str(totals) and "Sanne" not in str(totals)


def test_invoice_name_uses_the_retention_key_not_the_profile_key(customer):
    order, invoice = invoiced_order(user=customer)
    subject_shred(customer.subject_id, keys=("profile",))

    order = Order.objects.get(pk=order.pk)
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert order.delivery_address is ERASED  # the profile data is gone ...
    assert invoice.name == "Sanne de Vries"  # ... the invoice stays complete (art. 52 AWR)
    assert invoice.invoice_address["street"] == "Prinsengracht"
    assert invoice.totals["incl"] == "54.90"


def test_after_the_retention_period_the_name_reads_erased_and_the_amounts_remain(customer):
    _order, invoice = invoiced_order(user=customer)
    subject_shred(customer.subject_id, keys=("profile", "retention"))
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.name is ERASED
    assert invoice.invoice_address is ERASED
    assert invoice.kind == InvoiceKind.INVOICE and invoice.total == Decimal("54.90")


def _address(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if key != "label"}
