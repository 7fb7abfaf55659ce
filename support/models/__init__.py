from .demo import DemoTransaction
from .offers import Campaign, CampaignReward, DonationOffer, DonationPreset, VoucherOffer
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
    "kept_refunds",
]
