"""Consent pages: the banner's buttons post here; the settings page is its long form."""

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from pledge.policy.selectors import current_policy

from .catalogue import GPC_REFUSES, first_party_cookies_of, optional_categories
from .forms import ConsentChoiceForm
from .middleware import consent_remember, gpc_on
from .models import ConsentSource
from .selectors import consent_state
from .services import consent_record


def safe_next(request: HttpRequest, value: str | None) -> str:
    """Only a path on this site: an open redirect would let others abuse our domain."""
    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return reverse("frame:home")


def with_saved_marker(url: str) -> str:
    # The marker lets the next page tell "cookie refused by the browser" from "not decided".
    parts = urlsplit(url)
    query = "&".join(p for p in [parts.query, urlencode({"consent": "saved"})] if p)
    return urlunsplit(parts._replace(query=query))


@require_GET
def consent_settings(request: HttpRequest) -> HttpResponse:
    policy = current_policy()
    state = request.consent
    categories = [
        {
            "category": c,
            "vendors": policy.vendors_in(c.id),
            "cookies": policy.cookies_in(c.id),
            "checked": c.id in state.granted and not state.expired,
        }
        for c in policy.cookie_categories
    ]
    return render(
        request,
        "consent/settings.html",
        {
            "categories": categories,
            "state": state,
            "gpc": gpc_on(request),
            "next": safe_next(request, request.GET.get("next")),
            "saved": request.GET.get("consent") == "saved",
        },
    )


@require_POST
def consent_decide(request: HttpRequest) -> HttpResponse:
    form = ConsentChoiceForm(request.POST)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"errors": form.errors}, status=400)
        return render(request, "consent/settings_error.html", {"form": form}, status=400)
    choice = form.cleaned_data["choice"]
    next_url = safe_next(request, form.cleaned_data["next"])
    if choice == "settings":
        return redirect(f"{reverse('consent:settings')}?{urlencode({'next': next_url})}")
    state = request.consent
    gpc = gpc_on(request) or choice == "gpc"
    source = ConsentSource.SETTINGS if choice == "save" else ConsentSource.BANNER
    if choice == "accept_all":
        granted = set(optional_categories()) - (GPC_REFUSES if gpc else set())
    elif choice == "save":
        granted = set(form.cleaned_data["categories"])
    elif choice == "gpc":  # the script saw navigator.globalPrivacyControl
        granted, source = state.granted - GPC_REFUSES, ConsentSource.GPC
    else:
        granted = set()
    refused = (
        state.refused | GPC_REFUSES
        if source == ConsentSource.GPC
        else set(optional_categories()) - granted
    )
    record = consent_record(
        consent_id=state.consent_id,
        granted=granted,
        refused=refused - granted,
        source=source,
        user=request.user,
        gpc=gpc,
    )
    consent_remember(request, consent_state(consent_id=record.consent_id))
    if wants_json:
        response = JsonResponse({"granted": record.granted, "refused": record.refused})
    else:
        response = redirect(with_saved_marker(next_url))
    consent_withdraw_cookies(request, response, refused=frozenset(record.refused))
    return response


def consent_withdraw_cookies(request, response, *, refused: frozenset[str]) -> None:
    """Delete the first-party cookies of refused categories that this browser sent us."""
    for name in first_party_cookies_of(refused, request.COOKIES):
        response.delete_cookie(name)
        # Google sets its cookies on the registrable domain: delete that copy too.
        host = request.get_host().split(":")[0]
        if "." in host and not host.replace(".", "").isdigit():
            response.delete_cookie(name, domain="." + ".".join(host.split(".")[-2:]))
