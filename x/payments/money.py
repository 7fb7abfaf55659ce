"""Money is integer cents plus a currency code. Merchants and buyers type euros ("3,50");
this module is the one place that turns them into cents and back."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")


def currency() -> str:
    return settings.PORTAL_CURRENCY


def parse_euros(text: str) -> int:
    """'3,50', '3.50', '3' or '1.000,00' → cents. Raises ValidationError."""
    value = str(text).strip().replace("€", "").replace(" ", "")
    if "," in value:  # German notation: dots group thousands, the comma marks cents
        value = value.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"\d{1,9}(\.\d{1,2})?", value):  # no signs, exponents or NaN
        raise ValidationError(
            _("Please enter an amount in euros, e.g. 25 or 3,50."), code="invalid"
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValidationError(  # noqa: B904 - the user needs the message, not the traceback
            _("Please enter an amount in euros, e.g. 25 or 3,50."), code="invalid"
        )
    if not amount.is_finite() or amount != amount.quantize(CENT) or amount < 0:
        raise ValidationError(
            _("Please enter an amount in euros, e.g. 25 or 3,50."), code="invalid"
        )
    return int(amount * 100)


def to_euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(cents: int | None, currency_code: str = "EUR") -> str:
    """'25,00 €' in German, '25.00 €' in English; whole euros without cents: '25 €'."""
    if cents is None:
        return ""
    places = 0 if cents % 100 == 0 else 2
    amount = number_format(to_euros(cents), places, use_l10n=True, force_grouping=True)
    symbol = "€" if currency_code == "EUR" else currency_code
    return f"{amount}\N{NO-BREAK SPACE}{symbol}"


class EuroFormField(forms.CharField):
    """Typed in euros, cleaned to cents."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        self.min_cents, self.max_cents = min_value, max_value
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        if isinstance(value, int):
            return number_format(to_euros(value), 2, use_l10n=True)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        cents = parse_euros(value)
        if self.min_cents is not None and cents < self.min_cents:
            raise ValidationError(
                _("At least %(amount)s, please.") % {"amount": format_money(self.min_cents)},
                code="min_value",
            )
        if self.max_cents is not None and cents > self.max_cents:
            raise ValidationError(
                _("At most %(amount)s, please.") % {"amount": format_money(self.max_cents)},
                code="max_value",
            )
        return cents


class CentsField(models.PositiveIntegerField):
    """Cents in the database, euros in every form."""

    def formfield(self, **kwargs):
        return super().formfield(**{**kwargs, "form_class": EuroFormField})


class EuroListFormField(forms.CharField):
    """'10, 25, 50' → [1000, 2500, 5000]; shown as people write it: '10 €, 25 €, 50 €'."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(format_money(cents) for cents in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        # "10, 25, 50" or "3,50; 10": a comma followed by a space separates, "3,50" is a price.
        # A "€" on its own is the unit of the value before it ("10 €, 25 €", as shown).
        parts = [part for part in re.split(r"[;\s]+|,\s+", value.strip()) if part not in ("", "€")]
        values = sorted({parse_euros(part) for part in parts})
        if any(cents <= 0 for cents in values):
            raise ValidationError(_("Every value must be more than 0 €."), code="invalid")
        return values


class CentsListField(models.JSONField):
    """A short list of amounts in cents (a voucher offer's fixed values)."""

    def formfield(self, **kwargs):
        return EuroListFormField(
            required=not self.blank, label=self.verbose_name, help_text=self.help_text
        )
