from .offers import (
    Campaign,
    CampaignReward,
    DonationOffer,
    DonationPreset,
    VoucherOffer,
    donation_offer,
)
from .orders import SupportOrder, Voucher

__all__ = [
    "Campaign",
    "CampaignReward",
    "DonationOffer",
    "DonationPreset",
    "SupportOrder",
    "Voucher",
    "VoucherOffer",
    "donation_offer",
]
