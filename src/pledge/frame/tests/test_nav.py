"""The site menu leads a visitor to sign in, and a signed-in customer to their account."""

import pytest
from django.urls import reverse
from django.utils import translation

from pledge.accounts.tests.factories import customer_create


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "language", "label"), [("/", "nl", "Inloggen"), ("/en/", "en", "Sign in")]
)
def test_anonymous_visitor_sees_a_sign_in_link_in_the_page_language(client, url, language, label):
    html = client.get(url).content.decode()
    with translation.override(language):
        login_url = reverse("accounts:login")
    assert f'href="{login_url}"' in html
    assert label in html


@pytest.mark.django_db(databases=["default", "vault"], transaction=True)
def test_signed_in_customer_sees_my_account(client):
    customer = customer_create()
    client.force_login(customer)
    html = client.get("/").content.decode()
    assert "Mijn account" in html
    assert reverse("accounts:overview") in html


@pytest.mark.django_db
def test_the_menu_names_the_shop_and_the_cart_in_dutch(client):
    """The menu's words come from the frame's own catalogue: removing a shop template that
    happened to use "Cart" once left the Dutch menu saying "Cart"."""
    menu = client.get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert ">Winkel<" in menu and ">Winkelwagen<" in menu
    assert ">Cart<" not in menu and ">Shop<" not in menu
