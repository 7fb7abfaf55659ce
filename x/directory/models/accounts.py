"""Merchant accounts: who owns which merchant page, and the registrations and claims that
lead to an account (directory/accounts/ holds what happens on approval and erasure)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, Site

from .merchants import Category, District, MerchantPage

VERIFY_MAX_AGE = timedelta(days=2)  # how long the link in the confirmation mail works


class MerchantAccount(models.Model):
    """A merchant's user and the one page it owns. The group carries the page and image
    rights (Wagtail's own permissions); deleting the account takes them away."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="merchant_account",
    )
    page = models.OneToOneField(
        MerchantPage, verbose_name=_("merchant"), on_delete=models.CASCADE, related_name="account"
    )
    group = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="merchant_account"
    )
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="merchant_account"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    deletion_requested_at = models.DateTimeField(_("deletion requested"), null=True, blank=True)

    class Meta:
        verbose_name = _("merchant account")
        verbose_name_plural = _("merchant accounts")

    def __str__(self):
        return f"{self.page.title} ({self.user.email})"


class RegistrationQuerySet(models.QuerySet):
    def expired(self):
        """Never confirmed, and the link in the mail no longer works."""
        return self.filter(
            status=Registration.Status.UNVERIFIED,
            created_at__lt=timezone.now() - VERIFY_MAX_AGE,
        )

    def open(self):
        """Those that hold their e-mail address and business: waiting for the confirmation
        (while the link works), waiting for review, or approved."""
        open_statuses = [
            Registration.Status.UNVERIFIED,
            Registration.Status.PENDING,
            Registration.Status.APPROVED,
        ]
        return self.filter(status__in=open_statuses).exclude(pk__in=self.expired().values("pk"))


class Registration(models.Model):
    """A sign-up for a new merchant page, or a claim of an existing one, until an editor
    decides. The password is stored hashed, as on the user it becomes."""

    class Kind(models.TextChoices):
        NEW = "new", _("new merchant")
        CLAIM = "claim", _("claim of an existing entry")

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("e-mail not confirmed yet")
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED
    )
    site = models.ForeignKey(Site, verbose_name=_("city"), on_delete=models.CASCADE)
    claimed_page = models.ForeignKey(
        MerchantPage,
        verbose_name=_("claimed entry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claims",
    )

    business_name = models.CharField(_("business name"), max_length=255)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, on_delete=models.SET_NULL
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL
    )
    street = models.CharField(_("street and number"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("e-mail"))
    password = models.CharField(_("password"), max_length=128)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    wants_vouchers = models.BooleanField(_("vouchers"), default=False)
    wants_donations = models.BooleanField(_("donations"), default=False)
    wants_campaign = models.BooleanField(_("a campaign"), default=False)
    terms_accepted_at = models.DateTimeField(_("terms accepted"))

    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    verified_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message to the merchant"), blank=True)
    account = models.ForeignKey(
        MerchantAccount,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="registration_status")]

    def __str__(self):
        return self.business_name

    @property
    def address_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def offers(self) -> list[str]:
        wanted = [
            (self.wants_vouchers, _("vouchers")),
            (self.wants_donations, _("donations")),
            (self.wants_campaign, _("a campaign")),
        ]
        return [str(label) for wanted_it, label in wanted if wanted_it]
