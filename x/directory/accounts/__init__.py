"""What happens to merchant accounts, one module per responsibility:

verification.py  e-mail verification of a registration
decisions.py     the editor's decision (approval creates the user, the page and the rights in
                 one transaction)
placement.py     the merchant page approval creates, and where its marker goes
rights.py        the merchant's group, page permission, image collection and review workflow
data_rights.py   the export of a merchant's data, deletion requests and the erasure
mail.py          mail to merchants and reviewers

The names below are the app's interface to accounts (views, admin views, other apps' tests).
"""

from .data_rights import erase, export, request_deletion
from .decisions import approve, reject
from .errors import DecisionError, VerificationError
from .mail import notify_reviewers
from .placement import create_page, directory_of, locate, position_is_approximate
from .rights import (
    IMAGE_PERMISSIONS,
    MERCHANTS_COLLECTION,
    REVIEW_TASK,
    REVIEW_WORKFLOW,
    REVIEWERS_GROUP,
    ensure_review_workflow,
    grant_rights,
)
from .verification import VERIFY_MAX_AGE, VERIFY_SALT, send_verification, verification_token, verify

__all__ = [
    "IMAGE_PERMISSIONS",
    "MERCHANTS_COLLECTION",
    "REVIEWERS_GROUP",
    "REVIEW_TASK",
    "REVIEW_WORKFLOW",
    "VERIFY_MAX_AGE",
    "VERIFY_SALT",
    "DecisionError",
    "VerificationError",
    "approve",
    "create_page",
    "directory_of",
    "ensure_review_workflow",
    "erase",
    "export",
    "grant_rights",
    "locate",
    "notify_reviewers",
    "position_is_approximate",
    "reject",
    "request_deletion",
    "send_verification",
    "verification_token",
    "verify",
]
