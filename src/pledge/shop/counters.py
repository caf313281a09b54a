"""Gap-free number series for orders, invoices and credit notes.

Dutch VAT law (art. 35a Wet OB) wants invoice numbers in one unbroken series. The counter row is
bumped with ``UPDATE ... RETURNING`` inside the caller's transaction: the UPDATE takes the row
lock (PostgreSQL) or the write lock (SQLite) and holds it until that transaction ends, so a
transaction that rolls back gives its number back and two concurrent ones never get the same
number. One statement per number: checkout stays within its query budget.
"""

from django.db import connections, router, transaction

from .models import Counter

# Where each series starts: a shop moving to Pledge may need to continue its old numbering.
FIRST_NUMBER = {"order": 1001, "invoice": 1, "credit_note": 1}


def _bump(using: str, name: str) -> int | None:
    connection = connections[using]
    quote = connection.ops.quote_name
    table, last, key = quote(Counter._meta.db_table), quote("last"), quote("name")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {key} = %s RETURNING {last}",  # noqa: S608
            [name],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def counter_next(name: str) -> int:
    """The next number of series ``name``; call inside ``transaction.atomic``."""
    using = router.db_for_write(Counter)
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("counter_next must run inside the transaction that uses the number")
    number = _bump(using, name)
    if number is None:
        # The series' first number ever: create the row (a concurrent creator wins the race
        # harmlessly, get_or_create retries the read), then bump it under its lock.
        Counter.objects.get_or_create(name=name, defaults={"last": FIRST_NUMBER[name] - 1})
        number = _bump(using, name)
    return number
