from .selectors import consent_id_from
from .services import consent_link_account


def link_consent_on_login(sender, request, user, **kwargs) -> None:
    """Sign-in: this browser's consent decisions from now on name the account."""
    if request is None:
        return
    consent_id = consent_id_from(request.COOKIES)
    if consent_id:
        consent_link_account(consent_id=consent_id, user=user)
