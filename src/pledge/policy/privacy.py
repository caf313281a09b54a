"""Personal-data classification of the Django contrib models Pledge installs."""

from .registry import classify_model

classify_model(
    "auth.Group",
    personal={},
    non_personal=["id", "name", "permissions"],
)
classify_model(
    "auth.Permission",
    personal={},
    non_personal=["id", "name", "content_type", "codename"],
)
classify_model(
    "contenttypes.ContentType",
    personal={},
    non_personal=["id", "app_label", "model"],
)
classify_model(
    "sessions.Session",
    # The key is what the session cookie carries; the data holds the user id and the cart.
    personal={"session_key": "user.device.cookie_id", "session_data": "user.account.activity"},
    non_personal=["expire_date"],
)
classify_model(
    "admin.LogEntry",
    # Django admin's own history: which staff member changed which object. The object's repr
    # could hold personal data, so it is classified as what staff worked on.
    personal={
        "user": "user.account.activity",
        "object_repr": "user.content.private",
        "change_message": "user.content.private",
    },
    non_personal=["id", "action_time", "content_type", "object_id", "action_flag"],
)
