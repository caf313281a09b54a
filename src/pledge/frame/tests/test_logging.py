"""Personal data never reaches a log line, even when a request carrying it crashes.

The proof goes through the handlers the settings configure (not a test double): their streams
are swapped for a buffer, a POST with made-up personal data hits a view that fails with that data
in its exception message, and the buffer is searched for it.
"""

import io
import logging
from contextlib import contextmanager

from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

# Canary values: made up, distinctive, and never written anywhere but this request.
CANARY_NAME = "Wilhelmina Zonnebloem-Kwakernaak"
CANARY_EMAIL = "w.zonnebloem.canary@voorbeeld.nl"
CANARY_PHONE = "+31 6 4817 2093"
CANARIES = (CANARY_NAME, CANARY_EMAIL, CANARY_PHONE)

shop_logger = logging.getLogger("pledge.shop")


def save_contact_form(request):
    # The everyday leak: a database error that quotes the offending values.
    message = (
        f"Key (email)=({request.POST['email']}) already exists for "
        f"{request.POST['name']}, {request.POST['phone']}"
    )
    try:
        raise ValueError(message)
    except ValueError:
        shop_logger.exception("Saving the contact form failed")
        raise


urlpatterns = [path("contact/", save_contact_form)]
handler500 = "pledge.frame.views.server_error"


@contextmanager
def configured_log_output():
    """Everything the configured handlers of ``django.request`` and the root logger write."""
    buffer = io.StringIO()
    configured = set(settings.LOGGING["handlers"])
    handlers = {
        handler
        for logger in (logging.getLogger("django.request"), logging.getLogger())
        for handler in logger.handlers
        if handler.name in configured
    }
    assert handlers, "no configured handler found: the test would prove nothing"
    previous = {handler: handler.setStream(buffer) for handler in handlers}
    try:
        yield buffer
    finally:
        for handler, stream in previous.items():
            handler.setStream(stream)


@override_settings(ROOT_URLCONF=__name__)
def test_crashing_request_logs_no_personal_data_from_its_post_or_exception():
    client = Client(raise_request_exception=False)
    with configured_log_output() as output:
        response = client.post(
            "/contact/", {"name": CANARY_NAME, "email": CANARY_EMAIL, "phone": CANARY_PHONE}
        )
    log = output.getvalue()

    assert response.status_code == 500
    # The crash is logged (so this test can fail), with its type and place, not its values.
    assert "Internal Server Error" in log
    assert "Saving the contact form failed" in log
    assert "ValueError" in log
    for canary in CANARIES:
        assert canary not in log, f"{canary!r} leaked into the log"
        assert canary not in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_scrubbing_holds_when_another_handler_formats_the_record_first():
    # A handler added later in production (an error tracker, a file log) may sit in front of
    # the console handler and cache the unscrubbed traceback text on the record.
    other = logging.StreamHandler(io.StringIO())
    other.setFormatter(logging.Formatter("%(message)s"))
    request_logger = logging.getLogger("django.request")
    request_logger.handlers.insert(0, other)
    try:
        with configured_log_output() as output:
            Client(raise_request_exception=False).post(
                "/contact/", {"name": CANARY_NAME, "email": CANARY_EMAIL, "phone": CANARY_PHONE}
            )
    finally:
        request_logger.removeHandler(other)
    log = output.getvalue()
    assert "Internal Server Error" in log
    for canary in CANARIES:
        assert canary not in log
