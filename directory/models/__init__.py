"""The directory's models: merchants and their snippets (merchants.py); merchant accounts,
registrations and claims (accounts.py)."""

from .accounts import MerchantAccount, Registration
from .merchants import (
    Category,
    DirectoryPage,
    District,
    Initiative,
    MapSettings,
    MerchantGalleryImage,
    MerchantOpeningHours,
    MerchantPage,
    MerchantSocialLink,
    MerchantTag,
    NamedSnippet,
)

__all__ = [
    "Category",
    "DirectoryPage",
    "District",
    "Initiative",
    "MapSettings",
    "MerchantAccount",
    "MerchantGalleryImage",
    "MerchantOpeningHours",
    "MerchantPage",
    "MerchantSocialLink",
    "MerchantTag",
    "NamedSnippet",
    "Registration",
]
