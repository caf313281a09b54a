"""The shop's tables: catalogue, orders, invoices.

Order lines and amounts are plain text on purpose: bookkeeping and statistics keep working
after a customer's profile is erased. What identifies the customer is encrypted: the delivery
address and phone with the subject's *profile* key (gone with the profile), the name and
invoice address on an invoice with the *retention* key (kept 7 years, AWR art. 52).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledge.policy.registry import personal_data
from pledge.vault.fields import EncryptedJSONField, EncryptedTextField


class VatRate(models.TextChoices):
    """The two Dutch VAT rates a print shop charges (Wet OB 1968, tabel I for the low rate)."""

    HIGH = "high", _("21% VAT")
    LOW = "low", _("9% VAT")

    @property
    def percentage(self) -> Decimal:
        return VAT_PERCENTAGES[self]


VAT_PERCENTAGES = {VatRate.HIGH: Decimal("21"), VatRate.LOW: Decimal("9")}


@personal_data(
    personal={},
    non_personal=["id", "slug", "name_nl", "name_en", "position"],
)
class Category(models.Model):
    slug = models.SlugField(unique=True)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.slug


@personal_data(
    personal={},
    non_personal=[
        "id",
        "slug",
        "category",
        "name_nl",
        "name_en",
        "description_nl",
        "description_en",
        "price",
        "vat_rate",
        "stock",
        "personalised",
        "supplier",
        "image",
        "image_alt_nl",
        "image_alt_en",
        "is_active",
        "position",
        "created_at",
    ],
)
class Product(models.Model):
    """Something for sale. ``price`` includes VAT at ``vat_rate`` (consumer prices, BW 7:5).

    ``personalised`` marks goods made to the customer's specification (their own photos):
    exempt from the 14-day right of withdrawal under BW 6:230p sub f.
    ``supplier`` names a policy recipient that drop-ships the line; blank when we make it.
    """

    slug = models.SlugField(unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name_nl = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    vat_rate = models.CharField(max_length=8, choices=VatRate.choices, default=VatRate.HIGH)
    stock = models.PositiveIntegerField(default=0)
    personalised = models.BooleanField(default=False)
    supplier = models.CharField(max_length=64, blank=True)
    image = models.ImageField(upload_to="products/", blank=True)
    image_alt_nl = models.CharField(max_length=200, blank=True)
    image_alt_en = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category__position", "position", "slug"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="shop_price_not_negative")
        ]

    def __str__(self) -> str:
        return self.slug


@personal_data(
    personal={},
    non_personal=[
        "id",
        "code",
        "name_nl",
        "name_en",
        "price",
        "vat_rate",
        "recipient",
        "needs_address",
        "position",
        "is_active",
    ],
)
class DeliveryMethod(models.Model):
    """How an order reaches the customer. ``recipient`` is the policy's delivery partner (e.g.
    ``postnl``) that receives the address; blank for collection at the shop."""

    code = models.SlugField(unique=True)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    vat_rate = models.CharField(max_length=8, choices=VatRate.choices, default=VatRate.HIGH)
    recipient = models.CharField(max_length=64, blank=True)
    needs_address = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    PLACED = "placed", _("Placed")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    RETURNED = "returned", _("Returned")


@personal_data(
    personal={
        "user": "user.unique_id",
        "subject_id": "user.unique_id",
        "delivery_address": "user.contact.address",
        "phone": "user.contact.phone_number",
        "tracking_code": "user.contact.address",
        "payment_reference": "user.payment",
        "payment_method": "user.payment",
        "placed_at": "user.behavior.purchase_history",
    },
    non_personal=[
        "id",
        "number",
        "status",
        "language",
        "delivery_method",
        "delivery_price",
        "total",
        "idempotency_key",
        "paid_at",
        "shipped_at",
        "delivered_at",
        "cancelled_at",
        "review_invited_at",
        "terms_accepted_at",
    ],
)
class Order(models.Model):
    """One order. ``number`` is the customer-facing reference ("order 1042").

    ``idempotency_key`` comes from the checkout form: a double submit finds the first order
    instead of making a second (unique per user).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="orders"
    )
    subject_id = models.UUIDField(db_index=True)
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    language = models.CharField(max_length=8, default="nl")
    idempotency_key = models.UUIDField()
    delivery_method = models.ForeignKey(DeliveryMethod, on_delete=models.PROTECT)
    delivery_price = models.DecimalField(max_digits=8, decimal_places=2)
    delivery_address = EncryptedJSONField(
        subject_field="subject_id", key="profile", null=True, blank=True
    )
    phone = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)
    payment_method = models.CharField(max_length=32)
    payment_reference = models.CharField(max_length=100, blank=True, db_index=True)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    tracking_code = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)
    terms_accepted_at = models.DateTimeField()
    placed_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    review_invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="shop_one_order_per_checkout"
            )
        ]

    def __str__(self) -> str:
        return f"order {self.number}"


