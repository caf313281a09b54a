"""No public page shows personal data.

A customer with unique "canary" values (name, e-mail address, phone number, address, user name)
registers through the accounts services, fills a cart and places an order that gets paid. Then
every page a visitor can reach by following links from / and /en/ (shop, categories, every
product page, cart, statements, sign-in pages, pictures) is fetched, by an anonymous visitor and
by another signed-in customer: no canary value may appear in any body or header.
"""

import re
import secrets
import uuid
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection

from pledge.accounts.profile_services import address_save, profile_update
from pledge.accounts.selectors import customer_profile, user_for_username
from pledge.accounts.services import account_register, email_verify
from pledge.accounts.tests.factories import customer_create
from pledge.accounts.tokens import email_verification_token
from pledge.shop.demo import demo_catalogue
from pledge.shop.models import CartItem, DeliveryMethod, Order, Product

from .catalogue_factories import BOTH, catalogue_runtime  # noqa: F401

pytestmark = [
    pytest.mark.django_db(databases=BOTH),
    pytest.mark.usefixtures("catalogue_runtime"),
]
LINK = re.compile(r'(?:href|src|action)="([^"#]*)', re.IGNORECASE)
# Staff pages are not public; everything else a link leads to is.
NOT_PUBLIC = ("/backoffice/", "/en/backoffice/")
MAX_PAGES = 400


def canary_values() -> dict[str, str]:
    tag = secrets.token_hex(4)
    digits = f"{secrets.randbelow(10**7):07d}"
    return {
        "username": f"kanarie{tag}",
        "email": f"kanarie.{tag}@example.nl",
        "first_name": f"Kanariefirst{tag}",
        "last_name": f"Kanarielast{tag}",
        "phone": f"+31 6 9{digits}",
        "phone_digits": f"9{digits}",
        "street": f"Kanariestraat{tag}",
        "house_number": f"{secrets.randbelow(900) + 100}k",
        "city": f"Kanariedorp{tag}",
        "password": f"kanarie-zonnebloem-{tag}",
    }


def canary_customer(canary: dict[str, str]):
    """Registered, verified and filled in through the accounts services, as a person would."""
    account_register(
        username=canary["username"],
        email=canary["email"],
        password=canary["password"],
        language="nl",
        ip_address="192.0.2.10",
        site_url="http://testserver",
    )
    user = user_for_username(username=canary["username"])
    assert email_verify(user=user, token=email_verification_token.make_token(user))
    profile_update(
        user=user,
        first_name=canary["first_name"],
        last_name=canary["last_name"],
        phone=canary["phone"],
    )
    address_save(
        user=user,
        label="Thuis",
        postal_address={
            "name": f"{canary['first_name']} {canary['last_name']}",
            "street": canary["street"],
            "house_number": canary["house_number"],
            "postal_code": "9999 ZZ",
            "city": canary["city"],
            "country": "NL",
        },
        is_default=True,
    )
    return user


def canary_order(user) -> Order:
    """A paid order of the canary customer, placed with the checkout's services."""
    from pledge.partners import hooks
    from pledge.shop.checkout import quote_build
    from pledge.shop.services import order_place

    delivery = DeliveryMethod.objects.get(needs_address=True)
    products = list(Product.objects.filter(stock__gt=5).order_by("pk")[:2])
    quantities = [(product.pk, 1) for product in products]
    quote = quote_build(products=products, quantities=quantities, delivery=delivery)
    profile = customer_profile(user_id=user.pk)
    order = order_place(
        user=user,
        customer=profile,
        quantities=quantities,
        delivery_code=delivery.code,
        address_id=profile.addresses[0]["id"],
        payment_method="testpsp",
        idempotency_key=uuid.uuid4(),
        review_digest=quote.digest,
        language="nl",
    ).order
    hooks.payment_status_emit(
        order_reference=str(order.number), payment_id="tr_canary", status="paid", amount=order.total
    )
    return order


def crawl(client, starts: list[str]) -> dict[str, tuple]:
    """Every same-site path reachable from ``starts`` by links, redirects and form actions."""
    seen, queue, responses = set(starts), list(starts), {}
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        responses[url] = (response, body)
        assert response.status_code < 500, url
        found = []
        if response.get("Location"):
            found.append(response["Location"])
        if "html" in response.get("Content-Type", ""):
            found += [unescape(link) for link in LINK.findall(body.decode())]
        for link in found:
            target = urlsplit(urljoin(url, link))
            if target.netloc not in ("", "testserver") or not target.path.startswith("/"):
                continue
            # One visit a path: "?next=..." variants are the same page (and nest forever).
            path = target.path
            if path in seen or path.startswith(NOT_PUBLIC):
                continue
            seen.add(path)
            queue.append(path)
        assert len(responses) <= MAX_PAGES, "the crawl does not end"
    return responses


def leaks(responses: dict, canary: dict[str, str]) -> list[str]:
    needles = [value for key, value in canary.items() if key not in ("password", "house_number")]
    found = []
    for url, (response, raw) in responses.items():
        body = raw.decode("utf-8", errors="replace")
        headers = "\n".join(f"{name}: {value}" for name, value in response.items())
        cookies = "\n".join(morsel.OutputString() for morsel in response.cookies.values())
        for needle in needles:
            for where, text in (("body", body), ("headers", headers), ("cookies", cookies)):
                if needle.lower() in text.lower():
                    found.append(f"{url} {where}: {needle}")
    return found


@pytest.fixture
def demo_shop_with_a_canary_customer():
    demo_catalogue()
    canary = canary_values()
    user = canary_customer(canary)
    CartItem.objects.create(
        user=user, product=Product.objects.filter(stock__gt=5).first(), quantity=2
    )
    order = canary_order(user)
    assert Order.objects.filter(pk=order.pk, user=user).exists()
    return canary


def assert_every_kind_of_public_page_was_visited(urls) -> None:
    for language in ("", "/en"):
        assert f"{language}/shop/" in urls
        assert f"{language}/cart/" in urls
        assert f"{language}/privacy/" in urls
        assert f"{language}/cookies/" in urls
        for product in Product.objects.filter(is_active=True).select_related("category"):
            assert f"{language}/shop/{product.category.slug}/{product.slug}/" in urls
        for slug in Product.objects.values_list("category__slug", flat=True).distinct():
            assert f"{language}/shop/{slug}/" in urls
    assert any(url.startswith("/media/products/") for url in urls)


def test_no_public_page_shows_a_customers_personal_data(client, demo_shop_with_a_canary_customer):
    canary = demo_shop_with_a_canary_customer
    responses = crawl(client, ["/", "/en/"])
    assert_every_kind_of_public_page_was_visited(responses)
    assert leaks(responses, canary) == []


def test_another_signed_in_customer_sees_none_of_it_either(
    client, demo_shop_with_a_canary_customer
):
    canary = demo_shop_with_a_canary_customer
    client.force_login(customer_create())
    responses = crawl(client, ["/", "/en/", "/account/", "/en/account/"])
    assert_every_kind_of_public_page_was_visited(responses)
    assert leaks(responses, canary) == []


def test_the_canary_is_real_its_own_pages_do_show_it(client, demo_shop_with_a_canary_customer):
    # Guards the test itself: the canary values are stored and shown where they belong.
    canary = demo_shop_with_a_canary_customer
    client.force_login(user_for_username(username=canary["username"]))
    responses = crawl(client, ["/account/"])
    assert leaks(responses, canary)
    assert connection.vendor in ("sqlite", "postgresql")
