"""Writes: count a page view, and rotate the daily salt (deleting what the policy says goes)."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record
from pledge.policy.selectors import current_policy

from . import requests
from .models import DailySalt, DailyVisitors, PageView

PURPOSE = "statistics"


@dataclass(frozen=True)
class Hit:
    """One page view as the request showed it; ``ip_address`` is used here and then dropped."""

    path: str
    referrer: str
    site: str
    ip_address: str
    user_agent: str
    accept_language: str


def _retention() -> timedelta:
    return timedelta(days=current_policy().purpose(PURPOSE).retention.days)


def salt_for(*, day: date) -> bytes:
    """The day's salt, made at the first page view of that day (concurrent makers agree)."""
    salt, created = DailySalt.objects.get_or_create(
        day=day, defaults={"salt": secrets.token_bytes(32)}
    )
    if created:
        # A new day: yesterday's salt may go now (the command/cron does it on quiet days).
        from .tasks import salts_rotate_task

        transaction.on_commit(salts_rotate_task.enqueue)
    return bytes(salt.salt)


def pageview_record(*, hit: Hit, day: date | None = None) -> PageView | None:
    """Count one page view; None when it is not counted (a bot, or not a page of ours)."""
    device = requests.device_class(hit.user_agent)
    path = requests.site_path(hit.path)
    if device == requests.BOT or path is None:
        return None
    day = day or timezone.localdate()
    with transaction.atomic():
        visitor = requests.visitor_hash(
            salt=salt_for(day=day),
            site=hit.site,
            ip_address=hit.ip_address,
            user_agent=hit.user_agent,
        )
        return PageView.objects.create(
            day=day,
            path=path,
            referrer_host=requests.referrer_host(hit.referrer, site_host=hit.site),
            device_class=device,
            country=requests.country_from(hit.accept_language),
            visitor_hash=visitor,
        )


def salts_rotate(*, today: date | None = None) -> int:
    """Delete every salt past the statistics retention, and the hashes made with it.

    Before a day's hashes are cleared its distinct-visitor count is kept, so the charts keep
    their history while nothing that could single out a visitor outlives the retention.
    Returns the number of salts deleted.
    """
    today = today or timezone.localdate()
    cutoff = today - _retention()
    with transaction.atomic():
        stale = PageView.objects.filter(day__lte=cutoff).exclude(visitor_hash="")
        counts = stale.values("day").annotate(visitors=Count("visitor_hash", distinct=True))
        for row in counts:
            known = DailyVisitors.objects.filter(day=row["day"]).first()
            total = row["visitors"] + (known.visitors if known else 0)
            DailyVisitors.objects.update_or_create(day=row["day"], defaults={"visitors": total})
        cleared = stale.update(visitor_hash="")
        deleted, _ = DailySalt.objects.filter(day__lte=cutoff).delete()
        if deleted or cleared:
            audit_record(
                action=AuditAction.RETENTION_SWEEP,
                object_type="analytics.dailysalt",
                purpose=PURPOSE,
                details={"salts_deleted": deleted, "hashes_cleared": cleared},
            )
    return deleted
