from .demo import DemoTransaction
from .offers import (
    Campaign,
    CampaignReward,
    DonationOffer,
    DonationPreset,
    VoucherOffer,
    donation_offer,
)
from .orders import InvalidTransition, LedgerEntry, Order, Payment, Voucher, kept_refunds
from .payouts import PayoutAccount

__all__ = [
    "Campaign",
    "CampaignReward",
    "DemoTransaction",
    "DonationOffer",
    "DonationPreset",
    "InvalidTransition",
    "LedgerEntry",
    "Order",
    "Payment",
    "PayoutAccount",
    "Voucher",
    "VoucherOffer",
    "donation_offer",
    "kept_refunds",
]
