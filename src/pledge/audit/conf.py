"""The audit app's settings, read from Django settings first and then from the environment."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CHECKPOINT_EVERY_SETTING = "PLEDGE_AUDIT_CHECKPOINT_EVERY"
DEFAULT_CHECKPOINT_EVERY = 1000


def checkpoint_every() -> int:
    """Sign a checkpoint automatically every this many events (0: only by command)."""
    value = getattr(settings, CHECKPOINT_EVERY_SETTING, None)
    if value is None:
        value = os.environ.get(CHECKPOINT_EVERY_SETTING, DEFAULT_CHECKPOINT_EVERY)
    try:
        every = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{CHECKPOINT_EVERY_SETTING} must be a number") from None
    if every < 0:
        raise ImproperlyConfigured(f"{CHECKPOINT_EVERY_SETTING} must be 0 or more")
    return every
