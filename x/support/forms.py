"""Checkout forms. Prices come from the merchant's published offer: a form only chooses among
them, and services recompute everything before an order exists."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from payments.money import EuroFormField, format_money

OTHER = "other"


class BuyerForm(forms.Form):
    buyer_name = forms.CharField(label=_("Your name"), max_length=120)
    buyer_email = forms.EmailField(
        label=_("Your e-mail address"),
        error_messages={"invalid": _("Please enter a valid e-mail address.")},
    )

    buyer_field_names = ("buyer_name", "buyer_email")
    # What the address is for, in the words of what is bought (a donation brings no voucher).
    email_help = _("Your confirmation is sent here.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer_name"].widget.attrs["autocomplete"] = "name"
        self.fields["buyer_email"].widget.attrs["autocomplete"] = "email"
        self.fields["buyer_email"].help_text = self.email_help


class WallFields(forms.Form):
    on_wall = forms.BooleanField(label=_("Show me on the supporter wall"), required=False)
    supporter_name = forms.CharField(
        label=_("Name on the wall"),
        max_length=60,
        required=False,
        help_text=_("Leave empty to appear as “anonym”."),
    )
    supporter_message = forms.CharField(
        label=_("A short message (optional)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _amount_choices(values):
    return [(str(cents), format_money(cents)) for cents in values]


NOT_OFFERED = _("This value is not offered; please choose one of the values shown.")


class VoucherForm(BuyerForm):
    field_order = ["value", "free_value", "recipient_name", "recipient_email", "gift_message"]
    email_help = _("Your confirmation and your voucher are sent here.")
    value = forms.ChoiceField(
        label=_("Value"), widget=forms.RadioSelect, error_messages={"invalid_choice": NOT_OFFERED}
    )
    free_value = EuroFormField(label=_("Other value in euros"), required=False)
    recipient_name = forms.CharField(
        label=_("For whom? (optional, for a gift)"), max_length=120, required=False
    )
    recipient_email = forms.EmailField(
        label=_("Their e-mail address (optional)"),
        required=False,
        help_text=_(
            "The voucher goes straight to them; you get a confirmation. Leave it empty "
            "to get the voucher yourself."
        ),
        error_messages={"invalid": _("Please enter a valid e-mail address.")},
    )
    gift_message = forms.CharField(
        label=_("Message on the voucher (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        choices = _amount_choices(offer.fixed_values)
        if offer.has_free_value:
            choices.append((OTHER, _("Another value")))
            field = self.fields["free_value"]
            field.min_cents, field.max_cents = offer.free_value_min, offer.free_value_max
            field.help_text = _("From %(min)s to %(max)s.") % {
                "min": format_money(offer.free_value_min),
                "max": format_money(offer.free_value_max),
            }
        else:
            del self.fields["free_value"]
        self.fields["value"].choices = choices
        if len(choices) == 1:
            self.fields["value"].initial = choices[0][0]

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if value == OTHER:
            if data.get("free_value") is None and "free_value" not in self.errors:
                self.add_error("free_value", _("Please enter the value you want."))
            data["amount"] = data.get("free_value")
        elif value:
            data["amount"] = int(value)
        return data


class DonationForm(BuyerForm, WallFields):
    field_order = ["preset", "free_amount", "buyer_name", "buyer_email"]
    email_help = _("Your thank-you and the confirmation of your donation are sent here.")
    preset = forms.ChoiceField(
        label=_("Amount"), widget=forms.RadioSelect, error_messages={"invalid_choice": NOT_OFFERED}
    )
    free_amount = EuroFormField(
        label=_("Other amount in euros"),
        required=False,
        min_value=100,
        max_value=settings.SUPPORT_MAX_AMOUNT,
    )

    def __init__(self, *args, presets, free_amount: bool, wall: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.presets = {str(preset.pk): preset for preset in presets}
        choices = [
            (key, f"{preset.name} – {format_money(preset.amount)}")
            for key, preset in self.presets.items()
        ]
        if free_amount:
            choices.append((OTHER, _("Another amount")))
        else:
            del self.fields["free_amount"]
        self.fields["preset"].choices = choices
        if not wall:
            for name in ("on_wall", "supporter_name", "supporter_message"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        choice = data.get("preset")
        data["preset_object"] = self.presets.get(choice)
        if choice == OTHER:
            if data.get("free_amount") is None and "free_amount" not in self.errors:
                self.add_error("free_amount", _("Please enter the amount you want to give."))
            data["amount"] = data.get("free_amount")
        elif data["preset_object"] is not None:
            data["amount"] = data["preset_object"].amount
        return data


class CampaignForm(BuyerForm, WallFields):
    field_order = ["amount", "reward", "buyer_name", "buyer_email"]
    email_help = _("Your thank-you and the confirmation of your support are sent here.")
    amount = EuroFormField(
        label=_("Your support in euros"), min_value=100, max_value=settings.SUPPORT_MAX_AMOUNT
    )
    reward = forms.ChoiceField(
        label=_("Reward"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    understood = forms.BooleanField(
        label=_(
            "I understand that my support goes to the business even if the goal is not reached."
        )
    )

    def __init__(self, *args, rewards, **kwargs):
        super().__init__(*args, **kwargs)
        self.rewards = {str(reward.pk): reward for reward in rewards}
        if self.rewards:
            self.fields["reward"].choices = [("", _("No reward, thank you"))] + [
                (key, f"{reward.title} ({_('from')} {format_money(reward.min_amount)})")
                for key, reward in self.rewards.items()
            ]
        else:
            del self.fields["reward"]

    def clean(self):
        data = super().clean()
        reward = self.rewards.get(data.get("reward") or "")
        data["reward_object"] = reward
        amount = data.get("amount")
        if reward and amount is not None and amount < reward.min_amount:
            self.add_error(
                "amount",
                ValidationError(
                    _("This reward needs at least %(amount)s.")
                    % {"amount": format_money(reward.min_amount)}
                ),
            )
        return data
