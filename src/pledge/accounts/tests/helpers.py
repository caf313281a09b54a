import re

from django.urls import reverse

from pledge.accounts.models import User
from pledge.audit.models import AuditEvent

LINK = re.compile(r"https?://testserver(/[^\s\"<]+)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
NONCE = re.compile(r' nonce="[^"]*"')  # a fresh CSP nonce on every response


def link_in(message: dict) -> str:
    """The path of the (only) link in a mail's text body."""
    return LINK.search(message["body_text"])[1]


def neutral(response, *values: str) -> str:
    """The page without its CSRF token, its CSP nonces and the values the visitor typed."""
    html = NONCE.sub("", CSRF.sub("", response.content.decode()))
    for value in values:
        html = html.replace(value, "<typed>")
    return html


def register(client, *, username, email, password, **extra):
    return client.post(
        reverse("accounts:register"),
        {"username": username, "email": email, "password": password},
        **extra,
    )


def login(client, identifier, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": identifier, "password": password}, **extra
    )


def user_named(username) -> User:
    return User.objects.get(username=username)


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
