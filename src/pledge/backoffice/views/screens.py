"""The dashboard, the marketing overview and the staff member's own sign-in security page."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pledge.accounts.selectors import customer_count

from ..screens import screen_required, screens_for
from ..security import reauth_required, staff_required
from ..selectors import staff_purposes, staff_roles
from ..two_factor import recovery_codes_issue, recovery_codes_left


@never_cache
@staff_required
@screen_required("dashboard")
def dashboard(request):
    context = {
        "roles": staff_roles(user=request.user),
        "purposes": staff_purposes(user=request.user),
        "screens": [item for item in screens_for(request.user) if item.name != "dashboard"],
        "recovery_codes_left": recovery_codes_left(user=request.user),
    }
    return render(request, "backoffice/dashboard.html", context)


@never_cache
@staff_required
@screen_required("marketing")
def marketing(request):
    # Aggregates only: marketing never sees one person's details.
    return render(request, "backoffice/marketing.html", {"customer_count": customer_count()})


@never_cache
@staff_required
@screen_required("security")
def security_page(request):
    return render(
        request,
        "backoffice/security.html",
        {"recovery_codes_left": recovery_codes_left(user=request.user)},
    )


@never_cache
@staff_required
@reauth_required
def recovery_codes_renew(request):
    """A sensitive action: new recovery codes invalidate the old ones, so re-auth first."""
    if request.method != "POST":
        return render(request, "backoffice/recovery_codes_confirm.html")
    codes = recovery_codes_issue(user=request.user)
    return render(request, "backoffice/recovery_codes.html", {"codes": codes, "next": None})
