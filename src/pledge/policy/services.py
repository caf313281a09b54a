"""Writes of the policy app."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from pledge.audit.services import AuditAction, audit_record

from .loader import parse_policy
from .models import PublishedPolicy


@transaction.atomic
def policy_publish(*, path: str | Path | None = None) -> tuple[PublishedPolicy, bool]:
    """Record the policy file as published; returns (record, created). Idempotent per content."""
    path = Path(path or settings.PLEDGE_POLICY)
    source = path.read_text(encoding="utf-8")
    policy = parse_policy(source, source=str(path))  # never publish a file that does not load
    digest = hashlib.sha256(source.encode()).hexdigest()
    record, created = PublishedPolicy.objects.get_or_create(
        sha256=digest,
        defaults={
            "version": policy.policy.version,
            "effective": policy.policy.effective,
            "source": source,
        },
    )
    if created:
        audit_record(
            action=AuditAction.POLICY_CHANGE,
            object_type="policy",
            object_id=str(record.pk),
            details={"version": record.version},
        )
    return record, created
