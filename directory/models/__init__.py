"""The directory's models, one module per responsibility: the snippets (snippets.py), the map's
the directory page (directory_page.py), merchants' pages and
what hangs off them (merchants.py); merchant accounts, registrations and claims (accounts.py);
the review task of their changes (review.py); partner imports (imports.py)."""

from .accounts import MerchantAccount, Registration
from .directory_page import DirectoryPage
from .imports import ImportCandidate, ImportJob, ImportSource, MerchantSourceRecord
from .merchants import (
    MerchantGalleryImage,
    MerchantOpeningHours,
    MerchantPage,
    MerchantSocialLink,
    MerchantTag,
)
from .review import MerchantReviewTask
from .snippets import Category, District, Initiative, NamedSnippet

__all__ = [
    "Category",
    "DirectoryPage",
    "District",
    "ImportCandidate",
    "ImportJob",
    "ImportSource",
    "Initiative",
    "MerchantAccount",
    "MerchantGalleryImage",
    "MerchantOpeningHours",
    "MerchantPage",
    "MerchantReviewTask",
    "MerchantSourceRecord",
    "MerchantSocialLink",
    "MerchantTag",
    "NamedSnippet",
    "Registration",
]
