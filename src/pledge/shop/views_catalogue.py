"""The public catalogue: shop home, category pages, product pages (and, outside production,
the product pictures).

These pages are the same for every visitor and show no personal data.
"""

from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from django.views.static import serve

from .catalogue_selectors import (
    ProductView,
    categories_with_products,
    category_with_products,
    product_for_sale,
)
from .forms_catalogue import CartAddForm


@require_safe
def catalogue(request):
    return render(
        request, "shop/catalogue/catalogue.html", {"categories": categories_with_products()}
    )


@require_safe
def category(request, category: str):
    found = category_with_products(slug=category)
    if found is None:
        raise Http404
    return render(request, "shop/catalogue/category.html", {"category": found})


def product_page(request, product: ProductView, *, form=None, refusal: str = "", status=200):
    """The product page; the cart views render it again with their error."""
    form = form or CartAddForm(initial={"product": product.id, "quantity": 1})
    context = {"product": product, "form": form, "refusal": refusal}
    return render(request, "shop/catalogue/product.html", context, status=status)


@require_safe
def product(request, category: str, slug: str):
    found = product_for_sale(slug=slug)
    if found is None:
        raise Http404
    if found.category_slug != category:
        # The product moved to another category: its old address still leads to it.
        return redirect(found.url, permanent=True)
    return product_page(request, found)


@require_safe
def product_media(request, path: str):
    """Product pictures in demo and test (production: the reverse proxy serves /media/).

    Only the ``products/`` folder: other uploads under MEDIA_ROOT may be customers' own photos,
    which are never public.
    """
    if settings.PRODUCTION:
        raise Http404
    root = Path(settings.MEDIA_ROOT) / "products"
    return serve(request, path, document_root=root)
