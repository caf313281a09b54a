"""Back-office order screens: a list without personal data, a record that opens for a stated
purpose (and says so in the audit log), the delivery address only for fulfilment of an open
order, and ship / deliver / cancel through the status table."""

import pytest
from django.urls import reverse

from pledge.audit.models import AuditEvent
from pledge.backoffice.tests.factories import signed_in as staff_signed_in
from pledge.backoffice.tests.factories import staff_create
from pledge.shop.models import Order, OrderStatus

from .factories import (
    BOTH,
    customer_create,
    disclosures,
    order_placed,
    outbox,
    page_text,
    payment_event,
    postnl,
    product_make,
    shop_runtime,
)

pytestmark = [pytest.mark.django_db(databases=BOTH), pytest.mark.usefixtures("shop_runtime")]
__all__ = ["shop_runtime"]


@pytest.fixture
def customer():
    return customer_create(first_name="Sanne", last_name="de Vries", email="sanne@example.nl")


@pytest.fixture
def paid_order(customer):
    postnl()
    order = order_placed(customer, [(product_make(stock=5), 2)])
    payment_event(order)
    return Order.objects.get(pk=order.pk)


def record(order) -> str:
    return reverse("shop:backoffice_order", args=[order.pk])


def action(order, name: str) -> str:
    return reverse("shop:backoffice_order_action", args=[order.pk, name])


def opened(client, order, purpose="order_fulfilment"):
    assert client.post(record(order), {"purpose": purpose, "reference": ""}).status_code == 302
    return client.get(record(order))


def test_the_order_list_shows_no_personal_data(client, paid_order):
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    html = page_text(client.get(reverse("shop:backoffice_orders")))
    assert str(paid_order.number) in html and "Betaald" in html
    for personal in ("Sanne", "Vries", "sanne@example.nl", "Prinsengracht", "Amsterdam", "1234"):
        assert personal not in html
    assert reverse("shop:backoffice_orders") in page_text(client.get("/backoffice/"))


def test_the_order_list_pages_keep_the_status_filter(client, customer, paid_order, monkeypatch):
    monkeypatch.setattr("pledge.shop.backoffice_orders.PAGE_SIZE", 1)
    second = order_placed(customer, [(product_make(stock=5), 1)])
    payment_event(second)
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    url = reverse("shop:backoffice_orders")
    first_page = client.get(url, {"status": "paid"}).content.decode()
    assert "Pagina 1 van 2" in first_page
    assert '?status=paid&amp;page=2"' in first_page
    second_page = client.get(url, {"status": "paid", "page": 2}).content.decode()
    assert '?status=paid&amp;page=1"' in second_page
    numbers = {str(paid_order.number), str(second.number)}
    shown = {number for number in numbers if number in first_page + second_page}
    assert shown == numbers


def test_staff_without_an_order_purpose_cannot_open_the_screen(client, paid_order):
    staff_signed_in(client, staff_create(roles=("marketing",)))
    assert client.get(reverse("shop:backoffice_orders")).status_code == 403
    assert client.get(record(paid_order)).status_code == 403
    assert client.post(action(paid_order, "cancel")).status_code == 403
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PAID


def test_a_customer_cannot_reach_the_order_screens(client, paid_order):
    client.force_login(customer_create())
    response = client.get(reverse("shop:backoffice_orders"))
    assert response.status_code == 302 and "/backoffice/login/" in response["Location"]


def test_the_record_asks_for_a_purpose_then_shows_the_address_and_records_the_view(
    client, paid_order
):
    staff = staff_create(roles=("fulfilment",))
    staff_signed_in(client, staff)
    first = page_text(client.get(record(paid_order)))
    assert 'name="purpose"' in first and "Prinsengracht" not in first
    assert not AuditEvent.objects.filter(action="personal_data_viewed").exists()
    html = page_text(opened(client, paid_order))
    assert "Prinsengracht 263" in html and "+31 6 1234 5678" in html
    assert "Sanne de Vries" in html
    # Names the staff member reads, not the stored codes ("NL", "testpsp").
    assert "Nederland</address>" in html and "NL</address>" not in html
    assert "Testbetaling (geen echt geld)" in html and "<dd>testpsp</dd>" not in html
    [view] = AuditEvent.objects.filter(action="personal_data_viewed")
    assert view.staff_id == str(staff.pk) and view.purpose == "order_fulfilment"
    assert (view.object_type, view.object_id) == ("shop.order", str(paid_order.pk))
    assert "user.contact.address" in view.details["categories"]


def test_support_sees_the_order_but_not_the_delivery_address(client, paid_order):
    staff_signed_in(client, staff_create(roles=("support",)))
    html = page_text(opened(client, paid_order))
    assert str(paid_order.number) in html and "Fotolijst zwart A4" in html
    assert "Prinsengracht" not in html and "Niet getoond" in html


