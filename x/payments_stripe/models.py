"""Where a merchant's money goes: the connected Stripe account that receives their payments."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from payments.models.orders import MERCHANT_PAGE

stripe_account_validator = RegexValidator(
    r"^acct_[A-Za-z0-9]+\Z",  # \Z, not $: "$" also matches before a trailing newline
    _("Enter a Stripe account ID: “acct_” followed by letters and digits."),
)


class PayoutAccount(models.Model):
    """Set by editors only, never by the merchant: whoever can change it can redirect payouts."""

    merchant = models.OneToOneField(
        MERCHANT_PAGE,
        verbose_name=_("merchant"),
        on_delete=models.CASCADE,
        related_name="payout_account",
    )
    stripe_account_id = models.CharField(
        _("Stripe account ID"),
        max_length=255,
        validators=[stripe_account_validator],
        help_text=_("The merchant's connected Stripe account, e.g. acct_1A2b3C4d5E6f7G8h."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self) -> str:
        return self.stripe_account_id
