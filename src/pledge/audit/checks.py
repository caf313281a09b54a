"""System checks: production without checkpoint signing, or without the vault's pseudonyms."""

from django.conf import settings
from django.core.checks import Warning, register

from .pseudonyms import PSEUDONYM_SOURCE_SETTING, pseudonym_source_configured
from .signing import SIGNING_KEY_SETTING, signing_key_path


@register()
def audit_configuration(app_configs, **kwargs):
    if getattr(settings, "PLEDGE_ENV", "production") != "production":
        return []
    warnings = []
    path = signing_key_path()
    if path is None or not path.exists():
        warnings.append(
            Warning(
                "Audit checkpoints cannot be signed: the signing key file is missing.",
                hint=f"Set {SIGNING_KEY_SETTING} to an Ed25519 private key (PEM) outside the "
                "database, e.g. from `openssl genpkey -algorithm ed25519`.",
                id="audit.W001",
            )
        )
    if not pseudonym_source_configured():
        warnings.append(
            Warning(
                "Audit pseudonyms use the SECRET_KEY fallback, which erasure cannot unlink.",
                hint=f"Set {PSEUDONYM_SOURCE_SETTING} to the vault's pseudonym function.",
                id="audit.W002",
            )
        )
    return warnings
