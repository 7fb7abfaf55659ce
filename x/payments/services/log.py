"""Every state change goes through here and is written to the action log (who, when, what)."""

from __future__ import annotations

from ..models import Order, OrderLogEntry, Payment, Refund


def log_action(order: Order, action: str, *, user=None, **data) -> OrderLogEntry:
    return OrderLogEntry.objects.create(
        order=order, action=action, user=user if getattr(user, "pk", None) else None, data=data
    )


def set_order_status(order: Order, status: str, *, user=None, **data) -> None:
    """Move the order along its transition table, save and log it."""
    before = order.status
    order.transition(status)
    fields = ["status"]
    if status == Order.Status.PAID:
        fields += ["paid_at", "fulfilled_at"]
    order.save(update_fields=fields)
    log_action(order, f"order.{status}", user=user, before=before, **data)


def set_payment_state(payment: Payment, state: str, **fields) -> None:
    if payment.state == state and not fields:
        return
    payment.state = state
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.save(update_fields=["state", *fields, "updated_at"])
    log_action(payment.order, f"payment.{state}", payment=payment.pk, provider=payment.provider)


def set_refund_state(refund: Refund, state: str, *, user=None, **fields) -> None:
    if state not in Refund.TRANSITIONS[refund.state]:
        raise ValueError(f"refund {refund.state} → {state}")
    refund.state = state
    for name, value in fields.items():
        setattr(refund, name, value)
    refund.save(update_fields=["state", *fields, "updated_at"])
    log_action(
        refund.order,
        f"refund.{state}",
        user=user,
        refund=refund.pk,
        amount=refund.amount,
        source=refund.source,
    )
