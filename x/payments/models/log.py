"""The action log: every state change of an order, its payments and refunds (who, when, what),
as pretix's order.log_action. Written only by payments.services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .orders import Order


class OrderLogEntry(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="log_entries")
    action = models.CharField(_("action"), max_length=40)  # "order.paid", "refund.done", …
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("order log entry")
        verbose_name_plural = _("order log entries")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.action
