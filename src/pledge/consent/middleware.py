"""Enforce the visitor's cookie choice on every response.

- The Content-Security-Policy lists only the hosts of vendors the visitor consented to, so a
  script tag slipped in elsewhere still cannot reach an unconsented third party.
- Global Privacy Control (``Sec-GPC: 1``) is recorded as a refusal of advertising and social.
- The consent cookie is set here, after a decision, and holds only the random consent id.

Listed right after Django's ContentSecurityPolicyMiddleware: its ``process_response`` runs after
ours and builds the header from the ``_csp_config`` we leave on the response.
"""

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP

from .catalogue import (
    CONSENT_COOKIE,
    GPC_HEADER,
    GPC_REFUSES,
    consent_cookie_max_age,
    vendors_granted,
)
from .models import ConsentSource
from .selectors import ConsentState, consent_id_from, consent_state
from .services import consent_record

# Directives a consented vendor may use: its tag (script), its beacons (connect, img) and, for
# the social buttons, its frame.
VENDOR_DIRECTIVES = ("script-src", "connect-src", "img-src", "frame-src")


def gpc_on(request) -> bool:
    return request.headers.get(GPC_HEADER, "").strip() == "1"


def consent_remember(request, state: ConsentState) -> None:
    """Make ``state`` the request's consent state; its id goes into the cookie on the way out."""
    request.consent = state
    request._consent_set_cookie = True


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        consent_id = consent_id_from(request.COOKIES)
        request.consent = consent_state(consent_id=consent_id)
        request._consent_set_cookie = False
        response = self.get_response(request)
        self._apply(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Here, not in __call__: the session and the signed-in user are known by now.
        if gpc_on(request) and not request.consent.refused >= GPC_REFUSES:
            self._record_gpc(request)

    def _record_gpc(self, request) -> None:
        # The signal decides advertising and social without a click; analytics is still asked.
        state = request.consent
        record = consent_record(
            consent_id=state.consent_id,
            granted=state.granted - GPC_REFUSES,
            refused=state.refused | GPC_REFUSES,
            source=ConsentSource.GPC,
            user=getattr(request, "user", None),
            gpc=True,
        )
        consent_remember(request, consent_state(consent_id=record.consent_id))

    def _apply(self, request, response) -> None:
        # The page differs per consent cookie and per GPC signal: no shared cache may mix them.
        patch_vary_headers(response, ("Cookie", GPC_HEADER))
        state = request.consent
        hosts = sorted(
            {f"https://{host}" for v in vendors_granted(_allowed(state)) for host in v.hosts}
        )
        base = getattr(response, "_csp_config", None) or settings.SECURE_CSP
        if hosts and base:
            # Widen a copy: the configured policy itself stays strict for the next visitor.
            config = dict(base)
            for directive in VENDOR_DIRECTIVES:
                values = list(config.get(directive) or config.get("default-src") or [CSP.SELF])
                config[directive] = [*values, *hosts]
            response._csp_config = config
        if request._consent_set_cookie and state.consent_id:
            response.set_cookie(
                CONSENT_COOKIE,
                state.consent_id,
                max_age=consent_cookie_max_age(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )


def _allowed(state: ConsentState) -> frozenset[str]:
    return frozenset(c for c in state.granted if state.allows(c))
