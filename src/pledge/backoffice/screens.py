"""The back-office screens and which purpose each serves: the navigation and the 403s.

A screen names the policy purposes it serves; a staff member sees it (in the menu and at its
URL) only when one of their roles grants one of those purposes. Screens of later issues
register here with ``screen(...)``; ``checks.py`` fails start-up when a screen names a purpose
the policy does not declare.
"""

from dataclasses import dataclass
from functools import wraps

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .denied import access_denied
from .selectors import staff_purpose_ids


@dataclass(frozen=True)
class Screen:
    name: str
    url_name: str
    label: str | Promise
    # Any one of these purposes opens the screen; empty: every signed-in staff member.
    purposes: tuple[str, ...] = ()
    in_menu: bool = True

    def allows(self, user) -> bool:
        return not self.purposes or bool(set(self.purposes) & staff_purpose_ids(user=user))

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_screens: dict[str, Screen] = {}


def screen(name: str, *, url_name: str, label, purposes: tuple[str, ...] = (), in_menu=True):
    _screens[name] = Screen(name, url_name, label, tuple(purposes), in_menu)
    return _screens[name]


def all_screens() -> list[Screen]:
    return list(_screens.values())


def screens_for(user) -> list[Screen]:
    return [item for item in _screens.values() if item.in_menu and item.allows(user)]


def screen_required(name: str):
    """View decorator (under ``staff_required``): 403 unless the person's roles open the screen."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _screens[name].allows(request.user):
                return access_denied(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


screen("dashboard", url_name="backoffice:dashboard", label=_("Dashboard"))
# Customer accounts: the support desk and the privacy officer (purpose "account").
screen("customers", url_name="backoffice:customers", label=_("Customers"), purposes=("account",))
# Marketing works with aggregates only, never with an individual's details.
screen(
    "marketing",
    url_name="backoffice:marketing",
    label=_("Marketing overview"),
    purposes=("statistics",),
)
screen("security", url_name="backoffice:security", label=_("Sign-in security"))
