"""Reads for the two-click share buttons: which networks, and where their share links go.

The networks are the policy's vendors; the share-link templates are code (they are addresses of
a web form, not a purpose or a vendor). A share link whose host the policy does not list for that
vendor is not offered: the policy would then not tell visitors where their data goes.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from pledge.policy.schema import UnknownPolicyId
from pledge.policy.selectors import current_policy

# vendor id -> (share form address, name of its page-URL parameter)
SHARE_FORMS = {
    "facebook": ("https://www.facebook.com/sharer/sharer.php", "u"),
    "linkedin": ("https://www.linkedin.com/sharing/share-offsite/", "url"),
}


@dataclass(frozen=True)
class ShareButton:
    vendor_id: str
    vendor_name: str
    share_url: str


def share_buttons_for(*, page_url: str) -> list[ShareButton]:
    """The share buttons for ``page_url`` (absolute), in the policy's vendor order."""
    policy = current_policy()
    buttons = []
    for vendor_id, (form, parameter) in SHARE_FORMS.items():
        try:
            vendor = policy.vendor(vendor_id)
        except UnknownPolicyId:
            continue  # a shop whose policy has no such vendor shows no such button
        if urlsplit(form).hostname not in vendor.hosts:
            continue
        share_url = f"{form}?{urlencode({parameter: page_url})}"
        buttons.append(ShareButton(vendor.id, vendor.name, share_url))
    return buttons
