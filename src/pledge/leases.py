"""Claiming a due row of an outbox under a lease: the mail and partner outboxes share this.

A worker *claims* a message in one short transaction: it moves it from PENDING (due) to
SENDING with a lease and a fresh lease token. On PostgreSQL the candidate row is locked with
``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent workers take different messages instead of
queueing behind one; on SQLite the write lock taken at BEGIN serialises claims. The claim itself
is a conditional UPDATE, so even without row locks only one worker can win it. A worker killed
mid-send leaves a SENDING row whose lease runs out; any worker may then claim it again. Only the
holder of the token may record the outcome (each outbox does that itself).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone


class LeaseColumns(models.Model):
    """The columns a claim works on, shared by the mail and partner outbox tables (each adds
    its own ``status`` with PENDING and SENDING among its choices)."""

    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    # An exception class and a code, never the server's text (it may echo an address).
    last_error = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        abstract = True


# A claimed message and the lease token that lets its holder record the outcome.
Claim = tuple[models.Model, uuid.UUID]


@dataclass(frozen=True)
class LeasedOutbox:
    """An outbox table with ``status``, ``next_attempt_at``, ``lease_until``, ``lease_token``
    and ``attempts`` columns, and the two statuses a claim moves a row between."""

    model: type[models.Model]
    pending: str
    sending: str
    lease: Callable[[], timedelta]

    def _claimable(self, now: datetime) -> Q:
        due = Q(status=self.pending, next_attempt_at__lte=now)
        abandoned = Q(status=self.sending, lease_until__lt=now)
        return due | abandoned

    def claim(
        self, *, message_id: uuid.UUID | None = None
    ) -> tuple[models.Model, uuid.UUID] | None:
        """The next due message (or this one, if due) with its lease token; None if none."""
        now = timezone.now()
        token = uuid.uuid4()
        rows = self.model.objects
        with transaction.atomic():
            candidates = rows.filter(self._claimable(now))
            if message_id is not None:
                candidates = candidates.filter(pk=message_id)
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            pk = candidates.order_by("next_attempt_at").values_list("pk", flat=True).first()
            if pk is None:
                return None
            won = rows.filter(self._claimable(now), pk=pk).update(
                status=self.sending,
                lease_until=now + self.lease(),
                lease_token=token,
                attempts=F("attempts") + 1,
            )
        if won != 1:
            return None
        return rows.get(pk=pk), token

    def drain(self, send: Callable, *, limit: int | None = None) -> dict[str, int]:
        """Claim and ``send(message, token)`` due messages until none is left (or ``limit``);
        how many ended in each status."""
        counts: dict[str, int] = {}
        while limit is None or sum(counts.values()) < limit:
            claim = self.claim()
            if claim is None:
                break
            status = send(*claim)
            counts[status] = counts.get(status, 0) + 1
        return counts
