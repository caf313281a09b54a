import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from pledge.policy.selectors import current_policy

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "frame/home.html")


# Own error pages: they show what happened in the visitor's language and nothing of the internals.
def _error(request, status: int):
    return render(request, f"frame/errors/{status}.html", status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(request, 404)


# The last resort: whatever broke (the policy, the database, a context processor) may break a
# normal render too. So no request context, and a plain-text answer if even the template fails.
_LAST_RESORT = "500 Internal Server Error / Er ging iets mis. Probeer het later opnieuw."


def server_error(request):
    try:
        return HttpResponseServerError(
            loader.get_template("frame/errors/500.html").render({"shop_name": _shop_name()})
        )
    except Exception:
        logger.exception("The 500 page itself failed to render")
        return HttpResponseServerError(_LAST_RESORT, content_type="text/plain; charset=utf-8")


def _shop_name() -> str:
    try:
        return current_policy().controller.name
    except Exception:
        return ""
