"""Support's background work: the confirmation of a paid order, with the voucher's PDF, is built
in the worker, not in the webhook or return URL that fulfilled the order."""

from django.db import transaction
from django_tasks import task

from core.tasks import retry_later
from payments.models import Order


@task(priority=50)  # like the mail itself: ahead of bulk index updates
def send_order_confirmation(order_id: int, code: str | None, attempt: int = 1) -> str:
    """`code` is the voucher's only plain copy (the database keeps a keyed hash): it lives in
    the task's arguments until the mail is queued, and in the queued mail until it is sent.
    The crontab prunes finished task results daily (deploy/crontab)."""
    from .mails import send_order_confirmation as send

    try:
        # A gift sends two mails: both are queued, or neither (and the retry sends both).
        with transaction.atomic():
            send(Order.objects.select_related("merchant", "support").get(pk=order_id), code)
    except Exception as error:  # the database away, a storage that holds the logo, ...
        return retry_later(send_order_confirmation, order_id, code, attempt=attempt, error=error)
    return "queued"
