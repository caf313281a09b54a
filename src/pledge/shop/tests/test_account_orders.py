"""The shop's pages in "My account": order history and detail, withdrawal, disclosures, the
objection to review invitations, and the page the payment provider sends the customer back to.
Someone else's order is a 404 everywhere."""

import pytest
from django.urls import reverse

from pledge.partners.selectors import review_objected
from pledge.shop.fulfilment import order_mark_delivered, order_mark_shipped
from pledge.shop.models import Order, ReturnRequest

from .factories import (
    BOTH,
    cart_put,
    checkout,
    order_placed,
    page_text,
    payment_event,
    photo_book,
    place,
    postnl,
    product_make,
    psp_webhook,
    shop_runtime,
    signed_in,
)

pytestmark = [pytest.mark.django_db(databases=BOTH), pytest.mark.usefixtures("shop_runtime")]
__all__ = ["shop_runtime"]


@pytest.fixture
def frame():
    postnl()
    return product_make(stock=5)


def delivered(order) -> Order:
    payment_event(order)
    order_mark_shipped(order_reference=str(order.number), tracking_code="3SPJX0042", staff_id=1)
    order_mark_delivered(order_reference=str(order.number), staff_id=1)
    return Order.objects.get(pk=order.pk)


def test_my_account_links_to_orders_disclosures_and_review_invitations(client):
    signed_in(client)
    html = page_text(client.get(reverse("accounts:overview")))
    for name in ("shop:orders", "shop:disclosures", "shop:review_preference"):
        assert f'href="{reverse(name)}"' in html


def test_the_order_history_and_detail_show_lines_status_tracking_and_invoice(client, frame):
    user = signed_in(client)
    order = delivered(order_placed(user, [(frame, 2)]))
    history = page_text(client.get(reverse("shop:orders")))
    assert str(order.number) in history and "Bezorgd" in history and "€ 29,95" in history
    detail = page_text(client.get(reverse("shop:order", args=[order.pk])))
    assert "Fotolijst zwart A4" in detail and "3SPJX0042" in detail
    assert "Prinsengracht 263" in detail
    assert "Nederland</address>" in detail  # the country's name, not its code "NL"
    invoice = order.invoices.get()
    assert reverse("shop:invoice", args=[invoice.pk]) in detail
    assert "Deze bestelling herroepen" in detail
    english = page_text(client.get(f"/en/account/orders/{order.pk}/"))
    assert "Black photo frame A4" in english and "Delivered" in english


def test_another_customer_gets_404_on_every_page_of_my_order(client, frame):
    owner = signed_in(client)
    order = order_placed(owner, [(frame, 1)])
    client.logout()
    signed_in(client)  # customer B
    for name in ("shop:order", "shop:confirmation"):
        assert client.get(reverse(name, args=[order.pk])).status_code == 404
    for name in ("shop:order_pay", "shop:order_withdraw"):
        assert client.post(reverse(name, args=[order.pk])).status_code == 404
    assert client.get(reverse("shop:order_withdraw", args=[order.pk])).status_code == 404
    assert str(order.number) not in page_text(client.get(reverse("shop:orders")))


def test_the_withdrawal_button_asks_for_a_confirmation_first(client, frame):
    """A withdrawal is not sent by one stray click: the page says what goes back, where to,
    and only "Herroeping bevestigen" sends it (Directive 2023/2673 art. 11a)."""
    user = signed_in(client)
    order = delivered(order_placed(user, [(frame, 1)]))
    detail = client.get(reverse("shop:order", args=[order.pk])).content.decode()
    assert f'href="{reverse("shop:order_withdraw", args=[order.pk])}"' in detail
    page = page_text(client.get(reverse("shop:order_withdraw", args=[order.pk])))
    assert "1 \u00d7 Fotolijst zwart A4" in page
    assert "Johan van Hasseltweg 39-J" in page and "binnen 14 dagen" in page
    assert "Herroeping bevestigen" in page
    assert not ReturnRequest.objects.exists()


def test_the_withdrawal_button_records_the_return_request(client, frame):
    user = signed_in(client)
    order = delivered(order_placed(user, [(frame, 1)]))
    response = client.post(reverse("shop:order_withdraw", args=[order.pk]), follow=True)
    assert "Wij hebben uw herroeping ontvangen" in page_text(response)
    assert ReturnRequest.objects.filter(order=order).count() == 1
    # Asking twice is one request.
    client.post(reverse("shop:order_withdraw", args=[order.pk]))
    assert ReturnRequest.objects.filter(order=order).count() == 1


