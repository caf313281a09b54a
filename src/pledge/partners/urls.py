"""partners URLs under /partners/ (mounted in i18n_patterns: Dutch has no prefix).

Webhook addresses are handed to partners without a language prefix (reversed in the default
language); the test PSP page and the back-office screens follow the visitor's language.
"""

from django.urls import path

from .views import authorities, outbox, testpsp, webhooks

app_name = "partners"
urlpatterns = [
    path("testpsp/<uuid:payment_id>/", testpsp.testpsp_page, name="testpsp_page"),
    path(
        "webhooks/payment/<slug:recipient_id>/",
        webhooks.payment_webhook,
        name="payment_webhook",
    ),
    path(
        "webhooks/shipment/<slug:recipient_id>/",
        webhooks.shipment_webhook,
        name="shipment_webhook",
    ),
    path("backoffice/disclosures/", authorities.authority_index, name="authority_index"),
    path(
        "backoffice/disclosures/<slug:recipient_id>/",
        authorities.authority_disclosure,
        name="authority_disclosure",
    ),
    path(
        "backoffice/disclosures/package/<uuid:message_id>.<slug:file_format>",
        authorities.authority_package_download,
        name="authority_package",
    ),
    path("backoffice/outbox/", outbox.outbox_list, name="outbox"),
]
