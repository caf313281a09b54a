"""Purpose-bound access: a record with personal data opens only for a stated purpose.

Opening such a record first asks why (one of the purposes the staff member's roles allow, from
the policy, and optionally an order or ticket number). The choice holds for that one record for
BACKOFFICE_PURPOSE_MINUTES, kept in the session. Every time the record is shown, a
``personal_data_viewed`` row names the staff member, the purpose and the record (Art. 5(2)
accountability); the page is only sent once that row is committed. A purpose outside the
person's roles is refused with a 403, never shown as data.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record
from pledge.policy.schema import Purpose, UnknownPolicyId
from pledge.policy.selectors import current_policy

from .denied import access_denied
from .forms import PurposeForm
from .security import now
from .selectors import purposes_for_subject, visible_categories

GRANTS = "backoffice.purposes"


@dataclass
class PurposeGrant:
    """What the view may show: the purpose, and the data categories role and purpose share."""

    purpose: Purpose
    reference: str
    categories: frozenset[str]
    until: float
    # The view names the record for the audit row (a person by their pseudonym).
    object_type: str = ""
    object_id: str = ""
    shown: set[str] = field(default_factory=set)

    def may_show(self, category: str) -> bool:
        return category in self.categories


def _grant_key(kind: str, object_id) -> str:
    return f"{kind}:{object_id}"


def _grant_get(request, key: str) -> dict | None:
    grant = request.session.get(GRANTS, {}).get(key)
    if not grant or grant.get("until", 0) < now():
        return None
    return grant


def _grant_store(request, key: str, *, purpose_id: str, reference: str) -> None:
    grants = {
        other: grant
        for other, grant in request.session.get(GRANTS, {}).items()
        if grant.get("until", 0) >= now()
    }
    grants[key] = {
        "purpose": purpose_id,
        "reference": reference,
        "until": now() + settings.BACKOFFICE_PURPOSE_MINUTES * 60,
    }
    request.session[GRANTS] = grants


def purpose_required(*, kind: str, data_subject: str, id_kwarg: str):
    """View decorator for a record with personal data (use under ``staff_required``).

    ``kind`` names the record type ("customer"), ``data_subject`` the policy data subject it
    is about, ``id_kwarg`` the URL argument identifying it. The view receives ``access`` (a
    ``PurposeGrant``), must set ``access.object_type``/``object_id`` and should add the data
    categories it shows to ``access.shown``; the audit row is written after it returns.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            allowed = purposes_for_subject(user=user, data_subject=data_subject)
            if not allowed:
                return access_denied(request)
            key = _grant_key(kind, kwargs[id_kwarg])
            if request.method == "POST":
                return _choose(request, key, allowed)
            grant = None if request.GET.get("choose") else _grant_get(request, key)
            if grant is None or grant["purpose"] not in {p.id for p in allowed}:
                form = PurposeForm(purposes=allowed)
                return render(request, "backoffice/purpose_form.html", {"form": form})
            purpose = current_policy().purpose(grant["purpose"])
            access = PurposeGrant(
                purpose=purpose,
                reference=grant["reference"],
                categories=visible_categories(user=user, purpose_id=purpose.id),
                until=grant["until"],
            )
            with transaction.atomic():
                response = view(request, *args, access=access, **kwargs)
                if 200 <= response.status_code < 300:
                    _record_view(user, access)
            return response

        return wrapper

    return decorate


def _choose(request, key: str, allowed: list[Purpose]):
    posted = request.POST.get("purpose", "")
    if posted and posted not in {purpose.id for purpose in allowed}:
        try:
            current_policy().purpose(posted)
        except UnknownPolicyId:
            pass  # not a purpose at all: the form says so below
        else:
            # A real purpose, but not one of this person's roles: refused, not re-asked.
            return access_denied(request)
    form = PurposeForm(request.POST, purposes=allowed)
    if not form.is_valid():
        return render(request, "backoffice/purpose_form.html", {"form": form}, status=400)
    _grant_store(
        request,
        key,
        purpose_id=form.cleaned_data["purpose"],
        reference=form.cleaned_data["reference"],
    )
    return redirect(request.path)


def _record_view(user, access: PurposeGrant) -> None:
    details: dict = {"categories": sorted(access.shown or access.categories)}
    if access.reference:
        details["reference"] = access.reference
    audit_record(
        action=AuditAction.PERSONAL_DATA_VIEWED,
        staff_id=user.pk,
        purpose=access.purpose.id,
        object_type=access.object_type,
        object_id=access.object_id,
        details=details,
    )
