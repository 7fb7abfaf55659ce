"""Writes of what residents buy for merchants: placing voucher, donation and campaign orders
(priced here, from the published offer), issuing, redeeming and reissuing vouchers. Money
moves only through payments.services."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import MerchantAccount
from payments import services as payments
from payments.models import LedgerEntry, Order
from payments.money import format_money
from payments.services import OrderRefused

from . import codes, selectors
from .models import Campaign, CampaignReward, SupportOrder, Voucher, VoucherOffer, donation_offer

VOUCHER, DONATION, CAMPAIGN = "voucher", "donation", "campaign"  # product kinds (kinds.py)

logger = logging.getLogger(__name__)


class RedemptionRefused(Exception):
    pass


@dataclass
class Buyer:
    name: str
    email: str
    recipient_name: str = ""
    recipient_email: str = ""
    gift_message: str = ""
    supporter_name: str = ""
    supporter_message: str = ""
    on_wall: bool = False


def _place(*, merchant, kind: str, amount: int, item: str, buyer: Buyer, site, **fields) -> Order:
    order = payments.order_place(
        site=site,
        merchant=merchant,
        kind=kind,
        amount=amount,
        item=item,
        buyer_name=buyer.name,
        buyer_email=buyer.email,
    )
    SupportOrder.objects.create(
        order=order,
        recipient_name=buyer.recipient_name,
        recipient_email=buyer.recipient_email,
        gift_message=buyer.gift_message,
        **fields,
    )
    return order


def _holds_key(offer: VoucherOffer, client: str) -> str:
    # A hash, not the address: the cache holds no personal data in the clear.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client}".encode()).hexdigest()[:32]
    return f"support:holds:{offer.pk}:{digest}"


def _orders_from(offer: VoucherOffer, client: str) -> list[int]:
    """The orders of this offer placed from `client` (an address) within the reservation time.
    Kept in the cache only as long as they could hold anything; with the cache away, none
    (the e-mail address still counts)."""
    if not client:
        return []
    try:
        return cache.get(_holds_key(offer, client)) or []
    except Exception:  # the cache degrades, it never breaks a checkout
        logger.warning("Cache unavailable: reservations by address are not counted")
        return []


def _note_order_from(offer: VoucherOffer, client: str, order: Order) -> None:
    key = _holds_key(offer, client)
    try:
        cache.set(
            key, [*_orders_from(offer, client), order.pk], settings.SUPPORT_RESERVATION_MINUTES * 60
        )
    except Exception:
        logger.warning("Cache unavailable: reservation of order %s not noted", order.pk)


@transaction.atomic
def order_voucher(*, merchant, amount: int, buyer: Buyer, site, client: str = "") -> Order:
    """A pending order of one voucher. Of a limited offer, an unpaid order holds its voucher
    while it is being paid (payments.services.reservation_holding), and one client (its
    address `client`, or its e-mail address) may hold at most
    SUPPORT_OPEN_RESERVATIONS_PER_CLIENT at once: as a ticket shop limits what one order and
    one buyer may take, so that nobody can sit on a whole stock without paying, while
    buyers who pay get theirs at once."""
    # The offer's row lock serialises buyers of one offer: a limited stock is never oversold.
    offer = VoucherOffer.objects.select_for_update().filter(page=merchant).first()
    if offer is None or not merchant.live:
        raise OrderRefused(_("This merchant does not sell vouchers at the moment."))
    if not offer.accepts(amount):
        raise OrderRefused(_("This voucher value is not available."))
    if offer.stock is not None:
        held = selectors.held_by_client(
            offer, email=buyer.email, orders=_orders_from(offer, client)
        )
        if held >= settings.SUPPORT_OPEN_RESERVATIONS_PER_CLIENT:
            raise OrderRefused(
                _(
                    "You have unpaid orders for these vouchers already. Please pay them, or "
                    "order again in %(minutes)s minutes."
                )
                % {"minutes": settings.SUPPORT_RESERVATION_MINUTES}
            )
        if selectors.reserved_vouchers(offer) >= offer.stock:
            raise OrderRefused(_("Sorry, all vouchers are sold."))
    value = offer.value_for(amount)
    order = _place(
        merchant=merchant,
        kind=VOUCHER,
        amount=amount,
        item=_("Voucher worth %(value)s") % {"value": format_money(value)},
        buyer=buyer,
        site=site,
        voucher_offer=offer,
        voucher_value=value,
    )
    if offer.stock is not None and client:
        # Still under the offer's lock, so the client's next order sees it; should this
        # transaction roll back, the noted id is of no order and counts nothing.
        _note_order_from(offer, client, order)
    return order


@transaction.atomic
def order_donation(*, merchant, amount: int, buyer: Buyer, site, preset=None) -> Order:
    offer = donation_offer(merchant)
    if offer is None or not merchant.live:
        raise OrderRefused(_("This merchant does not take donations at the moment."))
    if preset is not None and preset.page_id != merchant.pk:
        raise OrderRefused(_("Please choose one of the amounts."))
    if preset is not None:
        amount, item = preset.amount, preset.name
    elif offer.free_amount:
        item = _("Donation")
    else:
        raise OrderRefused(_("Please choose one of the amounts."))
    wall = SupportOrder.Wall.PENDING if offer.supporter_wall and buyer.on_wall else ""
    return _place(
        merchant=merchant,
        kind=DONATION,
        amount=amount,
        item=item,
        buyer=buyer,
        site=site,
        supporter_name=buyer.supporter_name if wall else "",
        supporter_message=buyer.supporter_message if wall else "",
        wall=wall,
    )


@transaction.atomic
def order_campaign(
    *, merchant, amount: int, buyer: Buyer, site, reward: CampaignReward | None = None
) -> Order:
    campaign = Campaign.objects.filter(page=merchant).first()
    if campaign is None or not merchant.live:
        raise OrderRefused(_("This merchant runs no campaign at the moment."))
    if not campaign.is_open(timezone.localdate()):
        raise OrderRefused(_("This campaign has ended."))
    if reward is not None and amount < reward.min_amount:
        raise OrderRefused(
            _("This reward needs at least %(amount)s.")
            % {"amount": format_money(reward.min_amount)}
        )
    return _place(
        merchant=merchant,
        kind=CAMPAIGN,
        amount=amount,
        item=campaign.title,
        buyer=buyer,
        site=site,
        campaign=campaign,
        reward=reward,
        supporter_name=buyer.supporter_name if buyer.on_wall else "",
        supporter_message=buyer.supporter_message if buyer.on_wall else "",
        wall=SupportOrder.Wall.PENDING if buyer.on_wall else "",
    )


def voucher_issue(*, order: Order) -> str:
    """Create the order's voucher; returns its code, which exists from here on only in the
    buyer's mail and PDF."""
    details = order.support
    offer = details.voucher_offer
    issued = timezone.localdate()
    valid_until = offer.valid_until(issued) if offer else issued.replace(year=issued.year + 3)
    while True:
        code = codes.new_code()
        try:
            with transaction.atomic():  # a collision of 100-bit codes: astronomically unlikely
                Voucher.objects.create(
                    order=order,
                    merchant_id=order.merchant_id,
                    value=details.voucher_value,
                    currency=order.currency,
                    code_digest=codes.digest(code),
                    code_hint=code[-4:],
                    valid_until=valid_until,
                )
            return code
        except IntegrityError:
            if Voucher.objects.filter(order=order).exists():
                raise


