"""What a merchant offers, edited on their own page and published with it (a page revision
holds its offers), so the editors review offers like the rest of the page."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from payments.models.orders import MERCHANT_PAGE
from payments.money import CentsField, CentsListField, format_money


def limit_cents() -> int:
    return settings.SUPPORT_MAX_AMOUNT


class VoucherOffer(models.Model):
    page = ParentalKey(MERCHANT_PAGE, on_delete=models.CASCADE, related_name="voucher_offers")
    fixed_values = CentsListField(
        _("fixed values"),
        default=list,
        blank=True,
        help_text=_("Values buyers can pick, in euros, e.g. “10, 25, 50”."),
    )
    free_value_min = CentsField(
        _("free value from"), null=True, blank=True, help_text=_("Leave empty for no free value.")
    )
    free_value_max = CentsField(_("free value up to"), null=True, blank=True)
    validity_years = models.PositiveSmallIntegerField(
        _("valid for (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Three years is the statutory period in Germany."),
    )
    stock = models.PositiveIntegerField(
        _("number of vouchers"),
        null=True,
        blank=True,
        help_text=_("Leave empty to sell without a limit."),
    )
    bonus_percent = models.PositiveSmallIntegerField(
        _("bonus (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("E.g. 10: a buyer pays 20 € and gets a voucher worth 22 €."),
    )

    panels = [
        FieldPanel("fixed_values"),
        FieldRowPanel([FieldPanel("free_value_min"), FieldPanel("free_value_max")]),
        FieldRowPanel(
            [FieldPanel("validity_years"), FieldPanel("stock"), FieldPanel("bonus_percent")]
        ),
    ]

    class Meta:
        verbose_name = _("voucher offer")
        verbose_name_plural = _("voucher offers")

    def __str__(self):
        return str(_("Vouchers"))

    @property
    def has_free_value(self) -> bool:
        return self.free_value_min is not None and self.free_value_max is not None

    def clean(self):
        errors = {}
        if not self.fixed_values and not self.has_free_value:
            errors["fixed_values"] = _("Give fixed values, a free range, or both.")
        if (self.free_value_min is None) != (self.free_value_max is None):
            errors["free_value_max"] = _("Give both ends of the free range.")
        elif self.has_free_value and self.free_value_min > self.free_value_max:
            errors["free_value_max"] = _("The upper end must not be below the lower end.")
        too_much = [v for v in [*self.fixed_values, self.free_value_max or 0] if v > limit_cents()]
        if too_much:
            errors["fixed_values"] = _("Vouchers are limited to %(amount)s.") % {
                "amount": format_money(limit_cents())
            }
        if errors:
            raise ValidationError(errors)

    def accepts(self, cents: int) -> bool:
        if cents in self.fixed_values:
            return True
        return self.has_free_value and self.free_value_min <= cents <= self.free_value_max

    def value_for(self, cents: int) -> int:
        """What the voucher is worth for a payment of `cents` (the bonus rounds down)."""
        return cents + cents * self.bonus_percent // 100

    def valid_until(self, issued: date) -> date:
        # German statutory period: until the end of the year, `validity_years` years on.
        return date(issued.year + self.validity_years, 12, 31)


class DonationOffer(models.Model):
    page = ParentalKey(MERCHANT_PAGE, on_delete=models.CASCADE, related_name="donation_offers")
    free_amount = models.BooleanField(_("free amount"), default=True)
    supporter_wall = models.BooleanField(
        _("supporter wall"),
        default=True,
        help_text=_("Show supporters' names and messages on your page, after you approve them."),
    )

    panels = [FieldRowPanel([FieldPanel("free_amount"), FieldPanel("supporter_wall")])]

    class Meta:
        verbose_name = _("donation offer")
        verbose_name_plural = _("donation offers")

    def __str__(self):
        return str(_("Donations"))


class DonationPreset(Orderable):
    page = ParentalKey(MERCHANT_PAGE, on_delete=models.CASCADE, related_name="donation_presets")
    name = models.CharField(_("name"), max_length=60, help_text=_("E.g. “ein virtuelles Bier”"))
    amount = CentsField(_("amount"), validators=[MinValueValidator(100)])

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("amount")])]

    class Meta(Orderable.Meta):
        verbose_name = _("donation preset")
        verbose_name_plural = _("donation presets")

    def __str__(self):
        return f"{self.name} ({format_money(self.amount)})"

    def clean(self):
        # Checkout refuses amounts above the limit: refuse them here, where the merchant sees why.
        if self.amount and self.amount > limit_cents():
            raise ValidationError(
                {"amount": _("At most %(amount)s.") % {"amount": format_money(limit_cents())}}
            )


def donation_offer(page) -> DonationOffer | None:
    """How the merchant takes donations, or None if they do not: the one answer for the page's
    button, the map's flag, the checkout and the order. Presets without settings are an offer of
    those amounts alone (no free amount, no wall); settings without a free amount and without
    presets leave nothing to give."""
    offer = DonationOffer.objects.filter(page=page).first()
    has_presets = DonationPreset.objects.filter(page=page).exists()
    if offer is None and has_presets:
        offer = DonationOffer(page=page, free_amount=False, supporter_wall=False)
    if offer is None or not (offer.free_amount or has_presets):
        return None
    return offer


class Campaign(models.Model):
    page = ParentalKey(MERCHANT_PAGE, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000)
    goal = CentsField(_("goal"), validators=[MinValueValidator(100)])
    deadline = models.DateField(_("deadline"))

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("goal"), FieldPanel("deadline")]),
    ]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.title

    def is_open(self, today: date) -> bool:
        return today <= self.deadline


class CampaignReward(Orderable):
    page = ParentalKey(MERCHANT_PAGE, on_delete=models.CASCADE, related_name="campaign_rewards")
    title = models.CharField(_("reward"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    min_amount = CentsField(_("from"), validators=[MinValueValidator(100)])

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("min_amount")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("campaign reward")
        verbose_name_plural = _("campaign rewards")

    def __str__(self):
        return f"{self.title} ({format_money(self.min_amount)})"
