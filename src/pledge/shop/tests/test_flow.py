"""Issue 6, done when: a visitor browses, fills a cart, must register, checks out, pays at the
test payment provider (whose signed webhook reaches the running shop over HTTP), receives the
confirmation on a real SMTP server, staff ship with a track-and-trace code that is mailed too,
delivery brings a review invitation with exactly the allowed details, and the customer sees
every disclosure in "My account". A second press of the order button makes no second order,
and another customer cannot see the order."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from pledge.backoffice.tests.factories import signed_in as staff_signed_in
from pledge.backoffice.tests.factories import staff_create
from pledge.mail.services import outbox_deliver_due
from pledge.partners import loader
from pledge.partners.tasks import testpsp_webhook_send
from pledge.shop.models import Order, OrderStatus

from .factories import (
    BOTH,
    PASSWORD,
    collect,
    disclosures,
    page_text,
    photo_book,
    postnl,
    product_make,
    review_form,
    shop_runtime,
    signed_in,
)

pytestmark = [
    pytest.mark.django_db(databases=BOTH, transaction=True),
    pytest.mark.usefixtures("shop_runtime"),
]
__all__ = ["shop_runtime"]

EMAIL = "femke.bakker@example.nl"
LINK = re.compile(r"https?://testserver(/[^\s\"<]+)")
WEBHOOK = "/partners/webhooks/payment/mollie/"


@pytest.fixture
def shop(settings, live_server):
    """The catalogue, delivery by PostNL, and the test provider posting to the live shop."""
    settings.PLEDGE_PARTNERS = {
        "mollie": {"ADAPTER": "testpsp", "OPTIONS": {"webhook_url": live_server.url + WEBHOOK}}
    }
    loader.reset()
    postnl()
    collect()
    frame = product_make(stock=3)
    book = photo_book(stock=10)
    return frame, book


def browse_and_fill_the_cart(client, frame, book) -> None:
    catalogue = page_text(client.get(reverse("shop:catalogue")))
    for product in (frame, book):
        path = re.search(rf'href="(/shop/[^"]*/{product.slug}/)"', catalogue)[1]
        assert product.name_nl in page_text(client.get(path))
        response = client.post(reverse("shop:cart_add"), {"product": product.pk, "quantity": 1})
        assert response.status_code == 302
    assert "Fotolijst zwart A4" in page_text(client.get(reverse("shop:cart")))


def register_and_sign_in(client, smtp_sink) -> str:
    """The accounts flow as its own tests drive it; returns where sign-in leads."""
    to_checkout = client.get(reverse("shop:checkout"))
    login_url = to_checkout["Location"]
    assert login_url == "/account/login/?next=/checkout/"
    response = client.post(
        reverse("accounts:register"),
        {"username": "femke.bakker", "email": EMAIL, "password": PASSWORD},
    )
    assert response.status_code == 302
    outbox_deliver_due()
    [(_subject, body)] = smtp_sink.texts(EMAIL)
    assert client.post(LINK.search(body)[1]).status_code == 200  # the address is confirmed
    signed = client.post(login_url, {"username": EMAIL, "password": PASSWORD})
    return signed["Location"]


def test_from_browsing_to_the_disclosures_in_my_account(client, shop, smtp_sink, enqueued_tasks):
    frame, book = shop
    browse_and_fill_the_cart(client, frame, book)
    assert register_and_sign_in(client, smtp_sink) == "/checkout/"
    details = {"first_name": "Femke", "last_name": "Bakker", "phone": "+31 6 2345 6789"}
    assert client.post(reverse("accounts:profile_edit"), details).status_code == 302

    # Checkout: a new delivery address (the address book is empty), PostNL, the test provider.
    choices = client.post(
        reverse("shop:checkout"),
        {
            "delivery": "postnl",
            "payment": "testpsp",
            "address": "new",
            "new-name": "Femke Bakker",
            "new-street": "Lange Voorhout",
            "new-house_number": "34",
            "new-postal_code": "2514 EE",
            "new-city": "Den Haag",
            "new-country": "NL",
        },
    )
    assert choices["Location"] == reverse("shop:checkout_review")
    review = page_text(client.get(choices["Location"]))
    assert "Bestelling met betalingsverplichting" in review and "€ 42,40" in review
    form = review_form(client)
    placed = client.post(reverse("shop:checkout_place"), form)
    order = Order.objects.get()
    assert order.status == OrderStatus.PENDING_PAYMENT and order.total.to_eng_string() == "42.40"

    # A second press of the same button: the same order, no second one.
    again = client.post(reverse("shop:checkout_place"), form)
    assert again["Location"] == reverse("shop:confirmation", args=[order.pk])
    assert Order.objects.count() == 1

    # The test provider's page, then "Pay": back to the shop, which waits for the webhook.
    psp_page = placed["Location"]
    assert "Testbetaalomgeving" in page_text(client.get(psp_page))
    back = client.post(psp_page, {"outcome": "pay"})
    assert back["Location"].endswith(reverse("shop:confirmation", args=[order.pk]))
    assert "betaling in behandeling" in page_text(client.get(back["Location"]))
    [webhook] = [t for t in enqueued_tasks if t.task.func is testpsp_webhook_send.func]
    assert testpsp_webhook_send.call(*webhook.args) == 200  # signed, over HTTP, to the shop
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert f"bestelling {order.number} is betaald" in page_text(client.get(back["Location"]))

    # The confirmation mail, received by a real SMTP server.
    outbox_deliver_due()
    subject, body = smtp_sink.texts(EMAIL)[-1]
    body = body.replace("\xa0", " ")
    assert str(order.number) in subject
    assert "Fotolijst zwart A4" in body and "Totaal inclusief btw: € 42,40" in body
    assert "Waarvan btw 9% over € 24,95: € 2,06" in body
    assert "Herroepingsrecht" in body and "Modelformulier voor herroeping" in body
    order_link = LINK.search(body[body.index("Mijn account") :])[1]
    assert order_link == f"/account/orders/{order.pk}/"  # an id, no personal data
    assert "Lange Voorhout" in page_text(client.get(order_link))

    # Staff ship it with a track-and-trace code; the customer gets the code by mail.
    staff = staff_signed_in(Client(), staff_create(roles=("fulfilment",)))
    record = reverse("shop:backoffice_order", args=[order.pk])
    staff.post(record, {"purpose": "order_fulfilment", "reference": str(order.number)})
    assert "Lange Voorhout 34" in page_text(staff.get(record))
    ship = reverse("shop:backoffice_order_action", args=[order.pk, "ship"])
    staff.post(ship, {"tracking_code": "3SPJX1234567"})
    outbox_deliver_due()
    subject, body = smtp_sink.texts(EMAIL)[-1]
    assert "onderweg" in subject and "3SPJX1234567" in body

    # Delivered: the review partner may invite, with first name, e-mail and lines only.
    staff.post(reverse("shop:backoffice_order_action", args=[order.pk, "deliver"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.review_invited_at
    sent = disclosures(order.subject_id)
    assert sorted(sent["kiyoh"]) == [
        "user.behavior.purchase_history",
        "user.contact.email",
        "user.name.first",
    ]
    assert set(sent) == {"mollie", "postnl", "print_supplier", "kiyoh"}

    # The customer sees every disclosure in "My account", in Dutch and in English.
    mine = page_text(client.get(reverse("shop:disclosures")))
    for name in ("Mollie B.V.", "PostNL", "Drukkerij Voorbeeld B.V.", "Kiyoh"):
        assert name in mine
    assert "Uitnodiging om een review te schrijven" in mine
    assert "Invitation to write a review" in page_text(client.get("/en/account/disclosures/"))

    # Another customer: the order does not exist for them.
    other = Client()
    signed_in(other)
    assert other.get(order_link).status_code == 404
    assert other.get(reverse("shop:confirmation", args=[order.pk])).status_code == 404
