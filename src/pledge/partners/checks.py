"""Start-up checks (``pledge check``): every partner the settings name is one the policy names,
every partner the shop needs has a working adapter, and production runs no stand-ins.

partners.E001  a configured recipient is not in the policy (or is no partner type)
partners.E002  an adapter cannot be imported or does not serve the recipient's type
partners.E003  an adapter's configuration is incomplete (a URL, a secret, an API key)
partners.E004  a payment, delivery or supplier recipient of the policy has no adapter
partners.W001  a review collector has no adapter: review invitations are off
partners.W002  a test/sandbox adapter is configured in production
"""

from django.conf import settings
from django.core.checks import Error, Warning, register

from pledge.policy.problems import PolicyError
from pledge.policy.schema import RecipientType, UnknownPolicyId
from pledge.policy.selectors import current_policy

from . import conf, loader
from .adapters.base import PARTNER_TYPES

REQUIRED_TYPES = {RecipientType.PAYMENT, RecipientType.DELIVERY, RecipientType.SUPPLIER}


@register("partners")
def partners_match_the_policy(app_configs=None, **kwargs):
    try:
        policy = current_policy()
    except PolicyError:  # the policy app's own check reports a broken policy
        return []
    problems = _unknown_recipients(policy)
    configs = loader.partner_configs(policy)
    for recipient in policy.recipients:
        if recipient.type not in PARTNER_TYPES:
            continue
        config = configs.get(recipient.id)
        if config is None:
            problems.append(_missing(recipient))
            continue
        try:
            adapter = loader.adapter_build(config, recipient.type)
        except (ImportError, TypeError, ValueError) as error:
            problems.append(
                Error(
                    f"The adapter for partner {recipient.id!r} cannot be used: {error}",
                    hint="Set ADAPTER to one of "
                    f"{', '.join(sorted(loader.ALIASES))} or the dotted path of an adapter class.",
                    id="partners.E002",
                )
            )
            continue
        for problem in adapter.configuration_problems():
            problems.append(
                Error(
                    f"Partner {recipient.id!r}: {problem}.",
                    hint="See src/pledge/partners/README.md (configuration).",
                    id="partners.E003",
                )
            )
        if adapter.sandbox and settings.PLEDGE_ENV == "production":
            problems.append(
                Warning(
                    f"Partner {recipient.id!r} uses {type(adapter).__name__}, a stand-in that "
                    "sends nothing out (demo and tests only).",
                    id="partners.W002",
                )
            )
    return problems


def _unknown_recipients(policy) -> list:
    named = set(getattr(settings, "PLEDGE_PARTNERS", {}) or {}) | conf.environment_recipient_ids()
    problems = []
    for recipient_id in sorted(named):
        try:
            recipient = policy.recipient(recipient_id)
        except UnknownPolicyId:
            problems.append(
                Error(
                    f"Unknown partner {recipient_id!r}: the policy declares no such recipient.",
                    hint="Partners are configured per policy recipient id; add the recipient "
                    "to the policy (so customers are told) or fix the spelling.",
                    id="partners.E001",
                )
            )
            continue
        if recipient.type not in PARTNER_TYPES:
            problems.append(
                Error(
                    f"Partner {recipient_id!r} is a {recipient.type.value} recipient; adapters "
                    f"serve only {', '.join(sorted(t.value for t in PARTNER_TYPES))}.",
                    id="partners.E001",
                )
            )
    return problems


def _missing(recipient):
    prefix = conf.environment_prefix(recipient.id)
    if recipient.type in REQUIRED_TYPES:
        return Error(
            f"Partner {recipient.id!r} ({recipient.type.value}) is in the policy but has no "
            "adapter.",
            hint=f"Configure it, e.g. {prefix}URL and {prefix}SECRET, or "
            f"{prefix}API_KEY for Mollie (src/pledge/partners/README.md).",
            id="partners.E004",
        )
    return Warning(
        f"Review collector {recipient.id!r} has no adapter: no review invitations are sent.",
        hint=f"Set {prefix}URL and {prefix}SECRET to send them.",
        id="partners.W001",
    )
