"""The configured master keys must open the keys stored in the vault, or the shop does not start.

A well-formed but wrong ``PLEDGE_MASTER_KEY`` (or one that dropped a version still in use)
passes ``conf``'s format checks, yet every read of personal data would then fail. So at
start-up (``pledge.cli.start``: every ``pledge`` command, ``pledge.wsgi``, ``pledge.asgi``)
one stored key of each master key version in use is unwrapped, and ``pledge check`` reports the
same as vault.E004 (version not listed) and vault.E005 (wrong key).
"""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .exceptions import VaultUnavailable
from .keys import master_keys_unusable
from .routers import VAULT_APP, VAULT_DATABASE

_HINT_NOT_LISTED = (
    "List that version again in PLEDGE_MASTER_KEY; drop it only after "
    "`pledge vault rotate-master-key` has re-wrapped every key."
)
_HINT_WRONG = "Set PLEDGE_MASTER_KEY to the keys the vault was written with."


def master_keys_verify() -> None:
    """Refuse with one line (``ImproperlyConfigured``) when a master key version in use is
    missing from ``PLEDGE_MASTER_KEY`` or is not the key that wrapped the stored keys.

    ``VaultUnavailable`` (the vault database cannot be reached) is left to the caller: an
    outage is not a configuration mistake, and the shop answers 503 for personal data meanwhile.
    """
    unusable = master_keys_unusable()
    if unusable:
        raise ImproperlyConfigured("; ".join(problem.message for problem in unusable) + ".")


@register("vault")
def master_keys_open_the_vault(app_configs=None, databases=None, **kwargs) -> list[Error]:
    if app_configs is not None and VAULT_APP not in {config.label for config in app_configs}:
        return []
    # `pledge migrate` checks only the database it migrates; `pledge check` checks them all.
    if databases is not None and VAULT_DATABASE not in databases:
        return []
    try:
        unusable = master_keys_unusable()
    except VaultUnavailable:
        return []  # nothing to say about the keys; the outage shows wherever the vault is used
    return [
        Error(
            problem.message + ".",
            hint=_HINT_WRONG if problem.listed else _HINT_NOT_LISTED,
            id="vault.E005" if problem.listed else "vault.E004",
        )
        for problem in unusable
    ]
