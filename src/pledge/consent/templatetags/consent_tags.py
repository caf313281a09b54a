"""Template tags for the site frame: the banner, the consented vendor scripts."""

import json
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ..catalogue import CONSENT_COOKIE, uses_google, vendor_script_url, vendors_granted
from ..middleware import gpc_on
from ..selectors import ConsentState
from ..wording import banner_context

register = template.Library()


def _state(request) -> ConsentState:
    return getattr(request, "consent", None) or ConsentState()


@register.inclusion_tag("consent/slot.html", takes_context=True)
def consent_banner(context):
    """The banner when the visitor has not (or no longer validly) decided; else nothing."""
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return {"show": None}
    if request.resolver_match.app_name == "consent":
        return {"show": None}  # the settings page is the banner's long form
    saved = request.GET.get("consent") == "saved"
    if saved and CONSENT_COOKIE not in request.COOKIES:
        # We redirected here after a choice and the cookie did not come back: say so, once,
        # instead of asking again and again.
        return {"show": "note"}
    if not _state(request).must_ask:
        return {"show": None}
    try:
        action = reverse("consent:decide")
    except NoReverseMatch:  # a page served under another URLconf (tests, error pages)
        return {"show": None}
    path = request.get_full_path()
    return {
        "action": action,
        "csp_nonce": context.get("csp_nonce"),
        **banner_context(gpc=gpc_on(request)),
        "show": "banner",
        "next": path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else "/",
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.inclusion_tag("consent/scripts.html", takes_context=True)
def consent_scripts(context):
    """Vendor tags for consented categories only, after Google Consent Mode's defaults."""
    request = context.get("request")
    state = _state(request)
    allowed = frozenset(c for c in state.granted if state.allows(c))
    mode = None
    if uses_google():

        def signal(category: str) -> str:
            return "granted" if category in allowed else "denied"

        mode = json.dumps(
            {
                "ad_storage": signal("advertising"),
                "ad_user_data": signal("advertising"),
                "ad_personalization": signal("advertising"),
                "analytics_storage": signal("analytics"),
            },
            sort_keys=True,
        )
    scripts = [url for v in vendors_granted(allowed) if (url := vendor_script_url(v))]
    return {
        "consent_mode": mode,
        "vendor_scripts": list(dict.fromkeys(scripts)),
        "csp_nonce": context.get("csp_nonce"),
    }


@register.simple_tag(takes_context=True)
def consent_settings_url(context) -> str:
    """The settings page, with the current page to come back to; "" where not mounted."""
    try:
        url = reverse("consent:settings")
    except NoReverseMatch:
        return ""
    request = context.get("request")
    return f"{url}?{urlencode({'next': request.get_full_path()})}" if request else url
