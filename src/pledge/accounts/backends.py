"""Sign-in with a username or an e-mail address, and how django-axes names the account tried."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.crypto import salted_hmac

from .selectors import user_for_login


class UsernameOrEmailBackend(ModelBackend):
    """Like ``ModelBackend``, but the login name may also be the account's e-mail address.

    Exactly one password hash is computed on every path: for an unknown account a throw-away
    hash of the submitted password, so the answer takes as long as for a real account and its
    timing does not tell whether the account exists (ASVS V6.3, no account enumeration).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(identifier=username)
        if user is None:
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials=None) -> str:
    """The name under which django-axes counts failures: the account, not what was typed.

    "sanne" and "sanne@example.nl" are one account, so they share one counter. axes stores this
    value; it is the account id (or a keyed hash of an unknown login name), never an e-mail
    address in plain text.
    """
    if credentials is not None:
        identifier = credentials.get("username")
    else:
        identifier = getattr(request, "POST", {}).get("username")
    identifier = (identifier or "").strip()
    if not identifier:
        return ""
    user = user_for_login(identifier=identifier)
    if user is not None:
        return f"account:{user.pk}"
    digest = salted_hmac("pledge.accounts.axes", identifier.lower(), algorithm="sha256")
    return f"unknown:{digest.hexdigest()[:32]}"


def account_id_from_axes_username(value: str) -> str | None:
    return value.removeprefix("account:") if value.startswith("account:") else None


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How axes names a client in its log lines: by the page only.

    Its default names the IP address (personal data, user.device.ip_address), which no log line
    may hold; the audit log's ``lockout`` event records whose account it was, by pseudonym.
    """
    path = path_info[0] if isinstance(path_info, tuple | list) else path_info
    return f'{{path_info: "{path}"}}'
