"""Gap-free number series for orders, invoices and credit notes.

Dutch VAT law (art. 35a Wet OB) wants invoice numbers in one unbroken series. The counter row is
locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite takes the write lock at BEGIN) and bumped
inside the caller's transaction, so a transaction that rolls back gives its number back and two
concurrent ones never get the same number.
"""

from django.db import transaction
from django.db.models import F

from .models import Counter

# Where each series starts: a shop moving to Pledge may need to continue its old numbering.
FIRST_NUMBER = {"order": 1001, "invoice": 1, "credit_note": 1}


def counter_next(name: str) -> int:
    """The next number of series ``name``; call inside ``transaction.atomic``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next must run inside the transaction that uses the number")
    Counter.objects.get_or_create(name=name, defaults={"last": FIRST_NUMBER[name] - 1})
    counter = Counter.objects.select_for_update().get(name=name)
    Counter.objects.filter(name=name).update(last=F("last") + 1)
    return counter.last + 1
