"""Request-scoped key cache and the friendly answer when the vault database is down.

In MIDDLEWARE, ``KeyCacheMiddleware`` goes first (every key a request unwraps is dropped when
it ends) and ``VaultUnavailableMiddleware`` right after ``LocaleMiddleware``: it answers in the
visitor's language, and every middleware that may need the vault (a session time-out signs the
person out, which is audited under their pseudonym) runs inside it.
"""

import sys

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.signals import got_request_exception
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from .exceptions import VaultUnavailable
from .keys import key_scope

RETRY_AFTER_SECONDS = 60


class _SyncAndAsyncMiddleware:
    """Runs in a sync (WSGI) and an async (ASGI) stack alike, as Django's own middleware do."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)


class KeyCacheMiddleware(_SyncAndAsyncMiddleware):
    """Unwrapped subject keys are cached for this request only, then dropped."""

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        with key_scope():
            return self.get_response(request)

    async def _acall(self, request):
        with key_scope():
            return await self.get_response(request)


def vault_unavailable_response(request) -> HttpResponse:
    """503 with a short explanation; usable from a handler500 as well."""
    response = HttpResponse(render_to_string("vault/unavailable.html", request=request), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


_UNAVAILABLE = "_pledge_vault_unavailable"


def _note_vault_unavailable(sender, request=None, **kwargs) -> None:
    # Django turns an exception raised inside a middleware into a 500 before any outer
    # middleware sees it, and announces it with this signal while it is being handled.
    if request is not None and isinstance(sys.exception(), VaultUnavailable):
        setattr(request, _UNAVAILABLE, True)


got_request_exception.connect(_note_vault_unavailable, dispatch_uid="pledge.vault.unavailable")


class VaultUnavailableMiddleware(_SyncAndAsyncMiddleware):
    """Turns ``VaultUnavailable`` into a 503 page instead of a 500.

    Raised by a view, it arrives in ``process_exception``; raised by a middleware inside this
    one, Django has already made it a 500, which is replaced. Either way the database
    transaction it happened in has rolled back, so the visitor sees "try again", not half a
    change.
    """

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        return self._answer(request, self.get_response(request))

    async def _acall(self, request):
        return self._answer(request, await self.get_response(request))

    @staticmethod
    def _answer(request, response):
        if response.status_code == 500 and getattr(request, _UNAVAILABLE, False):
            return vault_unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, VaultUnavailable):
            return vault_unavailable_response(request)
        return None
