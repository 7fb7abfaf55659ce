"""The offline default: a clearly marked test payment page where the buyer chooses whether the
payment succeeds. It moves no money and refuses to load where PAYMENT_DEMO_ALLOWED is off (the
production settings)."""

import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse

from payments.providers import NextStep, PaymentError, PaymentProvider, PaymentState

from .models import DemoTransaction

STATES = {
    DemoTransaction.State.OPEN: PaymentState.PENDING,
    DemoTransaction.State.PAID: PaymentState.SUCCEEDED,
    DemoTransaction.State.DECLINED: PaymentState.FAILED,
    DemoTransaction.State.CANCELLED: PaymentState.CANCELLED,
}


class DemoProvider(PaymentProvider):
    name = "demo"
    verbose_name = "Demo"
    supports_refunds = True
    supports_cancel = True

    def __init__(self):
        if not settings.PAYMENT_DEMO_ALLOWED:
            raise ImproperlyConfigured("The demo payment provider must not run in production.")

    def start(self, payment, *, return_url):
        payment.reference = f"demo_{secrets.token_urlsafe(16)}"
        DemoTransaction.objects.create(
            reference=payment.reference, amount=payment.amount, currency=payment.currency
        )
        return NextStep(redirect_url=reverse("payments_demo:payment", args=[payment.reference]))

    def fetch_state(self, payment):
        state = DemoTransaction.objects.get(reference=payment.reference).state
        return STATES[state]

    def cancel(self, payment):
        DemoTransaction.objects.filter(
            reference=payment.reference, state=DemoTransaction.State.OPEN
        ).update(state=DemoTransaction.State.CANCELLED)
        return self.fetch_state(payment)

    @transaction.atomic
    def refund(self, payment, amount):
        demo = DemoTransaction.objects.select_for_update().get(reference=payment.reference)
        if demo.state != DemoTransaction.State.PAID or demo.refunded + amount > demo.amount:
            raise PaymentError("The demo payment cannot be refunded by this amount.")
        demo.refunded += amount
        demo.save(update_fields=["refunded"])
        return f"demo_refund_{secrets.token_urlsafe(8)}"

    @staticmethod
    def decide(reference: str, pay: bool) -> None:
        """What the buyer clicks on the test payment page."""
        DemoTransaction.objects.filter(
            reference=reference, state=DemoTransaction.State.OPEN
        ).update(state=DemoTransaction.State.PAID if pay else DemoTransaction.State.DECLINED)
