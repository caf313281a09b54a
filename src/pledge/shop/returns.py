"""The 14-day right of withdrawal (BW 6:230o): a customer's return request, and staff's decision.

A consumer may withdraw from a distance contract until 14 days after receiving the goods, and
before receiving them too (the period only starts at receipt). Goods made to the consumer's
specification are exempt (BW 6:230p sub f): personalised lines stay out of a return. Accepting a
return credits the returned lines and the delivery costs (BW 6:230s: all payments, including
the standard delivery costs, are refunded), marks the order returned and puts the goods back in
stock in one transaction; after its commit the payment provider is asked for the refund.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pledge.accounts.selectors import customer_profile
from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record, subject_pseudonym_for
from pledge.mail.services import mail_queue
from pledge.policy.selectors import current_policy

from .checkout import in_language
from .invoice_selectors import invoice_for_order, invoice_number
from .invoices import credit_note_issue, credit_remaining, negated
from .mails import order_url
from .models import (
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ReturnRejection,
    ReturnRequest,
    ReturnStatus,
)
from .order_states import transition_check

logger = logging.getLogger(__name__)

# BW 6:230o lid 1: fourteen days, counted from the day after the consumer received the goods.
# A term of the law, not a retention period: it does not belong in the policy file.
WITHDRAWAL_DAYS = 14

S = OrderStatus
# The goods have left the shop (in transit or received). Before that, an order is cancelled
# instead (the back office's order screen), which refunds everything.
RETURNABLE = frozenset({S.SHIPPED, S.DELIVERED})
STANDING = frozenset({ReturnStatus.REQUESTED, ReturnStatus.ACCEPTED, ReturnStatus.REFUNDED})


class ReturnRefused(ValueError):
    """A return that cannot be requested or decided; the message is safe to show."""


@dataclass(frozen=True)
class ReturnEligibility:
    allowed: bool
    reason: str  # why not, in the active language; "" when allowed
    deadline: datetime.date | None  # the last day to withdraw; None until delivered
    lines: list[OrderLine]  # what can be returned
    excluded: list[OrderLine]  # personalised: exempt from withdrawal (BW 6:230p sub f)


def withdrawal_deadline(order: Order) -> datetime.date | None:
    if order.delivered_at is None:
        return None
    return timezone.localdate(order.delivered_at) + datetime.timedelta(days=WITHDRAWAL_DAYS)


def return_eligibility(*, order: Order) -> ReturnEligibility:
    """Whether ``order`` may be returned now, and which of its lines."""
    lines = list(order.lines.all())
    returnable = [line for line in lines if not line.personalised]
    excluded = [line for line in lines if line.personalised]
    deadline = withdrawal_deadline(order)

    def refused(reason: str) -> ReturnEligibility:
        return ReturnEligibility(False, reason, deadline, returnable, excluded)

    if not returnable and (order.status == S.PAID or order.status in RETURNABLE):
        return refused(
            _(
                "Everything in this order was made to your specification, which the right of "
                "withdrawal does not cover (BW 6:230p)."
            )
        )
    if order.status == S.PAID:
        # Paid, so "you pay nothing" was wrong: cancelling refunds it. Staff cancel it (the
        # back-office order screen); the customer needs to know how to reach them.
        return refused(
            _(
                "Your order has not been sent yet. To cancel it, e-mail us at %(email)s; you get "
                "back everything you paid."
            )
            % {"email": current_policy().controller.email}
        )
    if order.status not in RETURNABLE:
        return refused(_("This order cannot be returned."))
    if order.returns.filter(status__in=STANDING).exists():
        return refused(_("You have already asked to return this order."))
    if deadline is not None and timezone.localdate() > deadline:
        return refused(
            _("The 14-day withdrawal period for this order ended on %(date)s.")
            % {"date": formats.date_format(deadline, "DATE_FORMAT")}
        )
    return ReturnEligibility(True, "", deadline, returnable, excluded)


def return_request(*, user, order_id) -> ReturnRequest:
    """The customer withdraws from their order. A second submit returns the first request."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, user_id=user.pk).first()
        if order is None:
            raise Http404  # someone else's order is "not found", not "not yours"
        waiting = order.returns.filter(status=ReturnStatus.REQUESTED).first()
        if waiting is not None:
            return waiting
        eligibility = return_eligibility(order=order)
        if not eligibility.allowed:
            raise ReturnRefused(eligibility.reason)
        request = ReturnRequest.objects.create(order=order)
        _mail(
            order,
            request,
            "return_received",
            lines=_mail_lines(order, [(line, line.quantity) for line in eligibility.lines]),
            excluded=_mail_lines(order, [(line, line.quantity) for line in eligibility.excluded]),
            send_back_by=WITHDRAWAL_DAYS,
        )
        _audit(order, request, "requested")
    return request


