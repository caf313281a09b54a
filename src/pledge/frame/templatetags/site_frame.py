"""Tags for the site frame: the language switch."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, override

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[LanguageLink]:
    """The current page in every other language, as plain links.

    The language lives in the URL (i18n_patterns), so the switch is an ordinary link: no cookie,
    no form, no script. A page that does not resolve (a 404) links to the other language's home.
    """
    request = context.get("request")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url = _home(code)
        if request is not None:
            path = request.get_full_path()
            translated = translate_url(path, code)
            if translated != path:
                url = translated
        links.append(LanguageLink(code=code, name=name, url=url))
    return links


def _home(code: str) -> str:
    with override(code):
        try:
            return reverse("frame:home")
        except NoReverseMatch:
            return "/"
