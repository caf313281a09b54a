from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_done, name="register_done"),
    path("verify/<uidb64>/<token>/", views.verify_email, name="verify_email"),
    path("verify/resend/", views.verification_resend, name="verification_resend"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/forgot/", views.password_reset, name="password_reset"),
    path("password/forgot/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("password/", views.password_change, name="password_change"),
    path("details/", views.profile_edit, name="profile_edit"),
    path("addresses/new/", views.address_edit, name="address_add"),
    path("addresses/<uuid:address_id>/", views.address_edit, name="address_edit"),
    path("addresses/<uuid:address_id>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<uuid:address_id>/default/", views.address_default, name="address_default"),
    path("email/", views.email_change, name="email_change"),
    path("email/<uidb64>/<token>/", views.email_change_confirm, name="email_change_confirm"),
    path("sessions/", views.sessions_list, name="sessions"),
    path("sessions/<uuid:session_id>/end/", views.session_end, name="session_end"),
]
