"""``{{ amount|money }}``: EUR in the page's language ("€ 12,95" on Dutch pages, "€12.95" on
English ones). For any shop template: ``{% load shop_money %}``."""

from django import template

from ..catalogue_selectors import price_format

register = template.Library()


@register.filter
def money(amount) -> str:
    if amount in (None, ""):
        return ""
    return price_format(amount)
