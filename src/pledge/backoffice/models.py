"""The back office keeps no personal data of its own.

Its one model anchors the purpose permissions (``backoffice.purpose_<purpose id>``) that the
policy's staff roles grant: a permission needs a content type, and a content type of a real
model survives ``remove_stale_contenttypes``. The table stays empty.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pledge.policy.registry import personal_data


@personal_data(personal={}, non_personal=["id"])
class PurposeAccess(models.Model):
    """Holder of the ``purpose_<id>`` permissions; the roles in the policy decide who has which."""

    class Meta:
        verbose_name = _("purpose access")
        verbose_name_plural = _("purpose accesses")
        # Only the purpose permissions, written by roles_sync(); no add/change/delete/view.
        default_permissions = ()

    def __str__(self) -> str:
        return f"purpose access {self.pk}"
