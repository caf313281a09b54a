"""Mounted at the root, outside the language prefix: the beacon and the no-script pixel.

The back-office chart screen lives here too, at /backoffice/statistics/ and
/en/backoffice/statistics/: its route carries the language prefix the way i18n_patterns does
(``i18n_patterns`` may only be used in the root URLconf), so reverse() and the language switch
give the page in the active language.
"""

from django.conf import settings
from django.urls import path
from django.utils.functional import lazy
from django.utils.translation import get_language

from . import views


def _in_language(route: str):
    def build() -> str:
        language = get_language() or settings.LANGUAGE_CODE
        return route if language == settings.LANGUAGE_CODE else f"{language}/{route}"

    return lazy(build, str)()


app_name = "analytics"
urlpatterns = [
    path("stats/hit", views.hit, name="hit"),
    path("stats/pixel.gif", views.pixel, name="pixel"),
    path(_in_language("backoffice/statistics/"), views.statistics, name="statistics"),
]
