"""``{% social_buttons url title %}``: two-click share buttons (Facebook, LinkedIn).

Nothing is loaded from the networks until the visitor asks: the first click only opens a local
notice saying that the network will receive their data, the second follows a plain share link in
a new tab. It is HTML alone (<details>), so it works the same without JavaScript and needs no
exception in the strict CSP.
"""

from django import template

from pledge.social.selectors import share_buttons_for

register = template.Library()


@register.inclusion_tag("social/buttons.html", takes_context=True)
def social_buttons(context, url: str, title: str) -> dict:
    request = context.get("request")
    page_url = request.build_absolute_uri(url) if request is not None else url
    return {"buttons": share_buttons_for(page_url=page_url), "title": title}
