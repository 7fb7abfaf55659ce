"""Orders, their payments, the vouchers they issue and the ledger of every cent that moves."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from ..money import format_money
from .offers import MERCHANT_PAGE, Campaign, CampaignReward, VoucherOffer


class InvalidTransition(Exception):
    pass


class Order(models.Model):
    """Exists before any payment; fulfilled (voucher issued, donation recorded) exactly once."""

    class Kind(models.TextChoices):
        VOUCHER = "voucher", _("Voucher")
        DONATION = "donation", _("Donation")
        CAMPAIGN = "campaign", _("Campaign support")

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

    class Wall(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        SHOWN = "shown", _("shown")
        HIDDEN = "hidden", _("hidden")

    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey(MERCHANT_PAGE, on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    item = models.CharField(_("item"), max_length=200)  # as the buyer saw it: "ein virtuelles Bier"
    voucher_offer = models.ForeignKey(
        VoucherOffer, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    reward = models.ForeignKey(
        CampaignReward, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    amount = models.PositiveIntegerField(_("amount (cents)"))
    voucher_value = models.PositiveIntegerField(_("voucher value (cents)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    buyer_name = models.CharField(_("name"), max_length=120)
    buyer_email = models.EmailField(_("e-mail"))
    # The language the buyer ordered in: their mails use it, whichever path sends them.
    language = models.CharField(_("language"), max_length=10, blank=True)
    recipient_name = models.CharField(_("recipient"), max_length=120, blank=True)
    # A gift voucher goes straight to the recipient when this is given; the buyer is told.
    recipient_email = models.EmailField(_("recipient's e-mail"), blank=True)
    gift_message = models.CharField(_("message to the recipient"), max_length=300, blank=True)
    supporter_name = models.CharField(_("name on the supporter wall"), max_length=60, blank=True)
    supporter_message = models.CharField(_("message"), max_length=200, blank=True)
    wall = models.CharField(
        _("supporter wall"), max_length=10, choices=Wall.choices, blank=True, default=""
    )
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

    def transition(self, status: str) -> None:
        if status not in self.TRANSITIONS[self.status]:
            raise InvalidTransition(f"{self.status} → {status}")
        self.status = status

    @property
    def voucher_email(self) -> str:
        """Where the voucher (its code and PDF) is sent: the recipient's address, if given."""
        return self.recipient_email or self.buyer_email

    @property
    def is_paid(self) -> bool:
        return self.status in {self.Status.PAID, self.Status.PARTIALLY_REFUNDED}


class Payment(models.Model):
    """One attempt to pay an order with one provider; the provider's id is its reference."""

    class State(models.TextChoices):
        CREATED = "created", _("created")
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        CANCELED = "canceled", _("canceled")

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
    # as asked for when the payment was created: fulfil() books fee and payout from these.
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


class Voucher(models.Model):
    """Issued once per paid voucher order. Only a keyed hash of the code is stored: a database
    dump reveals no spendable code, and a lookup by hash leaks nothing about near misses."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="voucher")
    merchant = models.ForeignKey(MERCHANT_PAGE, on_delete=models.PROTECT, related_name="vouchers")
    value = models.PositiveIntegerField(_("value (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    code_hint = models.CharField(_("code ends with"), max_length=4)
    valid_until = models.DateField(_("valid until"))
    created_at = models.DateTimeField(auto_now_add=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    code_reissued_at = models.DateTimeField(_("code last reissued"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")

    def __str__(self):
        return f"…{self.code_hint} ({format_money(self.value, self.currency)})"

    def redeemed(self) -> int:
        spent = self.ledger_entries.filter(kind=LedgerEntry.Kind.REDEMPTION).aggregate(
            total=Sum("amount")
        )["total"]
        return -(spent or 0)

    def refunded_value(self) -> int:
        """The part of the value that refunds of its order took back: in proportion to the money
        refunded (a bonus goes with it), rounded up, so that a full refund takes all of it."""
        refunded = kept_refunds(self.order)
        return -(-refunded * self.value // self.order.amount)  # ceiling division

    def balance(self) -> int:
        """What is left: the value less every redemption in the ledger and what refunds took."""
        return max(0, self.value - self.redeemed() - self.refunded_value())


class LedgerEntry(models.Model):
    """Every movement of money, in cents, signed from the merchant's point of view: payments in
    are positive; fees, refunds and payouts negative. Redemptions are negative against the
    voucher they spend. Totals anywhere in the portal are sums over these rows."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("payment")
        FEE = "fee", _("fee")
        REFUND = "refund", _("refund")
        REDEMPTION = "redemption", _("redemption")
        PAYOUT = "payout", _("payout")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.IntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey(
        MERCHANT_PAGE, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    # The payment a payment, fee, payout or refund entry belongs to: an order may have had more
    # than one that succeeded, and each is booked and refunded on its own.
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger_entries"
    )
    reference = models.CharField(_("reference"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "pk"]
        constraints = [
            # A payment is booked once: the last line of defence for exactly-once. (A second
            # payment of the same order is booked too, and refunded: services.refund_surplus.)
            models.UniqueConstraint(
                fields=["payment"], condition=Q(kind="payment"), name="one_entry_per_payment"
            ),
            # A provider's refund is booked once, whether the admin or the webhook saw it first.
            models.UniqueConstraint(
                fields=["order", "reference"],
                condition=Q(kind="refund") & ~Q(reference=""),
                name="one_refund_entry_per_provider_refund",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {format_money(self.amount, self.currency)}"


def kept_refunds(order: Order) -> int:
    """Cents refunded of the payment the order kept (surplus payments are refunded apart)."""
    entries = order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND)
    total = entries.exclude(payment__surplus=True).aggregate(total=Sum("amount"))["total"]
    return -(total or 0)