def return_accept(*, return_id, staff) -> ReturnRequest:
    """Accept a return: credit note, order returned, goods back in stock; then the refund.

    The payment provider is asked for the refund once this transaction has committed: it is a
    call to the outside that cannot be rolled back, so it must never precede a credit note that
    might still roll back. A refund that fails there leaves the return "accepted" for
    ``return_refund_retry``.
    """
    with transaction.atomic():
        request = _undecided(return_id)
        order = Order.objects.select_for_update().get(pk=request.order_id)
        invoice = invoice_for_order(order_id=order.pk)
        if invoice is None:
            raise ReturnRefused(_("This order has no invoice to credit."))
        remaining = credit_remaining(invoice=invoice)
        returned = [
            (line, remaining.quantities.get(line.pk, 0))
            for line in order.lines.filter(personalised=False)
            if remaining.quantities.get(line.pk, 0) > 0
        ]
        if not returned:
            raise ReturnRefused(_("Everything that can be returned has already been credited."))
        credit_note = credit_note_issue(
            invoice_id=invoice.pk,
            lines=[(line.pk, quantity) for line, quantity in returned],
            include_delivery=remaining.delivery > 0,
        )
        transition_check(order.status, S.RETURNED)
        order.status = S.RETURNED
        order.save(update_fields=["status"])
        for line, quantity in returned:
            if line.product_id is not None:
                Product.objects.filter(pk=line.product_id).update(stock=F("stock") + quantity)
        request.status, request.decided_at = ReturnStatus.ACCEPTED, timezone.now()
        request.credit_note = credit_note
        request.save(update_fields=["status", "decided_at", "credit_note"])
        _mail(
            order,
            request,
            "return_accepted",
            credit_note_number=invoice_number(credit_note),
            refund=negated(credit_note.total),
            lines=_mail_lines(order, returned),
        )
        _audit(order, request, "accepted", staff=staff, credit_note=invoice_number(credit_note))
        transaction.on_commit(lambda: _refund(request.pk), robust=True)
    return request


def return_refund_retry(*, return_id, staff) -> ReturnRequest:
    """Ask the payment provider again for the refund of an accepted return whose refund failed."""
    request = ReturnRequest.objects.filter(pk=return_id).first()
    if request is None:
        raise Http404
    if request.status != ReturnStatus.ACCEPTED:
        raise ReturnRefused(_("Only an accepted return that is not refunded yet can be retried."))
    with transaction.atomic():
        _audit(request.order, request, "refund_retried", staff=staff)
    if not _refund(request.pk):
        raise ReturnRefused(_("The payment provider did not accept the refund. Try again later."))
    request.refresh_from_db()
    return request


def _refund(return_id) -> bool:
    """Ask the payment provider to refund what the return's credit note credits; True when it
    accepted. Runs after the return's own transaction has committed (see ``return_accept``).

    The return's row stays locked while the provider is asked, so a retry pressed while the
    first refund is still under way (or the commit's own refund) waits and then finds it
    refunded, instead of having the customer refunded twice. Only this row is locked: no
    audit or order lock is held across the network call.
    """
    from pledge.partners.services import payment_refund

    with transaction.atomic():
        request = (
            ReturnRequest.objects.select_for_update(of=("self",))
            .select_related("order", "credit_note")
            .get(pk=return_id)
        )
        if request.status != ReturnStatus.ACCEPTED:
            return request.status == ReturnStatus.REFUNDED  # refunded already: nothing to do
        order, credit_note = request.order, request.credit_note
        with translation.override(order.language):
            description = _("Refund of order %(number)s (credit note %(credit_note)s)") % {
                "number": order.number,
                "credit_note": invoice_number(credit_note),
            }
        try:
            with transaction.atomic():  # a savepoint: a database error here is undone alone
                payment_refund(
                    order_reference=str(order.number),
                    amount=negated(credit_note.total),
                    description=description,
                )
        except Exception as error:  # the provider's failure must not undo the committed return
            logger.warning(
                "refund for return %s failed (%s); it stays accepted for a retry",
                request.pk,
                type(error).__name__,
            )
            return False
        request.status = ReturnStatus.REFUNDED
        request.save(update_fields=["status"])
    return True


def return_reject(*, return_id, staff, reason: str) -> ReturnRequest:
    """Refuse a return for one of the ``ReturnRejection`` reasons; the customer is told why."""
    if reason not in ReturnRejection.values:
        raise ReturnRefused(_("Choose why the return is rejected."))
    with transaction.atomic():
        request = _undecided(return_id)
        request.status, request.decided_at = ReturnStatus.REJECTED, timezone.now()
        request.reject_reason = reason
        request.save(update_fields=["status", "decided_at", "reject_reason"])
        order = request.order
        with translation.override(order.language):
            reason_text = str(ReturnRejection(reason).label)
        _mail(order, request, "return_rejected", reason=reason_text)
        _audit(order, request, "rejected", staff=staff, reason=reason)
    return request


def _undecided(return_id) -> ReturnRequest:
    request = (
        ReturnRequest.objects.select_for_update()
        .select_related("order")
        .filter(pk=return_id)
        .first()
    )
    if request is None:
        raise Http404
    if request.status != ReturnStatus.REQUESTED:
        raise ReturnRefused(_("This return request has already been decided."))
    return request


def _audit(order: Order, request: ReturnRequest, change: str, *, staff=None, **details) -> None:
    actor = (
        {"staff_id": staff.pk}
        if staff is not None
        else {"subject_pseudonym": subject_pseudonym_for(subject_id=order.subject_id)}
    )
    audit_record(
        action=AuditAction.ORDER_CHANGE,
        **actor,
        object_type="shop.order",
        object_id=order.pk,
        details={"return": change, "return_id": str(request.pk), **details},
    )


def _mail_lines(order: Order, returned: list[tuple[OrderLine, int]]) -> list[dict]:
    return [
        {"name": in_language(line.name_nl, line.name_en, order.language), "quantity": quantity}
        for line, quantity in returned
    ]


def _mail(order: Order, request: ReturnRequest, template: str, **context) -> None:
    """Tell the customer, in their order's language, through the encrypted outbox."""
    if order.user_id is None:
        return  # the account was deleted: no address to write to
    try:
        customer = customer_profile(user_id=order.user_id)
    except Http404:
        return
    if not customer.email:
        return  # erased
    controller = current_policy().controller
    mail_queue(
        to=customer.email,
        template=f"shop/mail/{template}",
        context={
            "shop_name": controller.name,
            "controller": controller,
            "first_name": customer.first_name,
            "order": order,
            "order_url": order_url(order),
            **context,
        },
        language=order.language,
        subject_id=order.subject_id,
        idempotency_key=f"shop.{template}:{request.pk}",
    )
