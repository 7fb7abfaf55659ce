from .demo import DemoTransaction
from .offers import Campaign, CampaignReward, DonationOffer, DonationPreset, VoucherOffer
from .orders import InvalidTransition, LedgerEntry, Order, Payment, Voucher
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
]
