"""What a support order carries beyond the money core's Order, and the vouchers it issues."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from payments.models import LedgerEntry, Order
from payments.models.orders import MERCHANT_PAGE
from payments.money import format_money
from payments.selectors import redeemed, refunded_amount

from .offers import Campaign, CampaignReward, VoucherOffer


class SupportOrder(models.Model):
    """A voucher, donation or campaign order: its offer, the gift and the supporter wall."""

    class Wall(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        SHOWN = "shown", _("shown")
        HIDDEN = "hidden", _("hidden")

    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, primary_key=True, related_name="support"
    )
    voucher_offer = models.ForeignKey(
        VoucherOffer, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    reward = models.ForeignKey(
        CampaignReward, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    voucher_value = models.PositiveIntegerField(_("voucher value (cents)"), null=True, blank=True)
    recipient_name = models.CharField(_("recipient"), max_length=120, blank=True)
    # A gift voucher goes straight to the recipient when this is given; the buyer is told.
    recipient_email = models.EmailField(_("recipient's e-mail"), blank=True)
    gift_message = models.CharField(_("message to the recipient"), max_length=300, blank=True)
    supporter_name = models.CharField(_("name on the supporter wall"), max_length=60, blank=True)
    supporter_message = models.CharField(_("message"), max_length=200, blank=True)
    wall = models.CharField(
        _("supporter wall"), max_length=10, choices=Wall.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("support order")
        verbose_name_plural = _("support orders")
        # Editors' and moderators' right over the walls of their city's merchants (support/
        # admin/walls.py): show messages on walls without an owner, hide any message.
        permissions = [("moderate_supporter_wall", _("Can moderate supporters' walls"))]

    def __str__(self):
        return str(self.order)

    @property
    def voucher_email(self) -> str:
        """Where the voucher (its code and PDF) is sent: the recipient's address, if given."""
        return self.recipient_email or self.order.buyer_email


class Voucher(models.Model):
    """Issued once per paid voucher order. Only a keyed hash of the code is stored: a database
    dump reveals no spendable code, and a lookup by hash leaks nothing about near misses.
    Redemptions are ledger entries of its order."""

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

    @property
    def redemptions(self):
        return self.order.ledger_entries.filter(kind=LedgerEntry.Kind.REDEMPTION)

    def redeemed(self) -> int:
        return redeemed(self.order)

    def refunded_value(self) -> int:
        """The part of the value that refunds of its order took back: in proportion to the money
        refunded (a bonus goes with it), rounded up, so that a full refund takes all of it."""
        refunded = refunded_amount(self.order)
        return -(-refunded * self.value // self.order.amount)  # ceiling division

    def balance(self) -> int:
        """What is left: the value less every redemption in the ledger and what refunds took."""
        return max(0, self.value - self.redeemed() - self.refunded_value())
