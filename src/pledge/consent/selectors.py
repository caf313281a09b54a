"""Reads: a visitor's consent state, and the records that prove it."""

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .catalogue import (
    CONSENT_COOKIE,
    changed_materially_since,
    consent_cookie_max_age,
    optional_categories,
)
from .models import ConsentRecord

_TABLE = ConsentRecord._meta.db_table

# A consent id is ours only if it has the shape we issue (secrets.token_urlsafe(24)).
CONSENT_ID = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class ConsentState:
    """What a visitor decided, and whether the banner must (again) ask them."""

    consent_id: str | None = None
    granted: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    policy_version: str | None = None  # of the standing decision
    # Re-ask: the policy changed materially or the decision is older than the cookie's lifetime.
    expired: bool = False
    undecided: tuple[str, ...] = field(default=())

    @property
    def must_ask(self) -> bool:
        return self.expired or bool(self.undecided)

    def allows(self, category: str) -> bool:
        return not self.expired and category in self.granted


def consent_id_from(cookies) -> str | None:
    value = cookies.get(CONSENT_COOKIE, "")
    return value if CONSENT_ID.fullmatch(value) else None


def consent_records_for(*, consent_id: str) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(consent_id=consent_id).order_by("created_at")


def _standing_decision(consent_id: str) -> tuple[list, list, str, bool] | None:
    """(granted, refused, policy version, too old) of the latest decision, or None.

    Runs on every request of a visitor who has chosen, so it is one plain indexed query rather
    than an ORM query that is compiled anew each time (measured in bench/consent.py).
    """
    oldest_valid = timezone.now() - timedelta(seconds=consent_cookie_max_age())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT granted, refused, policy_version, created_at < %s FROM {_TABLE} "  # noqa: S608
            "WHERE consent_id = %s ORDER BY created_at DESC LIMIT 1",
            [oldest_valid, consent_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    granted, refused, policy_version, too_old = row
    return _json_list(granted), _json_list(refused), policy_version, bool(too_old)


def _json_list(value) -> list:
    # SQLite hands JSON columns back as text; PostgreSQL's driver may already decode them.
    return json.loads(value) if isinstance(value, str | bytes) else list(value)


def consent_state(*, consent_id: str | None) -> ConsentState:
    categories = optional_categories()
    decision = _standing_decision(consent_id) if consent_id else None
    if decision is None:
        return ConsentState(consent_id=consent_id, undecided=categories)
    granted, refused, policy_version, too_old = decision
    granted = frozenset(granted) & set(categories)
    refused = frozenset(refused) & set(categories)
    expired = too_old or changed_materially_since(policy_version)
    return ConsentState(
        consent_id=consent_id,
        granted=frozenset() if expired else granted,
        refused=refused,
        policy_version=policy_version,
        expired=expired,
        undecided=tuple(c for c in categories if c not in granted | refused),
    )


def category_refused(request, category: str) -> bool:
    """Whether this visitor's standing decision refuses ``category`` (for other apps' checks)."""
    state = getattr(request, "consent", None) or consent_state(
        consent_id=consent_id_from(request.COOKIES)
    )
    return category in state.refused and not state.granted & {category}


def consent_rates(*, days: int = 30) -> dict[str, float]:
    """Per optional cookie category, the share of consent ids whose latest decision grants it.

    Only decisions of the last ``days`` count; an id's earlier decisions are overruled by its
    latest one. Aggregates only: no consent id or record leaves this function. Empty when no
    decision was made in the window.
    """
    since = timezone.now() - timedelta(days=days)
    window = ConsentRecord.objects.filter(created_at__gte=since)
    latest = window.filter(consent_id=OuterRef("consent_id")).order_by("-created_at", "-id")
    latest_ids = Subquery(latest.values("id")[:1])
    decisions = window.filter(id=latest_ids).values_list("granted", flat=True)
    categories = optional_categories()
    granted_count = dict.fromkeys(categories, 0)
    total = 0
    for granted in decisions.iterator():
        total += 1
        for category in set(granted) & granted_count.keys():
            granted_count[category] += 1
    if not total:
        return {}
    return {category: granted_count[category] / total for category in categories}
