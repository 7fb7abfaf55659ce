"""The one small interface every payment provider implements (modelled on pretix), and the
registry that provider apps join in their AppConfig.ready() (`register_provider`).

A checkout creates an Order, then a Payment for it (one per attempt). The provider's `start()`
moves no money by itself: it asks the provider for a payment object and says what the browser must
do next. Whether money arrived is only ever learned from `fetch_state()`, which asks the provider
again: a webhook or a return URL is a trigger to ask, never proof on its own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import Payment


class PaymentError(Exception):
    """A payment could not be started or refunded; the message is shown to the user."""


class ProviderUnavailable(PaymentError):
    """The provider could not be reached; the order stays pending and can be retried."""


class WebhookError(Exception):
    """A webhook that is not genuine (bad or missing signature, unreadable body): answer 400."""


class PaymentState:
    """What the provider says about a payment, in the portal's words."""

    PENDING = "pending"  # created, waiting for the buyer
    PROCESSING = "processing"  # the buyer confirmed, the money is on its way: start no other
    SUCCEEDED = "succeeded"  # the money is ours: fulfil the order
    FAILED = "failed"  # declined; the buyer may try again
    CANCELLED = "cancelled"  # given up; the buyer may try again with a new payment


@dataclass
class NextStep:
    """What the browser does after `start()`: follow a redirect or see a page of the provider's."""

    redirect_url: str | None = None
    template: str | None = None
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Webhook:
    """A genuine webhook: what happened (the provider's event type), and to which payment."""

    event: str
    reference: str | None


class PaymentProvider(ABC):
    name: ClassVar[str]
    verbose_name: ClassVar[str]
    supports_refunds: ClassVar[bool] = False
    supports_cancel: ClassVar[bool] = False

    @abstractmethod
    def start(self, payment: Payment, *, return_url: str) -> NextStep:
        """Create the provider's payment object (store its id in payment.reference) and say what
        the browser must do next; the buyer comes back to `return_url` (absolute). Raise
        PaymentError / ProviderUnavailable."""

    @abstractmethod
    def fetch_state(self, payment: Payment) -> str:
        """Ask the provider for the payment's current state (a PaymentState value)."""

    def cancel(self, payment: Payment) -> str:
        """Make a pending payment impossible to pay, so that another attempt can start; return
        its state afterwards: CANCELLED, or what it became meanwhile (SUCCEEDED, PROCESSING)."""
        raise PaymentError(f"{self.verbose_name} cannot cancel payments.")

    def refund(self, payment: Payment, amount: int) -> str:
        """Refund `amount` cents of a succeeded payment; return the provider's refund id."""
        raise PaymentError(f"{self.verbose_name} cannot refund payments.")

    def refunds(self, payment: Payment) -> list[tuple[str, int]]:
        """(refund id, cents) of every succeeded refund of the payment, oldest first, as the
        provider knows them: refunds made outside the portal are booked from this."""
        return []

    def parse_webhook(self, request: HttpRequest) -> Webhook:
        """Verify a webhook and say which payment it concerns (reference None for events the
        portal ignores). Raise WebhookError when it is not genuine."""
        raise WebhookError(f"{self.verbose_name} sends no webhooks.")


_providers: dict[str, type[PaymentProvider]] = {}


def register_provider(provider: type[PaymentProvider]) -> type[PaymentProvider]:
    """Called by each provider app's ready(); usable as a class decorator."""
    _providers[provider.name] = provider
    return provider


def get_provider(name: str | None = None) -> PaymentProvider:
    """The provider called `name`, or settings.PAYMENT_PROVIDER's (the one new payments use)."""
    name = name or settings.PAYMENT_PROVIDER
    try:
        return _providers[name]()
    except KeyError:
        raise PaymentError(f"No payment provider {name!r} is installed.") from None
