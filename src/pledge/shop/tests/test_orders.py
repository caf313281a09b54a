"""Order services: the status table, payment events, fulfilment, and what each step tells the
customer (mail) and the partners (disclosures, only the fields the policy allows)."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from pledge.audit.models import AuditEvent
from pledge.partners.services import review_objection_set
from pledge.shop.checkout import SoldOut
from pledge.shop.fulfilment import order_cancel, order_mark_delivered, order_mark_shipped
from pledge.shop.models import Invoice, Order, OrderStatus
from pledge.shop.order_states import TransitionRefused, may_become, transition_check
from pledge.shop.services import order_place

from .factories import (
    BOTH,
    cart_put,
    checkout,
    collect,
    customer_create,
    disclosures,
    order_placed,
    outbox,
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

S = OrderStatus
NAMES = ["user.name.first", "user.name.last"]


@pytest.fixture
def customer():
    return customer_create(first_name="Sanne", email="sanne@example.nl")


@pytest.fixture
def frame():
    postnl()
    return product_make(stock=5)


def reloaded(order) -> Order:
    return Order.objects.get(pk=order.pk)


def test_the_status_table_allows_only_the_real_life_order_of_things():
    assert may_become(S.PENDING_PAYMENT, S.PAID) and may_become(S.PAID, S.SHIPPED)
    assert may_become(S.SHIPPED, S.DELIVERED) and may_become(S.DELIVERED, S.RETURNED)
    assert may_become(S.PAID, S.CANCELLED) and may_become(S.PENDING_PAYMENT, S.CANCELLED)
    for current, wanted in [
        (S.PENDING_PAYMENT, S.SHIPPED),
        (S.SHIPPED, S.CANCELLED),
        (S.DELIVERED, S.PAID),
        (S.CANCELLED, S.PAID),
        (S.RETURNED, S.SHIPPED),
    ]:
        with pytest.raises(TransitionRefused) as refused:
            transition_check(current, wanted)
        assert str(S(current).label) in str(refused.value)


def test_ordering_more_than_the_stock_places_nothing(customer, frame):
    with pytest.raises(SoldOut):
        order_placed(customer, [(frame, 6)])
    frame.refresh_from_db()
    assert frame.stock == 5 and not Order.objects.exists()


def test_order_numbers_run_on_without_gaps(customer, frame):
    first = order_placed(customer, [(frame, 1)])
    with pytest.raises(SoldOut):
        order_placed(customer, [(frame, 9)])
    second = order_placed(customer, [(frame, 1)])
    assert second.number == first.number + 1


def test_payment_marks_the_order_paid_issues_the_invoice_mails_and_tells_the_partners(
    customer, frame
):
    order = order_placed(customer, [(frame, 2), (photo_book(), 1)])
    payment_event(order, payment_id="tr_1")

    order = reloaded(order)
    assert order.status == S.PAID and order.paid_at and order.payment_reference == "tr_1"
    assert Invoice.objects.filter(order=order, kind="invoice").count() == 1
    [mail] = outbox(customer.subject_id, "order_confirmation")
    body = mail["body_text"].replace("\xa0", " ")
    assert mail["recipient"] == "sanne@example.nl" and str(order.number) in mail["subject"]
    assert "2 \u00d7 Fotolijst zwart A4: € 25,00" in body
    assert "Fotoboek A4 met uw foto's (gepersonaliseerd)" in body
    assert "Totaal inclusief btw: € 54,90" in body
    assert "Waarvan btw 21% over € 29,95: € 5,20" in body
    assert "Waarvan btw 9% over € 24,95: € 2,06" in body
    assert "Herroepingsrecht" in body and "Modelformulier voor herroeping" in body
    assert "6:230p" in body
    # The HTML part has headings and a list, not the plain text's "== ... ==" markup.
    html = mail["body_html"]
    assert "<h2>Herroepingsrecht</h2>" in html and "<h3>Modelformulier voor herroeping</h3>" in html
    assert "==" not in html
    link = f"http://testserver/account/orders/{order.pk}/"
    assert link in body  # the order by its random id: no number, name or address in a URL
    # PostNL gets name, address and phone for delivery; the printer gets what it drop-ships.
    sent = disclosures(customer.subject_id)
    assert sorted(sent["postnl"]) == sorted(
        [*NAMES, "user.contact.address", "user.contact.phone_number"]
    )
    assert sorted(sent["print_supplier"]) == sorted(
        [*NAMES, "user.contact.address", "user.behavior.purchase_history"]
    )
    assert "kiyoh" not in sent
    assert AuditEvent.objects.filter(action="order_change", details_json__contains='"paid"')


def test_the_same_payment_event_twice_changes_nothing_the_second_time(customer, frame):
    order = order_placed(customer, [(frame, 1)])
    payment_event(order)
    payment_event(order)
    assert reloaded(order).status == S.PAID
    assert len(outbox(customer.subject_id, "order_confirmation")) == 1
    assert Invoice.objects.filter(order=order).count() == 1
    assert disclosures(customer.subject_id)["postnl"].count("user.name.first") == 1


def test_a_failed_payment_cancels_the_order_and_returns_the_stock(customer, frame):
    order = order_placed(customer, [(frame, 2)])
    frame.refresh_from_db()
    assert frame.stock == 3
    payment_event(order, "expired")
    assert reloaded(order).status == S.CANCELLED
    frame.refresh_from_db()
    assert frame.stock == 5
    assert not outbox(customer.subject_id, "order_cancelled")  # nothing was paid, nothing to say


def test_an_old_payment_expiring_does_not_cancel_an_order_being_paid_again(customer, frame):
    order = order_placed(customer, [(frame, 1)])
    Order.objects.filter(pk=order.pk).update(payment_reference="tr_new")
    payment_event(order, "expired", payment_id="tr_old")
    assert reloaded(order).status == S.PENDING_PAYMENT
    payment_event(order, "paid", payment_id="tr_new")
    assert reloaded(order).status == S.PAID


def test_a_payment_of_another_amount_does_not_mark_the_order_paid(customer, frame):
    order = order_placed(customer, [(frame, 1)])
    payment_event(order, amount=Decimal("0.01"))
    assert reloaded(order).status == S.PENDING_PAYMENT


def test_shipping_keeps_the_code_encrypted_and_mails_it(customer, frame):
    order = order_placed(customer, [(frame, 1)])
    payment_event(order)
    order_mark_shipped(order_reference=str(order.number), tracking_code="3SPXJ1234567", staff_id=1)
    order = reloaded(order)
    assert order.status == S.SHIPPED and order.tracking_code == "3SPXJ1234567"
    raw = Order.objects.filter(pk=order.pk).values_list("tracking_code", flat=True).get()
    assert "3SPXJ1234567" not in str(raw)
    [mail] = outbox(customer.subject_id, "order_shipped")
    assert "3SPXJ1234567" in mail["body_text"] and str(order.number) in mail["subject"]
    with pytest.raises(TransitionRefused):  # staff cannot ship it twice
        order_mark_shipped(order_reference=str(order.number), tracking_code="X1", staff_id=1)


def test_the_delivery_partner_reports_shipped_and_delivered_through_the_hooks(customer, frame):
    from pledge.partners import hooks

    order = order_placed(customer, [(frame, 1)])
    payment_event(order)
    reference = str(order.number)
    hooks.shipment_status_emit(order_reference=reference, status="shipped", tracking_code="3SABC")
    hooks.shipment_status_emit(order_reference=reference, status="shipped", tracking_code="3SABC")
    assert reloaded(order).tracking_code == "3SABC"
    assert len(outbox(customer.subject_id, "order_shipped")) == 1
    hooks.shipment_status_emit(order_reference=reference, status="delivered", tracking_code="")
    assert reloaded(order).status == S.DELIVERED
    # A scan for a cancelled order is dropped, not retried forever.
    other = order_placed(customer, [(frame, 1)])
    payment_event(other, "failed")
    hooks.shipment_status_emit(
        order_reference=str(other.number), status="shipped", tracking_code="3SXYZ"
    )
    assert reloaded(other).status == S.CANCELLED


def test_a_parcel_is_delivered_only_after_it_was_shipped_and_a_collection_never_ships(
    customer, frame
):
    parcel = order_placed(customer, [(frame, 1)])
    payment_event(parcel)
    with pytest.raises(TransitionRefused):  # no track-and-trace code skipped
        order_mark_delivered(order_reference=str(parcel.number), staff_id=1)
    assert reloaded(parcel).status == S.PAID
    collected = order_placed(customer, [(frame, 1)], delivery="collect")
    payment_event(collected)
    with pytest.raises(TransitionRefused):
        order_mark_shipped(order_reference=str(collected.number), tracking_code="3S1", staff_id=1)
    order_mark_delivered(order_reference=str(collected.number), staff_id=1)
    assert reloaded(collected).status == S.DELIVERED


def test_delivery_invites_a_review_with_first_name_email_and_lines_only(customer, frame):
    order = order_placed(customer, [(frame, 1)])
    payment_event(order)
    order_mark_shipped(order_reference=str(order.number), tracking_code="3S1", staff_id=1)
    order_mark_delivered(order_reference=str(order.number), staff_id=1)
    order = reloaded(order)
    assert order.status == S.DELIVERED and order.review_invited_at is not None
    assert sorted(disclosures(customer.subject_id)["kiyoh"]) == sorted(
        ["user.name.first", "user.contact.email", "user.behavior.purchase_history"]
    )


def test_no_review_invitation_after_the_customer_objected(customer, frame):
    review_objection_set(subject_id=customer.subject_id, objected=True)
    order = order_placed(customer, [(frame, 1)], delivery="collect")
    payment_event(order)
    order_mark_delivered(order_reference=str(order.number), staff_id=1)  # collected
    order = reloaded(order)
    assert order.status == S.DELIVERED and order.review_invited_at is None
    assert "kiyoh" not in disclosures(customer.subject_id)


def test_cancelling_a_paid_order_restocks_refunds_and_tells_the_customer(client, frame):
    from pledge.partners.selectors import payment_status

    user = signed_in(client)
    cart_put(client, frame, 2)
    place(client, checkout(client, user))
    order = Order.objects.get(user=user)
    assert psp_webhook(client, order.payment_reference, "pay").status_code == 200
    assert reloaded(order).status == S.PAID
    order_cancel(order_id=order.pk, staff_id=1)
    assert reloaded(order).status == S.CANCELLED
    frame.refresh_from_db()
    assert frame.stock == 5
    assert payment_status(payment_id=order.payment_reference) == "refunded"
    [mail] = outbox(user.subject_id, "order_cancelled")
    assert "volledige bedrag terug" in mail["body_text"]


def test_a_payment_arriving_after_the_order_was_cancelled_is_refunded(client, frame):
    from pledge.partners.selectors import payment_status

    user = signed_in(client)
    cart_put(client, frame, 1)
    place(client, checkout(client, user))
    order = Order.objects.get(user=user)
    order_cancel(order_id=order.pk, staff_id=1)  # e.g. the customer asked by phone
    assert psp_webhook(client, order.payment_reference, "pay").status_code == 200
    assert reloaded(order).status == S.CANCELLED
    assert payment_status(payment_id=order.payment_reference) == "refunded"


def test_paying_twice_for_one_order_refunds_the_second_payment(client, frame):
    from pledge.partners.selectors import payment_status

    user = signed_in(client)
    cart_put(client, frame, 1)
    place(client, checkout(client, user))
    order = Order.objects.get(user=user)
    first = order.payment_reference
    pay_again = client.post(reverse("shop:order_pay", kwargs={"order_id": order.pk}))
    assert pay_again.status_code == 302
    second = reloaded(order).payment_reference
    assert second != first
    assert psp_webhook(client, first, "pay").status_code == 200  # the first one was paid after all
    assert psp_webhook(client, second, "pay").status_code == 200
    order = reloaded(order)
    assert order.status == S.PAID and order.payment_reference == first
    assert payment_status(payment_id=first) == "paid"
    assert payment_status(payment_id=second) == "refunded"
    assert Invoice.objects.filter(order=order).count() == 1


def test_an_order_to_collect_says_where_in_the_mail_and_on_the_confirmation(client, frame):
    from pledge.policy.selectors import current_policy

    address = current_policy().controller.address
    collect()
    user = signed_in(client)
    cart_put(client, frame, 1)
    place(client, checkout(client, user, delivery="collect"))
    order = Order.objects.get(user=user)
    payment_event(order, payment_id=order.payment_reference)
    [mail] = outbox(user.subject_id, "order_confirmation")
    expected = f"{address.street}, {address.postal_code} {address.city}"
    assert expected in mail["body_text"] and str(order.number) in mail["body_text"]
    page = client.get(reverse("shop:confirmation", kwargs={"order_id": order.pk}))
    assert expected in page.content.decode()


def test_a_shipped_order_cannot_be_cancelled(customer, frame):
    order = order_placed(customer, [(frame, 1)])
    payment_event(order)
    order_mark_shipped(order_reference=str(order.number), tracking_code="3S2", staff_id=1)
    with pytest.raises(TransitionRefused):
        order_cancel(order_id=order.pk, staff_id=1)
    assert reloaded(order).status == S.SHIPPED


def test_an_unknown_delivery_method_or_payment_method_is_refused(customer, frame):
    from pledge.accounts.selectors import customer_profile
    from pledge.shop.checkout import CheckoutRefused

    postnl()
    profile = customer_profile(user_id=customer.pk)
    arguments = {
        "user": customer,
        "customer": profile,
        "quantities": [(frame.pk, 1)],
        "delivery_code": "postnl",
        "address_id": profile.addresses[0]["id"],
        "payment_method": "testpsp",
        "idempotency_key": uuid.uuid4(),
        "review_digest": "",
        "language": "nl",
    }
    with pytest.raises(CheckoutRefused):
        order_place(**{**arguments, "delivery_code": "drone"})
    with pytest.raises(CheckoutRefused):
        order_place(**{**arguments, "payment_method": "cash"})
    with pytest.raises(CheckoutRefused):
        order_place(**{**arguments, "address_id": uuid.uuid4()})
    assert not Order.objects.exists()


def test_orders_left_unpaid_too_long_are_cancelled_and_their_stock_returned(customer, frame):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    old = order_placed(customer, [(frame, 2)])
    recent = order_placed(customer, [(frame, 1)])
    paid = order_placed(customer, [(frame, 1)])
    payment_event(paid)
    Order.objects.filter(pk__in=[old.pk, paid.pk]).update(
        placed_at=timezone.now() - timedelta(hours=49)
    )
    call_command("orders", "expire-unpaid")
    assert reloaded(old).status == S.CANCELLED
    assert reloaded(recent).status == S.PENDING_PAYMENT and reloaded(paid).status == S.PAID
    frame.refresh_from_db()
    assert frame.stock == 3  # 5 - 2 - 1 - 1, plus the 2 of the expired order


def test_the_audit_log_names_who_changed_the_order_and_no_personal_data(customer, frame):
    from pledge.audit.services import subject_pseudonym_for

    order = order_placed(customer, [(frame, 1)])
    payment_event(order)
    order_mark_shipped(order_reference=str(order.number), tracking_code="3SAUDIT1", staff_id=7)
    events = AuditEvent.objects.filter(action="order_change", object_id=str(order.pk))
    actors = [
        (e.details["status"], e.subject_pseudonym, e.staff_id) for e in events.order_by("sequence")
    ]
    pseudonym = subject_pseudonym_for(subject_id=customer.subject_id)
    assert actors == [
        ("pending_payment", pseudonym, ""),  # the customer placed it
        ("paid", "", ""),  # the system, on the provider's verified event
        ("shipped", "", "7"),  # a staff member
    ]
    stored = " ".join(e.details_json + e.object_id for e in events)
    for personal in ("Sanne", "sanne@example.nl", "Prinsengracht", "3SAUDIT1"):
        assert personal not in stored


def test_an_order_placed_in_english_is_confirmed_in_english(customer, frame):
    order = order_placed(customer, [(frame, 1)], language="en")
    payment_event(order)
    [mail] = outbox(customer.subject_id, "order_confirmation")
    body = mail["body_text"]
    assert mail["language"] == "en" and mail["subject"] == f"Order confirmation {order.number}"
    assert "Black photo frame A4" in body and "Total including VAT: €17.45" in body
    assert "Right of withdrawal" in body and "Model withdrawal form" in body
    assert f"http://testserver/en/account/orders/{order.pk}/" in body
