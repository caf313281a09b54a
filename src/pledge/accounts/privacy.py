"""Personal data in django-axes, which the accounts app installs for brute-force defence."""

from pledge.policy.registry import classify_model

_ATTEMPT = {
    "username": "user.account.username",
    "ip_address": "user.device.ip_address",
    "user_agent": "user.device.user_agent",
    "attempt_time": "user.account.activity",
}
_REQUEST_SHAPE = ["id", "http_accept", "path_info"]

classify_model(
    "axes.AccessAttempt",
    # axes keeps the submitted form (passwords masked): it names the account tried.
    personal={
        **_ATTEMPT,
        "get_data": "user.account.username",
        "post_data": "user.account.username",
    },
    non_personal=[*_REQUEST_SHAPE, "failures_since_start"],
)
classify_model(
    "axes.AccessAttemptExpiration",
    personal={},
    non_personal=["access_attempt", "expires_at"],
)
classify_model(
    "axes.AccessFailureLog",
    personal=_ATTEMPT,
    non_personal=[*_REQUEST_SHAPE, "locked_out"],
)
classify_model(
    "axes.AccessLog",
    personal={
        **_ATTEMPT,
        "logout_time": "user.account.activity",
        "session_hash": "user.device.cookie_id",
    },
    non_personal=_REQUEST_SHAPE,
)
