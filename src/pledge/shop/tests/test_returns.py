"""The right of withdrawal (BW 6:230o): within 14 days of delivery (or before it), personalised
items exempt (BW 6:230p), and staff's decision: a credit note, the refund, stock back."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation

from pledge.accounts.tests.factories import customer_create
from pledge.audit.models import AuditEvent
from pledge.audit.services import subject_pseudonym_for
from pledge.backoffice.tests.factories import staff_create
from pledge.mail.selectors import outbox_messages_for
from pledge.shop.models import (
    Counter,
    Invoice,
    InvoiceKind,
    Order,
    OrderStatus,
    Product,
    ReturnRejection,
    ReturnStatus,
)
from pledge.shop.returns import (
    ReturnRefused,
    return_accept,
    return_eligibility,
    return_refund_retry,
    return_reject,
    return_request,
)

from .invoice_factories import ALBUM, FRAME, PHOTO_BOOK, invoiced_order, paid_at_the_provider

TIMES = "\N{MULTIPLICATION SIGN}"  # the mails write quantities as "2 TIMES Fotolijst"

pytestmark = [pytest.mark.django_db(databases=["default", "vault"])]


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    with translation.override("nl"):
        yield


@pytest.fixture
def customer():
    return customer_create(first_name="Sanne", last_name="de Vries")


@pytest.fixture
def staff():
    return staff_create(roles=("fulfilment",))


def days_ago(days: int) -> datetime.datetime:
    """Noon, ``days`` calendar days ago in the shop's time zone."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def delivered(customer, *, days: int = 3, lines=((FRAME, 2), (PHOTO_BOOK, 1)), **kwargs):
    order, _invoice = invoiced_order(
        user=customer,
        lines=lines,
        status=OrderStatus.DELIVERED,
        delivered_at=days_ago(days),
        **kwargs,
    )
    return order


def mails_of(customer, template: str) -> list[dict]:
    return [
        message
        for message in outbox_messages_for(subject_id=customer.subject_id)
        if message["template"] == f"shop/mail/{template}"
    ]


# -- who may withdraw, and when --------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 13, 14])
def test_a_delivered_order_can_be_returned_until_14_days_after_delivery(customer, days):
    order = delivered(customer, days=days)
    request = return_request(user=customer, order_id=order.pk)
    assert request.status == ReturnStatus.REQUESTED and request.order_id == order.pk


def test_on_the_15th_day_the_withdrawal_period_has_ended(customer):
    order = delivered(customer, days=15)
    deadline = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ReturnRefused) as refusal:
        return_request(user=customer, order_id=order.pk)
    assert str(refusal.value) == (
        "De bedenktijd van 14 dagen voor deze bestelling is verstreken op "
        f"{deadline.day} {_dutch_month(deadline)} {deadline.year}."
    )
    assert not order.returns.exists()
    assert mails_of(customer, "return_received") == []


def test_an_order_on_its_way_can_be_returned_before_it_arrives(customer):
    order, _invoice = invoiced_order(user=customer, status=OrderStatus.SHIPPED)
    assert return_eligibility(order=order).deadline is None
    assert return_request(user=customer, order_id=order.pk).status == ReturnStatus.REQUESTED


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (OrderStatus.PAID, "nog niet verzonden"),
        (OrderStatus.PENDING_PAYMENT, "kan niet worden geretourneerd"),
        (OrderStatus.CANCELLED, "kan niet worden geretourneerd"),
    ],
)
def test_an_order_that_has_not_left_cannot_be_returned(customer, status, message):
    order, _invoice = invoiced_order(user=customer, status=status)
    with pytest.raises(ReturnRefused, match=message):
        return_request(user=customer, order_id=order.pk)


def test_a_paid_order_not_yet_sent_says_how_to_cancel_and_that_the_money_comes_back(customer):
    order, _invoice = invoiced_order(user=customer, status=OrderStatus.PAID)
    reason = return_eligibility(order=order).reason
    assert "info@pixeljet.nl" in reason and "u betaalt niets" not in reason
    assert "terug" in reason


def test_a_paid_order_of_only_personalised_items_is_not_offered_a_cancellation(customer):
    order, _invoice = invoiced_order(
        user=customer, status=OrderStatus.PAID, lines=((PHOTO_BOOK, 1),)
    )
    assert "BW 6:230p" in return_eligibility(order=order).reason


