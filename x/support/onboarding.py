"""First offers for a new merchant: what they ticked at registration ("Gutscheine", "Spenden",
"eine Kampagne") is waiting, sensibly filled in, in the "Offers" tab of their page when they
first log in. Approval (directory/accounts/placement.py) calls these on the page's draft
through the offer-flag registry; the draft goes online only when the editors approve it."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from directory import offer_flags

from .models import Campaign, DonationOffer, VoucherOffer

VOUCHER_VALUES = [1000, 2500, 5000]  # 10 €, 25 €, 50 €
CAMPAIGN_GOAL = 100000  # 1.000 €
CAMPAIGN_WEEKS = 8


def prepare_voucher_offer(page) -> bool:
    if page.voucher_offers.exists():
        return False
    page.voucher_offers.add(VoucherOffer(fixed_values=VOUCHER_VALUES))
    return True


def prepare_donation_offer(page) -> bool:
    if page.donation_offers.exists():
        return False
    page.donation_offers.add(DonationOffer(free_amount=True, supporter_wall=True))
    return True


def prepare_campaign(page) -> bool:
    if page.campaigns.exists():
        return False
    page.campaigns.add(
        Campaign(
            title=_("Support %(name)s") % {"name": page.title},
            # Says what is missing, to the merchant and to the editor who reviews the page.
            description=_(
                "Please describe what the money is for, and adjust the goal and the deadline."
            ),
            goal=CAMPAIGN_GOAL,
            deadline=timezone.localdate() + timedelta(weeks=CAMPAIGN_WEEKS),
        )
    )
    return True


def register() -> None:
    offer_flags.register_preparer("voucher", prepare_voucher_offer)
    offer_flags.register_preparer("donation", prepare_donation_offer)
    offer_flags.register_preparer("campaign", prepare_campaign)
