"""Writes: record a consent decision, link a browser's consent id to an account."""

import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import get_language

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record, subject_pseudonym_for
from pledge.policy.selectors import current_policy

from .catalogue import optional_categories
from .models import ConsentLink, ConsentRecord, ConsentSource
from .selectors import CONSENT_ID
from .wording import banner_sha256


class ConsentRefused(ValueError):
    """A decision names a category the policy does not have, or grants and refuses one."""


def consent_id_new() -> str:
    # 24 random bytes: unguessable, so a consent id cannot be used to read another's choices.
    return secrets.token_urlsafe(24)


def consent_record(
    *,
    consent_id: str | None,
    granted: Iterable[str],
    refused: Iterable[str] = (),
    source: ConsentSource | str,
    language: str | None = None,
    user=None,
    gpc: bool = False,
) -> ConsentRecord:
    """Append a decision. Categories not named in either list are refused (no pre-ticked boxes).

    ``consent_id`` None or malformed: a fresh id is issued (the caller sets the cookie).
    """
    categories = optional_categories()
    granted, refused = frozenset(granted), frozenset(refused)
    unknown = (granted | refused) - set(categories)
    if unknown:
        raise ConsentRefused(f"unknown cookie categories: {sorted(unknown)}")
    if granted & refused:
        raise ConsentRefused("a category cannot be granted and refused at once")
    if source not in ConsentSource.values:
        raise ConsentRefused(f"unknown source {source!r}")
    if not consent_id or not CONSENT_ID.fullmatch(consent_id):
        consent_id = consent_id_new()
    refused = refused | (set(categories) - granted) if source != ConsentSource.GPC else refused
    language = (language or get_language() or "nl")[:2]
    user_id, pseudonym = _account_of(consent_id=consent_id, user=user)
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            consent_id=consent_id,
            granted=[c for c in categories if c in granted],
            refused=[c for c in categories if c in refused],
            policy_version=current_policy().policy.version,
            banner_sha256=banner_sha256(language=language, gpc=gpc),
            language=language,
            source=str(source),
            user_id=user_id,
        )
        audit_record(
            action=AuditAction.CONSENT_CHANGE,
            subject_pseudonym=pseudonym,
            object_type="consent_record",
            object_id=record.id,
            details={"granted": record.granted, "refused": record.refused, "source": source},
        )
    return record


def consent_link_account(*, consent_id: str, user) -> ConsentLink | None:
    """At sign-in: the browser's consent id now belongs to this account (Art. 7(1) proof)."""
    if not CONSENT_ID.fullmatch(consent_id or ""):
        return None
    try:
        with transaction.atomic():
            link, _ = ConsentLink.objects.get_or_create(consent_id=consent_id, user_id=user.pk)
    except IntegrityError:  # a parallel sign-in linked it first
        link = ConsentLink.objects.get(consent_id=consent_id, user_id=user.pk)
    return link


def _account_of(*, consent_id: str, user) -> tuple:
    """The account a decision belongs to: the signed-in user, else the last linked account."""
    if user is not None and getattr(user, "is_authenticated", False):
        user_id, subject_id = user.pk, getattr(user, "subject_id", None)
    else:
        link = ConsentLink.objects.filter(consent_id=consent_id).order_by("-created_at").first()
        if link is None:
            return None, None
        # The audit names the person only for a signed-in visitor: an anonymous browser's
        # claim to be somebody is not proof enough to write into their audit trail.
        return link.user_id, None
    pseudonym = subject_pseudonym_for(subject_id=subject_id) if subject_id else None
    return user_id, pseudonym