@personal_data(
    personal={"order": "user.behavior.purchase_history"},
    non_personal=[
        "id",
        "product",
        "name_nl",
        "name_en",
        "unit_price",
        "quantity",
        "vat_rate",
        "personalised",
        "supplier",
    ],
)
class OrderLine(models.Model):
    """A product as it was sold: name, price and VAT copied, so later catalogue edits don't
    rewrite history."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, null=True, on_delete=models.SET_NULL)
    name_nl = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField()
    vat_rate = models.CharField(max_length=8, choices=VatRate.choices)
    personalised = models.BooleanField(default=False)
    supplier = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="shop_line_quantity")
        ]

    def __str__(self) -> str:
        return f"order line {self.pk}"

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    REFUNDED = "refunded", _("Refunded")
    REJECTED = "rejected", _("Rejected")


class ReturnRejection(models.TextChoices):
    """Why staff refused a withdrawal: a fixed list, so the customer's mail says it in their
    language and no free text about a person ends up in the database."""

    NOT_RETURNED = "not_returned", _("The items were not sent back within 14 days (BW 6:230t).")
    PERIOD_EXPIRED = "period_expired", _("The 14-day withdrawal period had already ended.")
    PERSONALISED = (
        "personalised",
        _("The items were made to your specification and cannot be returned (BW 6:230p)."),
    )


@personal_data(
    personal={
        "order": "user.behavior.purchase_history",
        "requested_at": "user.behavior.purchase_history",
    },
    non_personal=["id", "status", "decided_at", "reject_reason", "credit_note"],
)
class ReturnRequest(models.Model):
    """The customer used the 14-day right of withdrawal (BW 6:230o) for an order.

    Accepting it issues ``credit_note`` for the returned lines; rejecting it names one of the
    ``ReturnRejection`` reasons.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    status = models.CharField(
        max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=20, choices=ReturnRejection.choices, blank=True)
    credit_note = models.ForeignKey(
        "Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="return_requests"
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"return {self.pk}"


@personal_data(
    personal={},
    non_personal=["name", "last"],
)
class Counter(models.Model):
    """Gap-free number series (orders, invoices, credit notes): the next number is taken under
    a row lock inside the transaction that uses it, so a rollback gives the number back."""

    name = models.CharField(max_length=32, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "name": "user.name.last",
        "invoice_address": "user.contact.address",
        "issued_at": "user.behavior.purchase_history",
    },
    non_personal=["id", "order", "kind", "number", "credits", "totals", "total"],
)
class Invoice(models.Model):
    """An invoice or credit note (art. 35a Wet OB). ``number`` runs gap-free per kind.

    The name and address are encrypted with the subject's *retention* key: the tax
    authority may ask for the invoice for 7 years (AWR art. 52), even after the customer's
    profile has been erased. ``totals`` holds the VAT per rate, plain, for bookkeeping.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    number = models.PositiveIntegerField()
    credits = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    subject_id = models.UUIDField(db_index=True)
    name = EncryptedTextField(subject_field="subject_id", key="retention")
    invoice_address = EncryptedJSONField(subject_field="subject_id", key="retention")
    issued_at = models.DateTimeField(default=timezone.now)
    totals = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="shop_invoice_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


@personal_data(
    personal={
        "user": "user.behavior.purchase_history",
        "updated_at": "user.behavior.purchase_history",
    },
    non_personal=["id", "product", "quantity"],
)
class CartItem(models.Model):
    """A signed-in customer's cart line, kept with the account so the cart survives a sign-out
    and follows them to another device. Anonymous carts live in the session only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_items"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "product"], name="shop_one_cart_line_per_product"
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="shop_cart_quantity"),
        ]

    def __str__(self) -> str:
        return f"cart item {self.pk}"