def test_an_order_of_only_personalised_items_is_exempt(customer):
    order = delivered(customer, lines=((PHOTO_BOOK, 2),))
    with pytest.raises(ReturnRefused, match="BW 6:230p"):
        return_request(user=customer, order_id=order.pk)
    assert not order.returns.exists()


def test_personalised_lines_stay_out_of_the_return(customer):
    order = delivered(customer, lines=((FRAME, 2), (PHOTO_BOOK, 1)))
    eligibility = return_eligibility(order=order)
    assert [line.name_nl for line in eligibility.lines] == ["Fotolijst zwart A4"]
    assert [line.name_nl for line in eligibility.excluded] == ["Fotoboek A4 (uw foto's)"]

    return_request(user=customer, order_id=order.pk)
    (mail,) = mails_of(customer, "return_received")
    you_return, not_returned = mail["body_text"].split("Geen deel van de retour")
    assert f"2 {TIMES} Fotolijst zwart A4" in you_return and "Fotoboek" not in you_return
    assert f"1 {TIMES} Fotoboek A4 (uw foto's)" in not_returned


def test_someone_elses_order_is_not_found(customer):
    order = delivered(customer)
    stranger = customer_create(first_name="Bram", last_name="Jansen")
    with pytest.raises(Http404):
        return_request(user=stranger, order_id=order.pk)
    assert not order.returns.exists()


def test_asking_twice_gives_the_first_request(customer):
    order = delivered(customer)
    first = return_request(user=customer, order_id=order.pk)
    assert return_request(user=customer, order_id=order.pk).pk == first.pk
    assert order.returns.count() == 1
    assert len(mails_of(customer, "return_received")) == 1


def test_after_a_rejection_the_customer_may_ask_again_within_the_period(customer, staff):
    order = delivered(customer)
    first = return_request(user=customer, order_id=order.pk)
    return_reject(return_id=first.pk, staff=staff, reason=ReturnRejection.NOT_RETURNED)
    again = return_request(user=customer, order_id=order.pk)
    assert again.pk != first.pk and again.status == ReturnStatus.REQUESTED


def test_the_request_is_audited_by_pseudonym_and_mailed_in_the_order_language():
    customer = customer_create(first_name="Emma", last_name="Smit", language="en")
    order = delivered(customer, lines=((ALBUM, 1),))
    request = return_request(user=customer, order_id=order.pk)

    event = AuditEvent.objects.get(action="order_change", details_json__contains="requested")
    assert event.subject_pseudonym == subject_pseudonym_for(subject_id=customer.subject_id)
    assert event.object_type == "shop.order" and event.object_id == str(order.pk)
    assert event.details == {"return": "requested", "return_id": str(request.pk)}
    assert "Emma" not in event.details_json and "Smit" not in event.details_json

    (mail,) = mails_of(customer, "return_received")
    assert mail["language"] == "en"
    assert mail["subject"] == f"We received your return request for order {order.number}"
    assert (
        "Hello Emma," in mail["body_text"] and f"1 {TIMES} Empty photo album" in mail["body_text"]
    )
    assert "Johan van Hasseltweg 39-J" in mail["body_text"]  # where to send it: the policy's


# -- staff accept --------------------------------------------------------------------------------


def test_accepting_credits_the_returned_lines_and_delivery_refunds_and_restocks(
    customer, staff, django_capture_on_commit_callbacks
):
    order = delivered(customer, lines=((FRAME, 2), (PHOTO_BOOK, 1)))
    payment = paid_at_the_provider(order)
    frame, book = (
        Product.objects.get(slug="lijst-zwart-a4"),
        Product.objects.get(slug="fotoboek-a4"),
    )
    stock_before = (frame.stock, book.stock)
    request = return_request(user=customer, order_id=order.pk)

    with django_capture_on_commit_callbacks(execute=True):
        return_accept(return_id=request.pk, staff=staff)

    request.refresh_from_db()
    credit_note = request.credit_note
    assert credit_note.kind == InvoiceKind.CREDIT_NOTE
    assert credit_note.credits == Invoice.objects.get(order=order, kind=InvoiceKind.INVOICE)
    # 2 frames and the delivery costs; the personalised photo book is not credited.
    assert credit_note.total == Decimal("-29.95")
    assert [line["name_nl"] for line in credit_note.totals["lines"]] == ["Fotolijst zwart A4"]
    assert credit_note.totals["delivery"]["amount"] == "-4.95"
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("29.95")
    assert request.status == ReturnStatus.REFUNDED and request.decided_at is not None
    assert Order.objects.get(pk=order.pk).status == OrderStatus.RETURNED
    frame.refresh_from_db()
    book.refresh_from_db()
    assert (frame.stock, book.stock) == (stock_before[0] + 2, stock_before[1])

    (mail,) = mails_of(customer, "return_accepted")
    assert f"C{credit_note.number:06d}" in mail["body_text"]
    assert "€ 29,95" in mail["body_text"]
    event = AuditEvent.objects.get(action="order_change", details_json__contains="accepted")
    assert event.staff_id == str(staff.pk)


