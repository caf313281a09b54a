"""Personal data in django-otp, which the back office installs for staff two-factor sign-in."""

from pledge.policy.registry import classify_model

_DEVICE = [
    "id",
    "user",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
]

classify_model(
    "otp_totp.TOTPDevice",
    personal={"key": "user.authorization.credentials", "last_used_at": "user.account.activity"},
    non_personal=[*_DEVICE, "step", "t0", "digits", "tolerance", "drift", "last_t"],
)
classify_model(
    "otp_static.StaticDevice",
    personal={"last_used_at": "user.account.activity"},
    non_personal=_DEVICE,
)
classify_model(
    "otp_static.StaticToken",
    personal={"token": "user.authorization.credentials"},
    non_personal=["id", "device"],
)