def voucher_reissue(*, voucher: Voucher, email: str, user=None) -> str:
    """A new code for a voucher whose mail never arrived (or was lost), sent to `email` (the
    buyer's address, or a corrected one). Only the digest of a code is stored, so the old code
    cannot be sent again: it stops working, the balance stays. Returns the new code."""
    from .tasks import send_order_confirmation

    with transaction.atomic():
        voucher = (
            Voucher.objects.select_for_update(of=("self",))
            .select_related("order__support")
            .get(pk=voucher.pk)
        )
        code = codes.new_code()
        voucher.code_digest, voucher.code_hint = codes.digest(code), code[-4:]
        voucher.code_reissued_at = timezone.now()
        voucher.save(update_fields=["code_digest", "code_hint", "code_reissued_at"])
        order, details = voucher.order, voucher.order.support
        if details.voucher_email != email:  # a corrected address: the recipient's, or the buyer's
            if details.recipient_email:
                details.recipient_email = email
                details.save(update_fields=["recipient_email"])
            else:
                order.buyer_email = email
                order.save(update_fields=["buyer_email"])
        payments.log_action(order, "voucher.reissued", user=user, email=email)
    # After the commit: the new code is only valid once saved. A mail that cannot be delivered
    # shows under the failed e-mails, to be sent again.
    send_order_confirmation.enqueue(order.pk, code)
    return code