def test_the_address_of_a_closed_order_is_not_shown(client, paid_order):
    from pledge.shop.fulfilment import order_mark_delivered, order_mark_shipped

    order_mark_shipped(order_reference=str(paid_order.number), tracking_code="3S1", staff_id=1)
    order_mark_delivered(order_reference=str(paid_order.number), staff_id=1)
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    html = page_text(opened(client, paid_order))
    assert "Prinsengracht" not in html and "Niet getoond" in html


def test_marking_shipped_with_a_code_mails_it_to_the_customer(client, customer, paid_order):
    staff = staff_create(roles=("fulfilment",))
    staff_signed_in(client, staff)
    response = client.post(action(paid_order, "ship"), {"tracking_code": "3s pjx 0042 nl"})
    assert response["Location"] == record(paid_order)
    order = Order.objects.get(pk=paid_order.pk)
    assert order.status == OrderStatus.SHIPPED and order.tracking_code == "3SPJX0042NL"
    [mail] = outbox(customer.subject_id, "order_shipped")
    assert "3SPJX0042NL" in mail["body_text"]
    event = AuditEvent.objects.filter(action="order_change").latest("sequence")
    assert event.staff_id == str(staff.pk) and event.details == {"status": "shipped"}
    assert "gemarkeerd als verzonden" in page_text(client.get(record(paid_order))).lower()


def test_a_parcel_needs_its_track_and_trace_code(client, paid_order):
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    client.post(action(paid_order, "ship"), {"tracking_code": ""})
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PAID


def test_a_status_change_the_table_forbids_is_refused_with_the_reason(client, customer):
    postnl()
    unpaid = order_placed(customer, [(product_make(), 1)])
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    client.post(action(unpaid, "ship"), {"tracking_code": "3S1"})
    assert Order.objects.get(pk=unpaid.pk).status == OrderStatus.PENDING_PAYMENT
    html = page_text(opened(client, unpaid))
    assert "„Wacht op betaling” kan niet „Verzonden” worden" in html


def test_delivered_invites_a_review_with_the_allowed_fields_only(client, customer, paid_order):
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    client.post(action(paid_order, "ship"), {"tracking_code": "3S9"})
    client.post(action(paid_order, "deliver"))
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.DELIVERED
    assert sorted(disclosures(customer.subject_id)["kiyoh"]) == [
        "user.behavior.purchase_history",
        "user.contact.email",
        "user.name.first",
    ]
    # The invitation carries the ordered products (for product reviews): the privacy statement
    # must say so, not only "order number".
    statement = page_text(client.get(reverse("policy:privacy")))
    assert "bestelnummer en de producten die u bestelde" in statement


def test_cancelling_an_unpaid_order_returns_the_stock(client, customer):
    postnl()
    product = product_make(stock=5)
    order = order_placed(customer, [(product, 2)])
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    client.post(action(order, "cancel"))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    product.refresh_from_db()
    assert product.stock == 5


def test_a_refund_that_fails_leaves_the_order_as_it_was_and_says_so(client, paid_order):
    # Marked paid without a payment at the provider: there is nothing it can refund.
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    client.post(action(paid_order, "cancel"))
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PAID
    assert paid_order.lines.get().product.stock == 3
    html = page_text(opened(client, paid_order))
    assert "niet worden terugbetaald" in html


def test_the_screens_are_in_english_too(client, paid_order):
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    html = page_text(client.get("/en/backoffice/orders/"))
    assert "Orders" in html and "Paid" in html


def test_the_record_links_to_the_invoice_and_credit_notes_in_the_back_office(client, paid_order):
    from pledge.shop.invoice_selectors import invoice_for_order
    from pledge.shop.invoices import credit_note_issue

    invoice = invoice_for_order(order_id=paid_order.pk)
    credit_note = credit_note_issue(
        invoice_id=invoice.pk, lines=[(paid_order.lines.get().pk, 1)], include_delivery=False
    )
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    html = page_text(opened(client, paid_order))
    assert "Factuur F000001" in html and "Creditnota C000001" in html
    for document in (invoice, credit_note):
        link = reverse("shop:backoffice_invoice", args=[document.pk])
        assert f'href="{link}"' in html
        # The invoice page asks for its own purpose: the link opens no data by itself.
        assert 'name="purpose"' in page_text(client.get(link))


def test_no_invoice_links_for_staff_whose_roles_do_not_open_the_invoices_screen(
    client, paid_order, monkeypatch
):
    from pledge.backoffice import screens

    # As if the shop kept invoices for bookkeeping only (the privacy officer's fiscal records).
    bookkeeping = screens.Screen(
        "invoices", "shop:backoffice_invoices", "Invoices", ("fiscal_records",)
    )
    monkeypatch.setitem(screens._screens, "invoices", bookkeeping)
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    html = page_text(opened(client, paid_order))
    assert str(paid_order.number) in html and "F000001" not in html
    assert "/backoffice/invoices/" not in html
    client.logout()
    staff_signed_in(client, staff_create(roles=("privacy_officer",)))
    assert "Factuur F000001" in page_text(opened(client, paid_order))
