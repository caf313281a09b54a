"""The shop's URLs, mounted at the root inside the language prefix (NL at /, EN under /en/).

The catalogue and cart, the invoices, checkout, "My account" order pages and the back-office
order screens each keep their own module; one app name ("shop") covers them all.
"""

from importlib.util import find_spec

from django.urls import include, path

from . import backoffice_orders, views_account, views_checkout

app_name = "shop"

urlpatterns = [
    path("checkout/", views_checkout.checkout, name="checkout"),
    path("checkout/review/", views_checkout.review, name="checkout_review"),
    path("checkout/terms/", views_checkout.terms, name="terms"),
    path("checkout/place/", views_checkout.place, name="checkout_place"),
    path("checkout/orders/<uuid:order_id>/", views_checkout.confirmation, name="confirmation"),
    path("checkout/orders/<uuid:order_id>/pay/", views_checkout.pay, name="order_pay"),
    path("account/orders/", views_account.order_list, name="orders"),
    path("account/orders/<uuid:order_id>/", views_account.order_detail, name="order"),
    path(
        "account/orders/<uuid:order_id>/withdraw/",
        views_account.order_withdraw,
        name="order_withdraw",
    ),
    path("account/disclosures/", views_account.disclosures, name="disclosures"),
    path("account/reviews/", views_account.review_preference, name="review_preference"),
    path("backoffice/orders/", backoffice_orders.order_list, name="backoffice_orders"),
    path(
        "backoffice/orders/<uuid:order_id>/",
        backoffice_orders.order_record,
        name="backoffice_order",
    ),
    path(
        "backoffice/orders/<uuid:order_id>/<str:action>/",
        backoffice_orders.order_action,
        name="backoffice_order_action",
    ),
]

# The catalogue/cart and the invoice pages are built alongside; mount whichever exists.
for module in ("pledge.shop.urls_catalogue", "pledge.shop.urls_invoices"):
    if find_spec(module) is not None:
        urlpatterns.append(path("", include(module)))
