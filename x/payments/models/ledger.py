"""Every movement of money, in cents. Totals anywhere in the portal are selectors over these
rows (payments.selectors)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..money import format_money
from .orders import MERCHANT_PAGE, Order, Payment
from .refunds import Refund


class LedgerEntry(models.Model):
    """Signed from the merchant's point of view: payments in are positive; fees, refunds and
    payouts negative. A redemption (a voucher spent at the counter) is negative against the
    order that bought the voucher; its storno (a redemption booked by mistake, taken back at
    the counter) is a redemption entry of its own, positive, pointing at the one it reverses.
    Nothing is ever changed or deleted: every sum over redemptions nets the storno out."""

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
    # The payment a payment, fee, payout or refund entry belongs to: an order may have had more
    # than one that succeeded, and each is booked and refunded on its own.
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    reference = models.CharField(_("reference"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A storno: the redemption this entry takes back. One-to-one: a redemption is reversed at
    # most once, whatever two tills do at the same moment.
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        verbose_name=_("reverses"),
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
            # A refund is booked once, when it is done.
            models.UniqueConstraint(
                fields=["refund"], condition=Q(kind="refund"), name="one_entry_per_refund"
            ),
            # Only a redemption is reversed, by a positive redemption entry; every other
            # redemption spends (is negative).
            models.CheckConstraint(
                condition=Q(reverses=None) | Q(kind="redemption", amount__gt=0),
                name="storno_is_a_positive_redemption",
            ),
            models.CheckConstraint(
                condition=~Q(kind="redemption") | ~Q(reverses=None) | Q(amount__lt=0),
                name="redemption_spends",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {format_money(self.amount, self.currency)}"

    @property
    def is_storno(self) -> bool:
        return self.reverses_id is not None
