"""Two pages that need personal data, for the middleware tests."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from pledge.vault.services import subject_create

from .models import Customer, Order, PlainCustomer


def profile(request, pk):
    customer = Customer.objects.get(pk=pk)
    return HttpResponse(f"{customer.first_name} {customer.last_name} {customer.email}")


def place_order(request, pk):
    customer = Customer.objects.get(pk=pk)
    with transaction.atomic():
        # A plain row first, then rows that need the vault: all or nothing.
        PlainCustomer.objects.create(subject_id=customer.subject_id, email="-")
        Order.objects.create(subject_id=customer.subject_id, number=7, invoice_name="Kees")
    return HttpResponse("ok")


def sign_up(request):
    subject_id = subject_create()
    Customer.objects.create(subject_id=subject_id, email=request.POST["email"])
    return HttpResponse("ok")


urlpatterns = [
    path("profile/<uuid:pk>/", profile),
    path("profile/<uuid:pk>/order/", place_order),
    path("sign-up/", sign_up),
]
