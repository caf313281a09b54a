"""What a customer or staff member sees of the styling: a page that hides text for screen
readers (table captions, "Remove <product>") loads the rule that hides it, every button looks
like one, and the catalogue does not repeat the menu's links."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from pledge.backoffice.tests.factories import signed_in as staff_signed_in
from pledge.backoffice.tests.factories import staff_create

from .factories import (
    BOTH,
    cart_put,
    checkout,
    order_placed,
    payment_event,
    postnl,
    product_make,
    shop_runtime,
    signed_in,
)

pytestmark = [pytest.mark.django_db(databases=BOTH), pytest.mark.usefixtures("shop_runtime")]
__all__ = ["shop_runtime"]


def styles_of(response) -> str:
    """The text of every local stylesheet the page links to."""
    html = response.content.decode()
    paths = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert paths, "the page links no stylesheet"
    return "\n".join(open(finders.find(path), encoding="utf-8").read() for path in paths)


def rule_selectors(css: str) -> set[str]:
    return {
        selector.strip()
        for block in re.findall(r"([^{}]+)\{", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
        for selector in block.split(",")
    }


def assert_styled(response) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    selectors = rule_selectors(styles_of(response))
    if "visually-hidden" in html:
        # Without the rule, "Bestelling 1001" stood under the heading "Bestelling 1001".
        assert ".visually-hidden" in selectors
    if "<button" in html:
        assert "button" in selectors


def test_customer_pages_load_the_rules_their_markup_needs(client):
    postnl()
    frame = product_make(stock=5)
    user = signed_in(client)
    cart_put(client, frame, 2)
    assert_styled(client.get(reverse("shop:cart")))
    assert_styled(client.get(reverse("shop:checkout")))
    checkout(client, user)
    assert_styled(client.get(reverse("shop:checkout_review")))
    order = order_placed(user, [(frame, 1)])
    payment_event(order)
    assert_styled(client.get(reverse("shop:order", args=[order.pk])))
    assert_styled(client.get(reverse("shop:confirmation", args=[order.pk])))
    assert_styled(client.get(reverse("shop:invoice", args=[order.invoices.get().pk])))


def test_back_office_order_and_returns_screens_load_their_rules(client):
    postnl()
    order = order_placed(signed_in(client), [(product_make(stock=5), 1)])
    payment_event(order)
    staff_signed_in(client, staff_create(roles=("fulfilment",)))
    record = reverse("shop:backoffice_order", args=[order.pk])
    client.post(record, {"purpose": "order_fulfilment", "reference": ""})
    page = client.get(record)
    assert_styled(page)
    assert ".order-actions form" in rule_selectors(styles_of(page))
    assert_styled(client.get(reverse("shop:backoffice_returns")))


def test_the_catalogue_links_the_cart_once_from_the_menu(client):
    product = product_make(stock=5)
    for url in (
        reverse("shop:catalogue"),
        reverse("shop:product", args=[product.category.slug, product.slug]),
    ):
        html = client.get(url).content.decode()
        assert html.count(f'href="{reverse("shop:cart")}"') == 1
