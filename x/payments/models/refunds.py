"""A refund is a record of its own (as pretix's OrderRefund): asked for by someone, sent to the
provider, done or failed. Only a done refund is booked in the ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..money import format_money
from .orders import Order, Payment


class Refund(models.Model):
    class State(models.TextChoices):
        CREATED = "created", _("created")  # recorded, not yet sent to the provider
        TRANSIT = "transit", _("in transit")  # the provider took it and has not finished
        DONE = "done", _("done")  # the money is on its way back: booked in the ledger
        FAILED = "failed", _("failed")  # the provider refused it or could not be reached
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS = {
        State.CREATED: {State.TRANSIT, State.DONE, State.FAILED, State.CANCELLED},
        State.TRANSIT: {State.DONE, State.FAILED, State.CANCELLED},
        State.FAILED: set(),
        State.DONE: set(),
        State.CANCELLED: set(),
    }

    class Source(models.TextChoices):
        BUYER = "buyer", _("buyer")
        EDITOR = "editor", _("editor")
        PROVIDER = "provider", _("provider (e.g. its dashboard)")
        PORTAL = "portal", _("portal (a payment the order did not keep)")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CREATED
    )
    source = models.CharField(_("asked for by"), max_length=10, choices=Source.choices)
    reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "pk"]
        constraints = [
            # A provider's refund is recorded once, whether the admin or the webhook saw it first.
            models.UniqueConstraint(
                fields=["payment", "reference"],
                condition=~Q(reference=""),
                name="one_refund_per_provider_refund",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self):
        return f"{format_money(self.amount, self.currency)} ({self.get_state_display()})"
