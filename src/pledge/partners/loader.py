"""Which adapter serves which policy recipient, loaded like Django loads its backends.

For each policy recipient of a partner type, the first of:

1. ``settings.PLEDGE_PARTNERS[recipient id] = {"ADAPTER": ..., "OPTIONS": {...}}``;
2. the environment: ``PLEDGE_PARTNER_<ID>_ADAPTER`` (an alias below or a dotted path) with
   options from ``PLEDGE_PARTNER_<ID>_<OPTION>`` (``_URL``, ``_SECRET``, ``_API_KEY``...);
   without ``_ADAPTER``, an ``_API_KEY`` means Mollie and a ``_URL`` the webhook adapter;
3. demo and test (``PLEDGE_PARTNERS_SANDBOX``): the test PSP for payment, the sandbox for
   delivery, supplier and review partners;
4. authorities always have the manual adapter (the privacy officer hands the file over).

``checks.py`` turns every problem here into a start-up error with an id.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from pledge.policy.schema import Policy, RecipientType
from pledge.policy.selectors import current_policy

from . import conf
from .adapters.base import BASE_FOR_TYPE, PARTNER_TYPES, BaseAdapter, BasePaymentAdapter

ALIASES = {
    "testpsp": "pledge.partners.adapters.testpsp.TestPaymentAdapter",
    "mollie": "pledge.partners.adapters.mollie.MollieAdapter",
    "webhook": "pledge.partners.adapters.webhook.WebhookAdapter",
    "sandbox": "pledge.partners.adapters.sandbox.SandboxAdapter",
    "manual": "pledge.partners.adapters.manual.ManualAuthorityAdapter",
}
_SANDBOX_DEFAULTS = {
    RecipientType.PAYMENT: "testpsp",
    RecipientType.DELIVERY: "sandbox",
    RecipientType.SUPPLIER: "sandbox",
    RecipientType.REVIEW_COLLECTOR: "sandbox",
}


class PartnerNotConfigured(LookupError):
    """No adapter serves this recipient (or it is not a partner recipient of the policy)."""


@dataclass(frozen=True)
class PartnerConfig:
    recipient_id: str
    adapter_path: str
    options: dict = field(default_factory=dict)
    source: str = "settings"  # settings | environment | default


def partner_configs(policy: Policy | None = None) -> dict[str, PartnerConfig]:
    """The configuration of every policy recipient that has one."""
    policy = policy or current_policy()
    explicit = getattr(settings, "PLEDGE_PARTNERS", {}) or {}
    configs = {}
    for recipient in policy.recipients:
        if recipient.type not in PARTNER_TYPES:
            continue
        config = _config_for(recipient.id, recipient.type, explicit)
        if config is not None:
            configs[recipient.id] = config
    return configs


def _config_for(recipient_id: str, recipient_type, explicit: dict) -> PartnerConfig | None:
    if recipient_id in explicit:
        entry = explicit[recipient_id] or {}
        path = entry.get("ADAPTER", "")
        return PartnerConfig(recipient_id, ALIASES.get(path, path), dict(entry.get("OPTIONS", {})))
    options = conf.environment_options(recipient_id)
    path = options.pop("adapter", "")
    if not path and recipient_type == RecipientType.PAYMENT and "api_key" in options:
        path = "mollie"
    elif not path and "url" in options:
        path = "webhook"
    if path:
        return PartnerConfig(recipient_id, ALIASES.get(path, path), options, "environment")
    if recipient_type == RecipientType.AUTHORITY:
        return PartnerConfig(recipient_id, ALIASES["manual"], {}, "default")
    if conf.sandbox_defaults() and recipient_type in _SANDBOX_DEFAULTS:
        alias = _SANDBOX_DEFAULTS[recipient_type]
        return PartnerConfig(recipient_id, ALIASES[alias], {}, "default")
    return None


def adapter_build(config: PartnerConfig, recipient_type) -> BaseAdapter:
    """Import and instantiate; ``ImportError``/``TypeError`` name what is wrong (for checks)."""
    cls = import_string(config.adapter_path)
    base = BASE_FOR_TYPE[recipient_type]
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise TypeError(f"{config.adapter_path} is not a {base.__name__}")
    if recipient_type not in cls.recipient_types:
        raise TypeError(f"{config.adapter_path} does not serve {recipient_type.value} recipients")
    return cls(recipient_id=config.recipient_id, options=config.options)


_adapters: dict[str, BaseAdapter] | None = None


def _all_adapters() -> dict[str, BaseAdapter]:
    global _adapters
    if _adapters is None:
        policy = current_policy()
        built = {}
        for recipient_id, config in partner_configs(policy).items():
            built[recipient_id] = adapter_build(config, policy.recipient(recipient_id).type)
        _adapters = built
    return _adapters


def reset() -> None:
    """Forget the loaded adapters (settings or environment changed: tests, a reload)."""
    global _adapters
    _adapters = None


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("PLEDGE_PARTNERS") or setting in {"PLEDGE_POLICY", "SECRET_KEY"}:
        reset()


def adapter_for(recipient_id: str) -> BaseAdapter:
    try:
        return _all_adapters()[recipient_id]
    except KeyError:
        raise PartnerNotConfigured(f"no adapter is configured for {recipient_id!r}") from None


def adapters_of_type(recipient_type: RecipientType) -> list[BaseAdapter]:
    policy = current_policy()
    return [
        adapter
        for recipient_id, adapter in _all_adapters().items()
        if policy.recipient(recipient_id).type == recipient_type
    ]


def payment_adapter_for_method(method: str) -> BasePaymentAdapter:
    for adapter in adapters_of_type(RecipientType.PAYMENT):
        if any(code == method for code, _label in adapter.methods()):
            return adapter
    raise PartnerNotConfigured(f"no payment adapter offers the method {method!r}")
