from django.db import models


class DemoTransaction(models.Model):
    """The demo provider's own bookkeeping, standing in for a payment provider's servers."""

    class State(models.TextChoices):
        OPEN = "open"
        PAID = "paid"
        DECLINED = "declined"
        CANCELLED = "cancelled"  # given up by the portal: it can no longer be paid

    reference = models.CharField(max_length=40, unique=True)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    refunded = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.reference
