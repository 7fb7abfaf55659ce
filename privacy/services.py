"""Writes of a buyer's data rights: the mailed link that proves the address is theirs, the
erasure of their personal details on request, and the retention rule that erases them once
the statutory period is over. Orders themselves change only through payments.services."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from core.ratelimit import count_attempt
from payments.models import Order
from payments.services.privacy import orders_anonymise

from . import mails, selectors
from .hooks import BUYER_DATA_ERASE

logger = logging.getLogger(__name__)

TOKEN_SALT = "privacy.access"  # noqa: S105 - a namespace for signing, not a secret
HOUR = 60 * 60


class InvalidLink(Exception):
    """The link is forged, damaged or expired."""


def access_token(email: str) -> str:
    """A signed, timestamped token naming the address: whoever holds it has read the mail."""
    return signing.dumps(selectors.normalised(email), salt=TOKEN_SALT)


def email_from_token(token: str) -> str:
    try:
        email = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.PRIVACY_LINK_MAX_AGE_HOURS * HOUR
        )
    except signing.BadSignature as error:  # SignatureExpired is one too
        raise InvalidLink(str(error)) from None
    if not isinstance(email, str) or not email:
        raise InvalidLink("no address")
    return email


def _mails_left(email: str) -> bool:
    """At most PRIVACY_MAILS_PER_ADDRESS links an hour to one address, whoever asks (nobody
    floods a stranger's mailbox from many connections)."""
    key = "privacy-mails:" + hashlib.sha256(email.encode()).hexdigest()
    # Counted in this process while the cache is away: the limit holds through an outage.
    return count_attempt(key, window=HOUR) <= settings.PRIVACY_MAILS_PER_ADDRESS


def access_request(*, email: str, link_for, site=None) -> bool:
    """Mail a link to the address if anything is held under it; `link_for(token)` makes the
    absolute URL. Returns whether a mail goes out (the caller must not tell the person)."""
    email = selectors.normalised(email)
    if not selectors.holds_data(email) or not _mails_left(email):
        return False
    link = link_for(access_token(email))

    def send():
        # After the commit, like every mail of the portal: a mail server that fails is logged.
        try:
            mails.send_access_link(email, link, site)
        except Exception:
            logger.exception("Could not send a data-access link")

    transaction.on_commit(send)
    return True


def _erase(orders, email: str | None, reason: str) -> list[int]:
    ids = list(orders.values_list("pk", flat=True))
    fixed = Order.objects.filter(pk__in=ids)  # not by address: that is blanked on the way
    with transaction.atomic():
        for hook in hooks.get_hooks(BUYER_DATA_ERASE):
            hook(fixed, email)
        return orders_anonymise(orders=fixed, reason=reason)


def buyer_erase(*, email: str) -> int:
    """Erase the personal details held under this address (on the buyer's request, proven by
    the mailed link). Orders keep amounts, dates, references and their ledger; vouchers keep
    their value and code. Returns the number of orders anonymised."""
    email = selectors.normalised(email)
    return len(_erase(selectors.buyer_orders(email), email, "request"))


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Orders placed before this moment are past the retention period. The period of §147 AO
    starts at the end of the calendar year of the record, so an order is due in the first year
    that begins PRIVACY_RETENTION_DAYS after the end of its own year."""
    now = now or timezone.now()
    limit = timezone.localtime(now) - timedelta(days=settings.PRIVACY_RETENTION_DAYS)
    return limit.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


def retention_apply(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Anonymise the buyers of every order past the retention period that no seller still
    needs (a voucher with money left waits until it is spent or expired)."""
    due = selectors.retention_due(retention_cutoff(now))
    if dry_run:
        return due.count()
    return len(_erase(due, None, "retention"))
