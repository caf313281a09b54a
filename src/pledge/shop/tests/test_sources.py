"""The shop's data for a disclosure to an authority: the privacy officer's screen offers
purchase history and payment data for a customer with orders, and the file holds exactly the
ticked categories of exactly that customer."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from pledge.accounts.tests.factories import customer_create
from pledge.backoffice.tests.factories import signed_in, staff_create
from pledge.partners.sources import categories_with_source
from pledge.shop.fulfilment import order_cancel
from pledge.shop.models import OrderStatus

from .invoice_factories import ALBUM, FRAME, invoiced_order, order_create, paid_at_the_provider

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

FORM = "/en/partners/backoffice/disclosures/police/"
HISTORY, PAYMENT = "user.behavior.purchase_history", "user.payment"
PACKAGE = re.compile(r'href="(/en/partners/backoffice/disclosures/package/[^"]+)\.pdf"')


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    from pledge.partners import loader

    loader.reset()
    yield
    loader.reset()


@pytest.fixture
def customer():
    return customer_create(
        email="sanne.devries@example.nl", first_name="Sanne", last_name="de Vries"
    )


@pytest.fixture
def orders(customer):
    """A delivered order (invoiced), and a paid one cancelled and credited in full."""
    delivered, _invoice = invoiced_order(
        user=customer,
        lines=((FRAME, 2),),
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - datetime.timedelta(days=3),
    )
    cancelled, _invoice = invoiced_order(user=customer, lines=((ALBUM, 1),), delivery="collect")
    paid_at_the_provider(cancelled)
    order_cancel(order_id=cancelled.pk, staff_id=1)
    # Someone else's order: never in Sanne's file.
    order_create(user=customer_create(email="piet@example.nl"), lines=((ALBUM, 3),))
    return delivered, cancelled


def disclose(client, categories) -> dict:
    response = client.post(
        FORM,
        {
            "email": "sanne.devries@example.nl",
            "purpose": "fraud_reporting",
            "legal_ground": "art. 126nd Sv",
            "case_reference": "PL0900-2027012345",
            "categories": categories,
        },
    )
    assert response.status_code == 200
    base = PACKAGE.search(response.content.decode())[1]
    return json.loads(client.get(f"{base}.json").content)


def test_the_authority_screen_offers_orders_and_payment_data(client, orders):
    assert {HISTORY, PAYMENT} <= categories_with_source()
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    page = client.get(FORM).content.decode()
    for category in (HISTORY, PAYMENT):
        assert f'value="{category}"' in page  # a box to tick, not "no data held"
    held_nothing = page[page.index("The shop holds no data") :]
    assert "Orders and payment status" not in held_nothing and "Payment data" not in held_nothing


def test_the_file_holds_the_customers_orders_and_payments_and_nothing_else(client, orders):
    delivered, cancelled = orders
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    data = disclose(client, [HISTORY, PAYMENT])["data"]
    assert set(data) == {HISTORY, PAYMENT}

    history = data[HISTORY]
    assert [entry["order_number"] for entry in history] == [delivered.number, cancelled.number]
    first, second = history
    assert first["status"] == "delivered" and first["placed_at"]
    assert first["lines"] == [
        {
            "product": "Black photo frame A4",
            "quantity": 2,
            "unit_price": "12.50",
            "total": "25.00",
            "vat_rate": "high",
        }
    ]
    assert first["delivery_price"] == "4.95" and first["total"] == "29.95"
    assert first["invoices"] == ["F000001"] and first["credit_notes"] == []
    assert second["status"] == "cancelled" and second["invoices"] == ["F000002"]
    assert second["credit_notes"] == [{"number": "C000001", "total": "-19.95"}]

    payments = data[PAYMENT]
    assert [p["order_number"] for p in payments] == [delivered.number, cancelled.number]
    assert payments[0]["payment_method"] == "ideal"
    assert payments[0]["payment_reference"] == delivered.payment_reference
    assert payments[0]["amount"] == "29.95" and payments[0]["paid_at"]
    assert payments[1]["amount"] == "19.95" and payments[1]["credited"] == "19.95"

    text = json.dumps(data)
    for other in ("Sanne", "sanne.devries@example.nl", "Prinsengracht", "piet@example.nl"):
        assert other not in text  # names, contact details: not ticked
    assert text.count('"order_number"') == 4  # two orders per category: not Piet's


def test_only_the_ticked_category_is_in_the_file(client, orders):
    delivered, _cancelled = orders
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    data = disclose(client, [HISTORY])["data"]
    assert set(data) == {HISTORY}
    assert delivered.payment_reference not in json.dumps(data)


def test_the_pdf_lists_each_orders_lines_readably(client, orders):
    import io

    from pypdf import PdfReader

    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    response = client.post(
        FORM,
        {
            "email": "sanne.devries@example.nl",
            "purpose": "fraud_reporting",
            "legal_ground": "art. 126nd Sv",
            "case_reference": "PL0900-2027012345",
            "categories": [HISTORY],
        },
    )
    base = PACKAGE.search(response.content.decode())[1]
    pdf = client.get(f"{base}.pdf").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "product: Black photo frame A4, quantity: 2, unit_price: 12.50" in text
    assert "number: C000001, total: -19.95" in text
    assert "{'" not in text and "['" not in text  # no Python notation for the authority
