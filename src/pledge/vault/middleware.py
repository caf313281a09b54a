"""Request-scoped key cache and the friendly answer when the vault database is down.

Add both to MIDDLEWARE, after the session and authentication middleware::

    "pledge.vault.middleware.VaultUnavailableMiddleware",
    "pledge.vault.middleware.KeyCacheMiddleware",
"""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
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


class VaultUnavailableMiddleware(_SyncAndAsyncMiddleware):
    """Turns ``VaultUnavailable`` raised by a view into a 503 page instead of a 500.

    The view's database transaction (ATOMIC_REQUESTS or its own ``atomic``) has rolled back by
    the time the exception arrives here, so the visitor sees "try again", not half a change.
    """

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        return self.get_response(request)

    async def _acall(self, request):
        return await self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, VaultUnavailable):
            return vault_unavailable_response(request)
        return None