def test_an_order_of_personalised_products_only_offers_no_withdrawal(client):
    postnl()
    user = signed_in(client)
    order = delivered(order_placed(user, [(photo_book(), 1)]))
    detail = page_text(client.get(reverse("shop:order", args=[order.pk])))
    assert "Deze bestelling herroepen" not in detail and "6:230p" in detail
    response = client.post(reverse("shop:order_withdraw", args=[order.pk]), follow=True)
    assert "6:230p" in page_text(response)
    confirm = page_text(client.get(reverse("shop:order_withdraw", args=[order.pk])))
    assert "6:230p" in confirm and "Herroeping bevestigen" not in confirm
    assert not ReturnRequest.objects.exists()


def test_the_return_page_says_payment_pending_until_the_provider_reports(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 1)
    response = place(client, checkout(client, user))
    order = Order.objects.get(user=user)
    # The test provider's page, then back to the shop before its webhook arrived.
    assert client.get(response["Location"]).status_code == 200
    pending = page_text(client.get(reverse("shop:confirmation", args=[order.pk])))
    assert "betaling in behandeling" in pending and str(order.number) in pending
    psp_webhook(client, order.payment_reference, "pay")
    paid = page_text(client.get(reverse("shop:confirmation", args=[order.pk])))
    assert f"bestelling {order.number} is betaald" in paid


def test_paying_again_for_an_unpaid_order_starts_a_new_payment(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 1)
    place(client, checkout(client, user))
    order = Order.objects.get(user=user)
    first = order.payment_reference
    response = client.post(reverse("shop:order_pay", args=[order.pk]))
    assert response.status_code == 302 and "/partners/" in response["Location"]
    order.refresh_from_db()
    assert order.payment_reference and order.payment_reference != first
    # The first payment failing now does not cancel the order.
    psp_webhook(client, first, "fail")
    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_the_disclosures_page_lists_who_received_what_in_dutch_and_english(client, frame):
    user = signed_in(client)
    payment_event(order_placed(user, [(frame, 1)]))
    dutch = page_text(client.get(reverse("shop:disclosures")))
    assert "PostNL" in dutch and "Adresgegevens" in dutch and "Telefoonnummer" in dutch
    assert "Bestellingen afhandelen" in dutch
    english = page_text(client.get("/en/account/disclosures/"))
    assert "Address data" in english and "Handling, delivering" in english


def test_the_review_invitation_objection_can_be_switched_on_and_off(client):
    user = signed_in(client)
    page = page_text(client.get(reverse("shop:review_preference")))
    assert "voornaam, uw e-mailadres en wat u bestelde" in page
    client.post(reverse("shop:review_preference"), {"objected": "on"})
    assert review_objected(subject_id=user.subject_id)
    assert "checked" in page_text(client.get(reverse("shop:review_preference")))
    client.post(reverse("shop:review_preference"), {})
    assert not review_objected(subject_id=user.subject_id)
    assert "Review invitations" in page_text(client.get("/en/account/reviews/"))


def test_the_shop_pages_of_my_account_need_a_sign_in(client, frame):
    for path in ("/account/orders/", "/account/disclosures/", "/account/reviews/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/login/")


def test_after_an_accepted_return_my_order_links_to_its_invoice_and_credit_note(client, frame):
    """The accepted-return mail sends the customer to My account for the credit note: it is
    there, under its printed number, as page and PDF; for anyone else every link is a 404."""
    from pledge.backoffice.tests.factories import staff_create
    from pledge.shop.returns import return_accept, return_request

    user = signed_in(client)
    order = delivered(order_placed(user, [(frame, 2)]))
    request = return_request(user=user, order_id=order.pk)
    return_accept(return_id=request.pk, staff=staff_create(roles=("fulfilment",)))
    invoice = order.invoices.get(kind="invoice")
    credit_note = order.invoices.get(kind="credit_note")

    detail = page_text(client.get(reverse("shop:order", args=[order.pk])))
    assert "Factuur F000001" in detail and "Creditnota C000001" in detail
    links = [
        reverse("shop:invoice", args=[invoice.pk]),
        reverse("shop:invoice_pdf", args=[invoice.pk]),
        reverse("shop:credit_note", args=[credit_note.pk]),
        reverse("shop:credit_note_pdf", args=[credit_note.pk]),
    ]
    for link in links:
        assert f'href="{link}"' in detail
        assert client.get(link).status_code == 200
    english = page_text(client.get(f"/en/account/orders/{order.pk}/"))
    assert "Invoice F000001" in english and "Credit note C000001" in english

    client.logout()
    signed_in(client)  # customer B
    for link in links:
        assert client.get(link).status_code == 404
