"""An order and the attempts to pay it. The order knows what it costs and who pays, not what it
is: the product kind's seller keeps the rest (support.SupportOrder for vouchers, donations and
campaigns) and is called back through payments.registry."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..money import format_money
from ..registry import UnknownKind, get_kind

MERCHANT_PAGE = "directory.MerchantPage"  # the payee


class InvalidTransition(Exception):
    pass


class Order(models.Model):
    """Exists before any payment; fulfilled (a voucher issued, a donation recorded) exactly
    once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")
        REFUNDED = "refunded", _("refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("partially refunded")

    # Which state may follow which: everything else is a bug or a replay.
    TRANSITIONS = {
        Status.PENDING: {Status.PAID, Status.FAILED, Status.CANCELLED},
        Status.FAILED: {Status.PENDING, Status.PAID, Status.CANCELLED},
        Status.CANCELLED: set(),
        Status.PAID: {Status.REFUNDED, Status.PARTIALLY_REFUNDED},
        Status.PARTIALLY_REFUNDED: {Status.REFUNDED, Status.PARTIALLY_REFUNDED},
        Status.REFUNDED: set(),
    }
    PAID_STATUSES = (Status.PAID, Status.PARTIALLY_REFUNDED)

    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey(MERCHANT_PAGE, on_delete=models.PROTECT, related_name="orders")
    # A product kind's name (payments.registry): no choices here, so that a new kind needs no
    # migration of the money core.
    kind = models.CharField(_("kind"), max_length=30, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    item = models.CharField(_("item"), max_length=200)  # as the buyer saw it: "ein virtuelles Bier"
    amount = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    buyer_name = models.CharField(_("name"), max_length=120)
    buyer_email = models.EmailField(_("e-mail"))
    # The language the buyer ordered in: their mails use it, whichever path sends them.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="order_amount_positive"),
        ]

    def __str__(self):
        amount = format_money(self.amount, self.currency)
        return f"{self.get_kind_display()} {amount} ({self.reference})"

    @property
    def number(self) -> str:
        """The order number buyers see on the order page and in mails: the reference's first
        eight hex digits, enough to find an order among millions (editors search by it)."""
        return self.reference.hex[: self.NUMBER_LENGTH]

    NUMBER_LENGTH = 8

    def get_kind_display(self) -> str:
        try:
            return str(get_kind(self.kind).label)
        except UnknownKind:
            return self.kind

    @property
    def product_kind(self):
        return get_kind(self.kind)

    def transition(self, status: str) -> None:
        """Only services call this (payments.services.orders.set_status logs it)."""
        if status not in self.TRANSITIONS[self.status]:
            raise InvalidTransition(f"{self.status} → {status}")
        self.status = status

    @property
    def is_paid(self) -> bool:
        return self.status in self.PAID_STATUSES


class Payment(models.Model):
    """One attempt to pay an order with one provider; the provider's id is its reference."""

    class State(models.TextChoices):
        CREATED = "created", _("created")
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    OPEN = (State.CREATED, State.PENDING)  # may still take money

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("provider"), max_length=20)
    reference = models.CharField(  # noqa: DJ001 - unique once the provider has answered
        _("provider reference"), max_length=255, null=True, unique=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CREATED
    )
    amount = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    # Where the provider sent the money (a connected account) and the platform's share of it,
    # as asked for when the payment was created: the booking of fee and payout follows these.
    destination = models.CharField(_("paid out to"), max_length=255, blank=True)
    platform_fee = models.PositiveIntegerField(_("platform fee (cents)"), default=0)
    # Succeeded for an order that does not keep it (paid already by another attempt, cancelled,
    # sold out): booked, then refunded in full (services.refund_surplus). One payment per order
    # at most is not surplus: the one that paid for it.
    surplus = models.BooleanField(_("refunded as surplus"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.provider} {self.reference or self.pk}"

    @property
    def idempotency_key(self) -> str:
        """The same attempt never creates two provider payments, however often it is sent."""
        return f"portal-payment-{self.pk}"
