"""partners URLs under /partners/ (mounted in i18n_patterns: Dutch has no prefix).

Webhook addresses are handed to partners without a language prefix (reversed in the default
language); the test PSP page and the back-office screens follow the visitor's language.
"""

from django.urls import path

from .views import testpsp, webhooks

app_name = "partners"
urlpatterns = [
    path("testpsp/<uuid:payment_id>/", testpsp.testpsp_page, name="testpsp_page"),
    path(
        "webhooks/payment/<slug:recipient_id>/",
        webhooks.payment_webhook,
        name="payment_webhook",
    ),
]
