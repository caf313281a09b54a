"""Back-office screen "Products": the list, a new product, editing one, its picture.

Registered as screen "products" in ``catalogue.catalogue_connect`` (roles whose policy purposes
include order fulfilment). Products hold no personal data, so no purpose is asked per record.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pledge.backoffice.screens import screen_required
from pledge.backoffice.security import staff_required
from pledge.policy.selectors import current_policy

from .catalogue import product_create, product_image_store, product_update
from .catalogue_selectors import (
    localized,
    product_by_id,
    products_all,
    stock_state,
    vat_included,
)
from .forms_catalogue import ProductCreateForm, ProductForm, ProductImageForm
from .images import MAX_UPLOAD_BYTES, REFUSED_SIZE

EDITABLE = tuple(name for name in ProductForm.base_fields if name != "category")


@never_cache
@staff_required
@screen_required("products")
def product_list(request):
    rows = [
        {
            "product": product,
            "name": localized(product.name_nl, product.name_en),
            # Names, not the slug or the policy id: the screen is read by the shop's staff.
            "category": localized(product.category.name_nl, product.category.name_en),
            "supplier": _supplier_name(product.supplier),
            "vat": vat_included(product.price, product.vat_rate),
            "stock_state": stock_state(product.stock).value,
        }
        for product in products_all()
    ]
    context = {"rows": rows, "saved": request.GET.get("saved") == "1"}
    return render(request, "shop/catalogue/backoffice/product_list.html", context)


def _supplier_name(supplier_id: str) -> str:
    if not supplier_id:
        return ""
    return str(current_policy().recipient(supplier_id).name)


@never_cache
@staff_required
@screen_required("products")
@require_http_methods(["GET", "HEAD", "POST"])
def product_new(request):
    form = ProductCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.product_values()
        product = product_create(slug=values.pop("slug"), **values)
        return redirect(reverse("shop:backoffice_product", args=[product.pk]) + "?saved=1")
    return render(
        request,
        "shop/catalogue/backoffice/product_form.html",
        {"form": form, "product": None},
        status=400 if request.method == "POST" else 200,
    )


def _product_or_404(product_id: int):
    product = product_by_id(product_id=product_id)
    if product is None:
        raise Http404
    return product


def _edit_page(request, product, *, form=None, image_form=None, image_refusal="", status=200):
    initial = {name: getattr(product, name) for name in EDITABLE}
    context = {
        "product": product,
        "product_name": localized(product.name_nl, product.name_en),
        "form": form or ProductForm(initial={**initial, "category": product.category_id}),
        "image_form": image_form or ProductImageForm(),
        "image_refusal": image_refusal,
        "saved": request.GET.get("saved") == "1",
        # The stock as first shown, kept across a form with errors: see ``product_update``.
        "stock_shown": product.stock if form is None else _stock_shown(request),
    }
    return render(request, "shop/catalogue/backoffice/product_form.html", context, status=status)


@never_cache
@staff_required
@screen_required("products")
@require_http_methods(["GET", "HEAD", "POST"])
def product_edit(request, product_id: int):
    product = _product_or_404(product_id)
    if request.method != "POST":
        return _edit_page(request, product)
    form = ProductForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, product, form=form, status=400)
    product_update(
        product_id=product.pk, stock_shown=_stock_shown(request), **form.product_values()
    )
    return redirect(reverse("shop:backoffice_product", args=[product.pk]) + "?saved=1")


def _stock_shown(request) -> int | None:
    value = request.POST.get("stock_shown", "")
    return int(value) if value.isdigit() else None


@never_cache
@staff_required
@screen_required("products")
@require_POST
def product_image(request, product_id: int):
    product = _product_or_404(product_id)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + 65536:
        # Refused before Django spools the body to disk: the cap holds for the request itself.
        return _edit_page(request, product, image_refusal=REFUSED_SIZE, status=413)
    form = ProductImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _edit_page(request, product, image_form=form, status=400)
    product_image_store(product_id=product.pk, picture=form.cleaned_data["picture"])
    return redirect(reverse("shop:backoffice_product", args=[product.pk]) + "?saved=1")
