"""Back office: the privacy officer records a disclosure to an authority, one customer at a
time, and downloads the hand-over file (JSON or PDF)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pledge.accounts.selectors import user_for_email
from pledge.backoffice.screens import screen_required
from pledge.backoffice.security import reauth_required, staff_required
from pledge.backoffice.selectors import staff_purpose_ids
from pledge.policy.schema import RecipientType, UnknownPolicyId
from pledge.policy.selectors import current_policy

from .. import package, sources
from ..forms import AuthorityDisclosureForm
from ..services.authorities import (
    AuthorityDisclosureRefused,
    authority_categories,
    authority_disclosure_make,
    authority_package_open,
)

SCREEN = "authority_disclosures"


def _authority(recipient_id: str):
    try:
        recipient = current_policy().recipient(recipient_id)
    except UnknownPolicyId:
        raise Http404 from None
    if recipient.type != RecipientType.AUTHORITY:
        raise Http404
    return recipient


@never_cache
@staff_required
@screen_required(SCREEN)
def authority_index(request):
    authorities = [r for r in current_policy().recipients if r.type == RecipientType.AUTHORITY]
    return render(request, "partners/authority_index.html", {"authorities": authorities})


@never_cache
@staff_required
@screen_required(SCREEN)
@reauth_required
@require_http_methods(["GET", "POST"])
def authority_disclosure(request, recipient_id: str):
    recipient = _authority(recipient_id)
    policy = current_policy()
    mine = staff_purpose_ids(user=request.user)
    purposes = [policy.purpose(p) for p in recipient.purposes if p in mine]
    if not purposes:
        raise Http404
    allowed = list(
        dict.fromkeys(
            c
            for p in purposes
            for c in authority_categories(recipient_id=recipient.id, purpose_id=p.id)
        )
    )
    with_source = sources.categories_with_source()
    available = [c for c in allowed if c in with_source]
    not_held = [policy.data_category(c) for c in allowed if c not in with_source]
    form = AuthorityDisclosureForm(request.POST or None, purposes=purposes, categories=available)
    if request.method == "POST" and form.is_valid():
        user = user_for_email(email=form.cleaned_data["email"])
        if user is None or user.is_staff or not user.subject_id:
            form.add_error("email", _("No customer has this e-mail address."))
        else:
            try:
                made = authority_disclosure_make(
                    recipient_id=recipient.id,
                    purpose_id=form.cleaned_data["purpose"],
                    subject_id=user.subject_id,
                    legal_ground=form.cleaned_data["legal_ground"],
                    case_reference=form.cleaned_data["case_reference"],
                    categories=form.cleaned_data["categories"],
                    staff_id=request.user.pk,
                    withheld_from_subject=form.cleaned_data["withheld_from_subject"],
                )
            except AuthorityDisclosureRefused as error:
                form.add_error(None, str(error))
            else:
                context = {"recipient": recipient, "package": made, "labels": _labels(made)}
                return render(request, "partners/authority_done.html", context)
    context = {"recipient": recipient, "form": form, "not_held": not_held}
    return render(request, "partners/authority_form.html", context)


def _labels(made) -> list[str]:
    policy = current_policy()
    return [str(policy.data_category(c).label) for c in made.categories]


@never_cache
@staff_required
@screen_required(SCREEN)
def authority_package_download(request, message_id, file_format: str):
    if file_format not in {"json", "pdf"}:
        raise Http404
    opened = authority_package_open(
        message_id=message_id, staff_id=request.user.pk, file_format=file_format
    )
    if opened is None:
        raise Http404
    disclosure, payload = opened
    if file_format == "json":
        content, content_type = (
            package.package_json(disclosure=disclosure, payload=payload),
            ("application/json; charset=utf-8"),
        )
    else:
        content = package.package_pdf(disclosure=disclosure, payload=payload)
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="disclosure-{message_id}.{file_format}"'
    )
    return response