@transaction.atomic
def voucher_redeem(*, voucher: Voucher, merchant, amount: int, user=None) -> LedgerEntry:
    """Spend `amount` cents of a voucher at its merchant's counter. The voucher's row lock makes
    two tills wait for each other, so the balance can never go below zero."""
    # Only the voucher's row: refund_create locks the order, then the voucher (kinds.py).
    voucher = (
        Voucher.objects.select_for_update(of=("self",)).select_related("order").get(pk=voucher.pk)
    )
    if voucher.merchant_id != merchant.pk:
        raise RedemptionRefused(_("This voucher belongs to another merchant."))
    if voucher.order.status == Order.Status.REFUNDED:
        raise RedemptionRefused(_("This voucher was refunded and is no longer valid."))
    if voucher.valid_until < timezone.localdate():
        raise RedemptionRefused(
            _("This voucher expired on %(date)s.") % {"date": voucher.valid_until}
        )
    balance = voucher.balance()
    if amount <= 0:
        raise RedemptionRefused(_("Please enter an amount above 0 €."))
    if amount > balance:
        raise RedemptionRefused(
            _("Only %(balance)s are left on this voucher.") % {"balance": format_money(balance)}
        )
    return payments.redemption_book(order=voucher.order, amount=amount, user=user)


@transaction.atomic
def voucher_redeem_checked(
    *, voucher: Voucher, merchant, amount: int | None, expected: int, user=None
) -> LedgerEntry:
    """voucher_redeem, but only while the balance is still the one the merchant saw (amount
    None: all of it). The voucher's row lock is held until the booking is done."""
    locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
    balance = locked.balance()
    if balance != expected:
        raise RedemptionRefused(
            _("The balance has changed in the meantime: %(balance)s are left. Please check.")
            % {"balance": format_money(balance)}
        )
    return voucher_redeem(
        voucher=locked, merchant=merchant, amount=balance if amount is None else amount, user=user
    )


def storno_deadline(entry: LedgerEntry):
    """Until when the merchant may take back a redemption booked at their counter."""
    return entry.created_at + timedelta(minutes=settings.SUPPORT_REDEMPTION_STORNO_MINUTES)


def storno_possible(entry: LedgerEntry) -> bool:
    """Whether the counter offers to take this redemption back (the service decides)."""
    return (
        entry.kind == LedgerEntry.Kind.REDEMPTION
        and entry.amount < 0
        and timezone.now() <= storno_deadline(entry)
        and not LedgerEntry.objects.filter(reverses=entry).exists()
    )


@transaction.atomic
def voucher_redemption_reverse(
    *, voucher: Voucher, merchant, entry_id: int, user=None
) -> LedgerEntry:
    """Take back a redemption booked by mistake (a storno): only the voucher's own merchant,
    only within SUPPORT_REDEMPTION_STORNO_MINUTES, only once. Booked as a ledger entry of its
    own under the voucher's row lock (as a redemption is), so the balance it gives back cannot
    be spent twice; logged on the order."""
    voucher = (
        Voucher.objects.select_for_update(of=("self",)).select_related("order").get(pk=voucher.pk)
    )
    if voucher.merchant_id != merchant.pk:
        raise RedemptionRefused(_("This voucher belongs to another merchant."))
    entry = voucher.redemptions.filter(pk=entry_id, amount__lt=0).first()
    if entry is None or entry.merchant_id != merchant.pk:
        raise RedemptionRefused(_("This redemption cannot be taken back."))
    if voucher.order.status == Order.Status.REFUNDED:
        raise RedemptionRefused(_("This voucher was refunded and is no longer valid."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise RedemptionRefused(_("This redemption has been taken back already."))
    if timezone.now() > storno_deadline(entry):
        raise RedemptionRefused(
            _("A redemption can only be taken back within %(minutes)s minutes.")
            % {"minutes": settings.SUPPORT_REDEMPTION_STORNO_MINUTES}
        )
    try:
        with transaction.atomic():  # the one-to-one constraint: the last line of defence
            storno = payments.redemption_reverse(entry=entry, user=user)
    except IntegrityError as error:
        raise RedemptionRefused(_("This redemption has been taken back already.")) from error
    payments.log_action(
        voucher.order,
        "voucher.redemption_reversed",
        user=user,
        entry=entry.pk,
        storno=storno.pk,
        amount=storno.amount,
    )
    return storno


def wall_moderate(*, details: SupportOrder, shown: bool) -> None:
    """The merchant shows or hides one supporter's name and message."""
    details.wall = SupportOrder.Wall.SHOWN if shown else SupportOrder.Wall.HIDDEN
    details.save(update_fields=["wall"])


class WallModerationRefused(Exception):
    pass


def wall_moderate_for_city(*, details: SupportOrder, shown: bool, user) -> None:
    """An editor or moderator shows or hides one supporter's message (the entry comes from
    selectors.wall_moderation_entries: their city's). A merchant who owns their page decides
    what shows on it: there the editors may only hide. Logged on the order (who, what)."""
    owned = MerchantAccount.objects.filter(page_id=details.order.merchant_id).exists()
    if shown and owned:
        raise WallModerationRefused(
            _("This merchant moderates their own wall; editors can only hide messages there.")
        )
    wall_moderate(details=details, shown=shown)
    payments.log_action(details.order, "wall.shown" if shown else "wall.hidden", user=user)
