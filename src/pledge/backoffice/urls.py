"""Back-office URLs under /backoffice/ (Dutch) and /en/backoffice/ (English).

Django's admin is deliberately not mounted: the back office is the staff interface, and an
admin site would list personal data unmasked and without a purpose.
"""

from django.urls import path

from .security import staff_required
from .views import customers, screens, signin

app_name = "backoffice"
urlpatterns = [
    path("", screens.dashboard, name="dashboard"),
    path("login/", signin.login_view, name="login"),
    path("login/code/", signin.code_view, name="login_code"),
    path("login/enrol/", signin.enrol_view, name="login_enrol"),
    path("logout/", signin.logout_view, name="logout"),
    path("reauth/", staff_required(signin.reauth_view), name="reauth"),
    path("security/", screens.security_page, name="security"),
    path("security/recovery-codes/", screens.recovery_codes_renew, name="recovery_codes"),
    path("marketing/", screens.marketing, name="marketing"),
    path("customers/", customers.customer_list, name="customers"),
    path("customers/<uuid:user_id>/", customers.customer_record, name="customer"),
]
