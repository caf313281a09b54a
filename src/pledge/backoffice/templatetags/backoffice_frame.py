"""The back-office menu: only the screens the signed-in staff member's roles open."""

from django import template

from pledge.backoffice.screens import screens_for
from pledge.backoffice.security import is_backoffice_user
from pledge.backoffice.selectors import staff_roles

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_menu(context):
    request = context.get("request")
    if request is None or not is_backoffice_user(request):
        return []
    return screens_for(request.user)


@register.simple_tag(takes_context=True)
def backoffice_roles(context):
    request = context.get("request")
    return staff_roles(user=request.user) if request is not None else []
