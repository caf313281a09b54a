from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pledge.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from .receivers import record_lockout, track_session

        user_logged_in.connect(track_session, dispatch_uid="pledge.accounts.track_session")
        user_locked_out.connect(record_lockout, dispatch_uid="pledge.accounts.record_lockout")
