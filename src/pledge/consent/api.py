"""The visitor's own consent over HTTP: read it, change it (source "api").

Authenticated by the consent cookie (or nothing yet: a first PUT issues one). Cookie-borne
requests are CSRF-checked, as the forms are: a forged cross-site PUT gets 403.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyCookie

from .catalogue import CONSENT_COOKIE, optional_categories
from .middleware import consent_remember
from .models import ConsentSource
from .selectors import consent_state
from .services import ConsentRefused, consent_record
from .views import consent_withdraw_cookies


class ConsentCookie(APIKeyCookie):
    param_name = CONSENT_COOKIE

    def authenticate(self, request: HttpRequest, key: str | None):
        # A visitor without a decision may still read the (empty) state and make a first one;
        # what counts is that the CSRF check in _get_key ran.
        return key or "anonymous"


api = NinjaAPI(
    urls_namespace="consent_api",
    title="Pledge consent API",
    auth=ConsentCookie(csrf=True),
)


class ConsentOut(Schema):
    categories: list[str]
    granted: list[str]
    refused: list[str]
    must_ask: bool
    policy_version: str | None


class ConsentIn(Schema):
    granted: list[str]


def _out(state) -> ConsentOut:
    return ConsentOut(
        categories=list(optional_categories()),
        granted=sorted(state.granted),
        refused=sorted(state.refused),
        must_ask=state.must_ask,
        policy_version=state.policy_version,
    )


@api.get("/me", response=ConsentOut, summary="My cookie consent")
def consent_me(request: HttpRequest):
    return _out(request.consent)


@api.put("/me", response=ConsentOut, summary="Change my cookie consent")
def consent_me_put(request: HttpRequest, body: ConsentIn, response: HttpResponse):
    granted = set(body.granted)
    try:
        record = consent_record(
            consent_id=request.consent.consent_id,
            granted=granted,
            refused=set(optional_categories()) - granted,
            source=ConsentSource.API,
            user=request.user,
        )
    except ConsentRefused:
        known = ", ".join(optional_categories())
        message = _("Unknown cookie category; choose from: %(categories)s.")
        raise HttpError(422, message % {"categories": known}) from None
    state = consent_state(consent_id=record.consent_id)
    consent_remember(request, state)
    consent_withdraw_cookies(request, response, refused=frozenset(record.refused))
    return _out(state)
