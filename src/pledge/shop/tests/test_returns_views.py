"""The back office's return requests: fulfilment staff list, accept and reject them; the list
shows no names or addresses; other roles cannot open it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pledge.accounts.tests.factories import customer_create
from pledge.backoffice.tests.factories import signed_in, staff_create
from pledge.shop.models import InvoiceKind, OrderStatus, ReturnRejection, ReturnStatus
from pledge.shop.returns import return_request

from .invoice_factories import FRAME, PHOTO_BOOK, invoiced_order, paid_at_the_provider

pytestmark = [pytest.mark.django_db(databases=["default", "vault"])]


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    translation.activate("nl")
    yield
    translation.deactivate()


@pytest.fixture
def requested():
    customer = customer_create(first_name="Sanne", last_name="de Vries")
    order, _invoice = invoiced_order(
        user=customer,
        lines=((FRAME, 2), (PHOTO_BOOK, 1)),
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - datetime.timedelta(days=2),
    )
    return return_request(user=customer, order_id=order.pk)


def test_fulfilment_sees_waiting_returns_without_personal_details(client, requested):
    signed_in(client, staff_create(roles=("fulfilment",)))
    html = client.get(reverse("shop:backoffice_returns")).content.decode()
    assert str(requested.order.number) in html
    assert "Fotolijst zwart A4" in html
    assert "Gepersonaliseerd, niet geretourneerd:" in html and "Fotoboek A4" in html
    assert "€&nbsp;29,95" in html  # 2 x 12.50 + 4.95 delivery: what accepting refunds
    assert "Sanne" not in html and "Prinsengracht" not in html
    assert reverse("shop:backoffice_return_accept", args=[requested.pk]) in html


# Real commits: the refund runs on commit, before the view tells staff how it went.
@pytest.mark.django_db(transaction=True, databases=["default", "vault"])
def test_accepting_from_the_list_issues_the_credit_note_and_refunds(client, requested):
    paid_at_the_provider(requested.order)
    signed_in(client, staff_create(roles=("fulfilment",)))
    response = client.post(reverse("shop:backoffice_return_accept", args=[requested.pk]))
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == ReturnStatus.REFUNDED
    assert requested.credit_note.kind == InvoiceKind.CREDIT_NOTE
    page = client.get(response["Location"]).content.decode()
    assert "geaccepteerd en terugbetaald" in page


def test_rejecting_from_the_list_needs_a_reason(client, requested):
    signed_in(client, staff_create(roles=("fulfilment",)))
    reject = reverse("shop:backoffice_return_reject", args=[requested.pk])
    client.post(reject, {"reason": "zomaar"})
    requested.refresh_from_db()
    assert requested.status == ReturnStatus.REQUESTED

    client.post(reject, {"reason": ReturnRejection.PERIOD_EXPIRED})
    requested.refresh_from_db()
    assert requested.status == ReturnStatus.REJECTED
    assert requested.reject_reason == ReturnRejection.PERIOD_EXPIRED


def test_a_decision_is_a_post(client, requested):
    signed_in(client, staff_create(roles=("fulfilment",)))
    response = client.get(reverse("shop:backoffice_return_accept", args=[requested.pk]))
    assert response.status_code == 405
    requested.refresh_from_db()
    assert requested.status == ReturnStatus.REQUESTED


def test_marketing_cannot_see_or_decide_returns(client, requested):
    signed_in(client, staff_create(roles=("marketing",)))
    assert client.get(reverse("shop:backoffice_returns")).status_code == 403
    response = client.post(reverse("shop:backoffice_return_accept", args=[requested.pk]))
    assert response.status_code == 403
    requested.refresh_from_db()
    assert requested.status == ReturnStatus.REQUESTED


def test_a_customer_cannot_reach_the_return_screens(client, requested):
    client.force_login(requested.order.user)
    response = client.post(reverse("shop:backoffice_return_accept", args=[requested.pk]))
    assert response.status_code == 302
    assert reverse("backoffice:login") in response["Location"]
    requested.refresh_from_db()
    assert requested.status == ReturnStatus.REQUESTED


def test_the_back_office_menu_offers_returns_and_invoices_to_fulfilment_only(client):
    signed_in(client, staff_create(roles=("fulfilment",)))
    menu = client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("shop:backoffice_returns") in menu
    assert reverse("shop:backoffice_invoices") in menu

    signed_in(client, staff_create(roles=("marketing",)))
    menu = client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("shop:backoffice_returns") not in menu
    assert reverse("shop:backoffice_invoices") not in menu
