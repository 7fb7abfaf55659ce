"""Registration and claim forms, with spam protection that needs no third-party service:
a honeypot field, a minimum fill time (a signed timestamp) and, in the view, a rate limit."""

import time

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.folding import fold

from .models import Category, District, MerchantPage, Registration

STARTED_SALT = "directory.registration.started"


class SpamProtectedForm(forms.Form):
    # Hidden from people by CSS and aria-hidden; bots fill in whatever looks like a field.
    homepage = forms.CharField(label=_("Please leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homepage"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def clean(self):
        # Shown above the form: people never see these two fields.
        cleaned = super().clean()
        if cleaned.get("homepage"):
            self.add_error(
                None,
                _(
                    "A field that must stay empty was filled in, perhaps by your browser. "
                    "Please send the form again."
                ),
            )
        try:
            started = float(signing.loads(cleaned.get("started", ""), salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            self.add_error(None, _("The form was damaged on the way. Please send it again."))
        else:
            if time.time() - started < settings.REGISTRATION_MIN_SECONDS:
                self.add_error(
                    None,
                    _("That was very quick! Please check your details and send the form again."),
                )
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.errors:
            # A fresh timestamp, so that a corrected form is not refused as too quick.
            self.data = self.data.copy()
            self.data[self.add_prefix("homepage")] = ""
            self.data[self.add_prefix("started")] = signing.dumps(
                time.time() - settings.REGISTRATION_MIN_SECONDS, salt=STARTED_SALT
            )


OFFER_FIELDS = ["wants_vouchers", "wants_donations", "wants_campaign"]
OFFER_QUESTION = _("What would you like to offer?")


class AccountFieldsMixin(forms.ModelForm):
    """Who registers: contact person, e-mail, password, offers and the terms."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and the privacy policy."),
        error_messages={"required": _("Please accept the terms to register.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = _(
            "Please enter a valid e-mail address, e.g. name@example.org."
        )
        for field in self.fields.values():
            if isinstance(field, forms.BooleanField):
                field.label_suffix = ""  # "Gutscheine", not "Gutscheine:", beside a checkbox

    def field_groups(self) -> list[tuple[str | None, list]]:
        """The visible fields in order, as (legend, fields): the offer checkboxes together under
        their question, every other field on its own (legend None)."""
        groups: list[tuple[str | None, list]] = []
        offers: list = []
        for field in self.visible_fields():
            if field.name in OFFER_FIELDS:
                if not offers:
                    groups.append((OFFER_QUESTION, offers))
                offers.append(field)
            else:
                groups.append((None, [field]))
        return groups

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        taken = (
            get_user_model().objects.filter(email__iexact=email).exists()
            or Registration.objects.open().filter(email__iexact=email).exists()
        )
        if taken:
            raise forms.ValidationError(
                _(
                    "This e-mail address is already registered. Check your inbox for our "
                    "confirmation mail, or log in."
                )
            )
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password

    def save(self, site, claimed_page=None):
        registration = super().save(commit=False)
        registration.password = make_password(self.cleaned_data["password"])
        registration.terms_accepted_at = timezone.now()
        registration.site = site
        if claimed_page is not None:
            registration.kind = Registration.Kind.CLAIM
            registration.claimed_page = claimed_page
            registration.business_name = claimed_page.title
            registration.category = claimed_page.category
            registration.district = claimed_page.district
            registration.street = claimed_page.street
            registration.postcode = claimed_page.postcode
            registration.city = claimed_page.city
        with transaction.atomic():
            # Expired sign-ups hold nothing any more: this one takes the place of any for the
            # same address or business, and none of their personal data is kept.
            Registration.objects.expired().delete()
            registration.save()
        return registration


ACCOUNT_FIELDS = ["contact_name", "email", "password", "phone", *OFFER_FIELDS]
ANTI_SPAM_FIELDS = ["homepage", "started"]


class RegistrationForm(SpamProtectedForm, AccountFieldsMixin):
    class Meta:
        model = Registration
        fields = [
            "business_name",
            "category",
            "district",
            "street",
            "postcode",
            "city",
            "contact_name",
            "email",
            "phone",
            *OFFER_FIELDS,
        ]
        labels = {"phone": _("Phone (optional)"), "district": _("District (optional)")}

    field_order = [
        "business_name",
        "category",
        "street",
        "postcode",
        "city",
        "district",
        *ACCOUNT_FIELDS,
        "accept_terms",
        *ANTI_SPAM_FIELDS,
    ]

    def __init__(self, *args, site, city_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()
        self.fields["category"].empty_label = _("Please choose")
        # Only this city's districts: a posted id of another city's is refused as invalid.
        self.fields["district"].queryset = District.objects.filter(site=site)
        if city_name:
            self.initial.setdefault("city", city_name)

    def clean(self):
        cleaned = super().clean()
        name, street = cleaned.get("business_name"), cleaned.get("street")
        if name and street:
            duplicate = _duplicate_of(name, street, cleaned.get("postcode", ""))
            if isinstance(duplicate, MerchantPage):
                self.listed_duplicate = duplicate  # the page offers the claim link
                raise forms.ValidationError(
                    _(
                        "%(name)s at this address is already on the map. If it is your "
                        "business, please claim the entry instead."
                    )
                    % {"name": duplicate.title},
                    code="listed",
                )
            if duplicate is not None:
                raise forms.ValidationError(
                    _("This business has already been registered at this address."),
                    code="registered",
                )
        return cleaned


class ClaimForm(SpamProtectedForm, AccountFieldsMixin):
    class Meta:
        model = Registration
        fields = ["contact_name", "email", "phone", *OFFER_FIELDS]
        labels = {"phone": _("Phone (optional)")}

    field_order = [*ACCOUNT_FIELDS, "accept_terms", *ANTI_SPAM_FIELDS]


def _duplicate_of(name: str, street: str, postcode: str):
    """A listed merchant or an open registration with the same name and address, however
    the name is spelt ("Möllerbrücke" = "Moellerbruecke")."""
    key = (fold(name), fold(street))
    for page in MerchantPage.objects.filter(postcode=postcode).only("title", "street"):
        if (fold(page.title), fold(page.street)) == key:
            return page
    open_registrations = Registration.objects.open().filter(postcode=postcode)
    for registration in open_registrations.only("business_name", "street"):
        if (fold(registration.business_name), fold(registration.street)) == key:
            return registration
    return None
