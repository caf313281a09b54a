"""Template filters for masked personal data: ``{{ customer.email|mask_email }}``."""

from django import template

from pledge.backoffice import masking

register = template.Library()

register.filter("mask_email", masking.mask_email)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_name", masking.mask_name)
register.filter("mask_address", masking.mask_address)
