"""Catalogue, cart and back-office product URLs, included by ``shop/urls.py`` (namespace "shop").

Inside the language prefix: /shop/ is Dutch, /en/shop/ English. Outside production the product
pictures are served from /media/products/ too; in production the reverse proxy serves /media/.
"""

from django.conf import settings
from django.urls import path, re_path

from . import backoffice_products, views_cart, views_catalogue

urlpatterns = [
    path("shop/", views_catalogue.catalogue, name="catalogue"),
    path("shop/<slug:category>/", views_catalogue.category, name="category"),
    path("shop/<slug:category>/<slug:slug>/", views_catalogue.product, name="product"),
    path("cart/", views_cart.cart, name="cart"),
    path("cart/add/", views_cart.add, name="cart_add"),
    path("cart/update/", views_cart.update, name="cart_update"),
    path("cart/remove/", views_cart.remove, name="cart_remove"),
    path("backoffice/products/", backoffice_products.product_list, name="backoffice_products"),
    path(
        "backoffice/products/new/", backoffice_products.product_new, name="backoffice_product_new"
    ),
    path(
        "backoffice/products/<int:product_id>/",
        backoffice_products.product_edit,
        name="backoffice_product",
    ),
    path(
        "backoffice/products/<int:product_id>/picture/",
        backoffice_products.product_image,
        name="backoffice_product_image",
    ),
]

if not settings.PRODUCTION:
    urlpatterns.append(
        re_path(r"^media/products/(?P<path>.+)$", views_catalogue.product_media, name="media")
    )
