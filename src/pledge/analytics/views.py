"""The beacon (POST, from the script), the no-script pixel (GET) and the back-office charts.

The beacon sets no cookie and reads none itself: what it counts comes from the request line and
headers. The IP address is passed to the hash and then dropped; it is never logged or stored.
"""

import json
from urllib.parse import urlsplit

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from pledge.backoffice.screens import screen_required
from pledge.backoffice.security import staff_required
from pledge.policy.selectors import current_policy

from . import charts
from .requests import MAX_PATH, MAX_REFERRER
from .selectors import analytics_refused, statistics_summary
from .services import Hit, pageview_record

MAX_BODY = MAX_PATH + MAX_REFERRER + 64
# The smallest transparent GIF: the no-script fallback answers with an image.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def _same_origin(request) -> bool:
    """Only our own pages may count (CSRF-exempt, so the origin check is the guard)."""
    site = request.get_host()  # checked against ALLOWED_HOSTS
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == f"{request.scheme}://{site}"
    referer = urlsplit(request.headers.get("Referer", ""))
    return referer.scheme == request.scheme and referer.netloc == site


def _count(request, *, path: str, referrer: str) -> None:
    if analytics_refused(request):
        return
    pageview_record(
        hit=Hit(
            path=path,
            referrer=referrer,
            site=request.get_host(),
            # Held in memory for this request only, for the hash.
            ip_address=request.META.get("REMOTE_ADDR", ""),
            user_agent=request.headers.get("User-Agent", "")[:512],
            accept_language=request.headers.get("Accept-Language", "")[:256],
        )
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def hit(request):
    if not _same_origin(request):
        return HttpResponseForbidden(_("Statistics are only accepted from this site's pages."))
    body = request.body[: MAX_BODY + 1]
    try:
        if len(body) > MAX_BODY:
            raise ValueError
        beacon = json.loads(body)
        path, referrer = beacon["p"], beacon.get("r", "")
        if not isinstance(path, str) or not isinstance(referrer, str):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest(_("A page view needs a JSON object with a page path."))
    if len(path) > MAX_PATH or len(referrer) > MAX_REFERRER or not path.startswith("/"):
        return HttpResponseBadRequest(_("The page path or referrer is not valid."))
    _count(request, path=path, referrer=referrer)
    return _no_store(HttpResponse(status=204))


@require_GET
def pixel(request):
    """Without script: the image request's Referer is the page (same origin, full URL)."""
    if not _same_origin(request):
        return HttpResponseForbidden(_("Statistics are only accepted from this site's pages."))
    page = urlsplit(request.headers.get("Referer", "")).path
    if page:
        _count(request, path=page, referrer="")
    return _no_store(HttpResponse(PIXEL, content_type="image/gif"))


def _category_rows(rates: dict[str, float]) -> list[tuple[str, float]]:
    """Rates under the categories' names in the reader's language, in policy order."""
    return [
        (str(category.name), rates[category.id])
        for category in current_policy().cookie_categories
        if category.id in rates
    ]


@never_cache
@staff_required
@screen_required("statistics")
def statistics(request):
    # Aggregates only: no page shows one visitor's hash, path or day.
    summary = statistics_summary(days=30)
    context = {
        "summary": summary,
        "daily": charts.daily_chart(summary.days),
        "pages": charts.rank_chart(summary.top_pages),
        "referrers": charts.rank_chart(summary.top_referrers),
        "devices": charts.rank_chart(summary.devices),
        "consent": (
            charts.share_chart(_category_rows(summary.consent_rates))
            if summary.consent_rates is not None
            else None
        ),
    }
    return render(request, "analytics/statistics.html", context)
