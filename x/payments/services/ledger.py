"""The only code that writes ledger entries."""

from __future__ import annotations

from ..models import LedgerEntry, Order, Payment


def book(order: Order, kind: str, amount: int, **fields) -> LedgerEntry:
    return LedgerEntry.objects.create(
        kind=kind,
        amount=amount,
        currency=order.currency,
        site_id=order.site_id,
        merchant_id=order.merchant_id,
        order=order,
        **fields,
    )


def book_payment(order: Order, payment: Payment) -> None:
    fields = {"reference": payment.reference or "", "payment": payment}
    book(order, LedgerEntry.Kind.PAYMENT, payment.amount, **fields)
    if payment.platform_fee > 0:
        book(order, LedgerEntry.Kind.FEE, -payment.platform_fee, **fields)
    if payment.destination:
        # The provider sent the money straight to the merchant's account: nothing of it
        # stays with the platform, so it is paid out the moment it is paid.
        book(order, LedgerEntry.Kind.PAYOUT, -(payment.amount - payment.platform_fee), **fields)


def redemption_book(*, order: Order, amount: int, user=None) -> LedgerEntry:
    """Book `amount` cents of what the order bought as spent at the merchant's counter (a
    voucher). The seller checks the balance under its own row lock before it calls this."""
    return book(order, LedgerEntry.Kind.REDEMPTION, -amount, user=user)


def redemption_reverse(*, entry: LedgerEntry, user=None) -> LedgerEntry:
    """A storno: book a redemption taken back as a positive redemption entry of its own that
    points at it (the ledger is never edited). The database allows one per redemption
    (LedgerEntry.reverses is one-to-one); the seller checks who may reverse what and when,
    under the same row lock as a redemption."""
    return book(entry.order, LedgerEntry.Kind.REDEMPTION, -entry.amount, user=user, reverses=entry)
