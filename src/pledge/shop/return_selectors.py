"""Reads of return requests for the back office: ids, order numbers, lines and amounts only —
no name or address, so the list needs no purpose beyond the screen's own."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from .checkout import in_language
from .invoice_selectors import invoice_number
from .invoices import credit_remaining
from .models import Invoice, InvoiceKind, OrderLine, ReturnRequest, ReturnStatus


@dataclass(frozen=True)
class ReturnRow:
    request: ReturnRequest
    order_number: int
    returned: list[tuple[str, int]]  # (line name, quantity) of the lines that can come back
    excluded: list[tuple[str, int]]  # personalised lines, exempt (BW 6:230p sub f)
    refund: Decimal | None  # what accepting refunds (or refunded); None without an invoice
    credit_note_number: str


def return_requests_list(
    *, status: str | None = None, limit: int = 50, offset: int = 0
) -> list[ReturnRow]:
    """Return requests, oldest waiting first when filtered on a status, else newest first."""
    requests = ReturnRequest.objects.select_related("order", "credit_note").prefetch_related(
        Prefetch("order__lines", queryset=OrderLine.objects.order_by("id")),
        Prefetch(
            "order__invoices",
            queryset=Invoice.objects.filter(kind=InvoiceKind.INVOICE).prefetch_related(
                "credit_notes"
            ),
            to_attr="issued_invoices",
        ),
    )
    if status:
        requests = requests.filter(status=status).order_by("requested_at")
    else:
        requests = requests.order_by("-requested_at")
    return [_row(request) for request in requests[offset : offset + limit]]


def return_requests_count(*, status: str | None = None) -> int:
    requests = ReturnRequest.objects.all()
    return (requests.filter(status=status) if status else requests).count()


def _row(request: ReturnRequest) -> ReturnRow:
    order = request.order
    lines = list(order.lines.all())

    def named(line: OrderLine, quantity: int) -> tuple[str, int]:
        return in_language(line.name_nl, line.name_en), quantity

    refund = None
    if request.credit_note is not None:
        refund = Decimal("0.00") - request.credit_note.total
    elif request.status == ReturnStatus.REQUESTED and order.issued_invoices:
        remaining = credit_remaining(invoice=order.issued_invoices[0])
        refund = remaining.delivery + sum(
            (
                line.unit_price * remaining.quantities.get(line.pk, 0)
                for line in lines
                if not line.personalised
            ),
            Decimal("0.00"),
        )
    return ReturnRow(
        request=request,
        order_number=order.number,
        returned=[named(line, line.quantity) for line in lines if not line.personalised],
        excluded=[named(line, line.quantity) for line in lines if line.personalised],
        refund=refund,
        credit_note_number=invoice_number(request.credit_note) if request.credit_note else "",
    )
