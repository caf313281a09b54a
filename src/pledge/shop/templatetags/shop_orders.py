"""Filters for order pages and mails: ``{% load shop_orders %}``.

``{{ line|localized }}`` gives a stored order line's (or delivery method's) name in the active
language; ``{{ order.status|status_label }}`` the status as the customer reads it;
``{{ order.payment_method|payment_label }}`` the payment method as the checkout offered it.
"""

from django import template

from ..checkout import in_language
from ..models import OrderStatus

register = template.Library()


@register.filter
def localized(item) -> str:
    return in_language(item.name_nl, item.name_en)


@register.filter
def status_label(status: str) -> str:
    try:
        return str(OrderStatus(status).label)
    except ValueError:
        return status


@register.filter
def payment_label(code: str) -> str:
    from pledge.partners.services import payment_methods

    for method in payment_methods():
        if method.code == code:
            return str(method.label)
    return code  # a method no longer offered is still named, by its code
