"""Start-up check: every screen serves purposes the policy declares."""

from django.core import checks

from pledge.policy.schema import UnknownPolicyId
from pledge.policy.selectors import current_policy


@checks.register()
def screens_name_policy_purposes(app_configs=None, **kwargs):
    from .screens import all_screens

    policy = current_policy()
    errors = []
    for item in all_screens():
        for purpose_id in item.purposes:
            try:
                policy.purpose(purpose_id)
            except UnknownPolicyId:
                errors.append(
                    checks.Error(
                        f"back-office screen {item.name!r} serves purpose {purpose_id!r}, "
                        "which the policy does not declare",
                        id="backoffice.E001",
                    )
                )
    return errors