def test_a_failed_refund_leaves_the_return_accepted_for_a_retry(
    customer, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from pledge.partners import services as partner_services

    order = delivered(customer, lines=((FRAME, 1),))
    payment = paid_at_the_provider(order)
    request = return_request(user=customer, order_id=order.pk)
    real_refund = partner_services.payment_refund

    def provider_down(**kwargs):
        raise ConnectionError("the payment provider did not answer")

    monkeypatch.setattr(partner_services, "payment_refund", provider_down)
    with django_capture_on_commit_callbacks(execute=True):
        return_accept(return_id=request.pk, staff=staff)
    request.refresh_from_db()
    assert request.status == ReturnStatus.ACCEPTED and request.credit_note is not None
    with pytest.raises(ReturnRefused, match="niet aangenomen"):
        return_refund_retry(return_id=request.pk, staff=staff)

    monkeypatch.setattr(partner_services, "payment_refund", real_refund)
    assert return_refund_retry(return_id=request.pk, staff=staff).status == ReturnStatus.REFUNDED
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("17.45")  # 12.50 + 4.95 delivery
    with pytest.raises(ReturnRefused):
        return_refund_retry(return_id=request.pk, staff=staff)  # not twice


def test_a_return_is_decided_once(customer, staff, django_capture_on_commit_callbacks):
    order = delivered(customer)
    paid_at_the_provider(order)
    request = return_request(user=customer, order_id=order.pk)
    with django_capture_on_commit_callbacks(execute=True):
        return_accept(return_id=request.pk, staff=staff)
    with pytest.raises(ReturnRefused, match="al beslist"):
        return_accept(return_id=request.pk, staff=staff)
    with pytest.raises(ReturnRefused, match="al beslist"):
        return_reject(return_id=request.pk, staff=staff, reason=ReturnRejection.NOT_RETURNED)
    assert Invoice.objects.filter(order=order, kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_an_accept_that_fails_half_way_stores_nothing_and_refunds_nothing(
    customer, staff, django_capture_on_commit_callbacks
):
    order = delivered(customer)
    payment = paid_at_the_provider(order)
    request = return_request(user=customer, order_id=order.pk)
    # Meanwhile the order was closed another way: it can no longer become "returned".
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    stock = Product.objects.get(slug="lijst-zwart-a4").stock

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError):
        return_accept(return_id=request.pk, staff=staff)

    request.refresh_from_db()
    assert request.status == ReturnStatus.REQUESTED and request.credit_note is None
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()
    assert not Counter.objects.filter(name="credit_note", last__gt=0).exists()
    assert Product.objects.get(slug="lijst-zwart-a4").stock == stock
    payment.refresh_from_db()
    assert payment.amount_refunded == 0
    assert mails_of(customer, "return_accepted") == []


# -- staff reject --------------------------------------------------------------------------------


def test_rejecting_tells_the_customer_why_in_their_language(customer, staff):
    order = delivered(customer)
    request = return_request(user=customer, order_id=order.pk)
    return_reject(return_id=request.pk, staff=staff, reason=ReturnRejection.NOT_RETURNED)

    request.refresh_from_db()
    assert request.status == ReturnStatus.REJECTED
    assert request.reject_reason == ReturnRejection.NOT_RETURNED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED
    (mail,) = mails_of(customer, "return_rejected")
    assert "De artikelen zijn niet binnen 14 dagen teruggestuurd (BW 6:230t)." in mail["body_text"]
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()


def test_a_rejection_needs_one_of_the_known_reasons(customer, staff):
    order = delivered(customer)
    request = return_request(user=customer, order_id=order.pk)
    with pytest.raises(ReturnRefused, match="Kies waarom"):
        return_reject(return_id=request.pk, staff=staff, reason="I just don't like it")
    request.refresh_from_db()
    assert request.status == ReturnStatus.REQUESTED


def _dutch_month(day: datetime.date) -> str:
    from django.utils.dateformat import format as date_format

    with translation.override("nl"):
        return date_format(day, "F")
