"""E-mail verification: the signed link a registration is confirmed with."""

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Registration
from ..models.accounts import VERIFY_MAX_AGE
from .errors import VerificationError
from .mail import hours, mail, notify_reviewers

VERIFY_SALT = "directory.registration.verify"


def verification_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=VERIFY_SALT, compress=True)


def verify(token: str) -> tuple[Registration, bool]:
    """Confirm the e-mail address behind a link; returns the registration and whether this
    click confirmed it (False: it was confirmed before). Raises VerificationError."""
    try:
        pk = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as error:
        raise VerificationError(
            _("This link has expired. Please register again."), expired=True
        ) from error
    except signing.BadSignature as error:
        raise VerificationError(_("This link is not valid.")) from error
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(pk=pk).first()
        if registration is None:
            raise VerificationError(_("This registration no longer exists."))
        if registration.status != Registration.Status.UNVERIFIED:
            return registration, False
        registration.status = Registration.Status.PENDING
        registration.verified_at = timezone.now()
        registration.save(update_fields=["status", "verified_at"])
    notify_reviewers(
        registration.site,
        _("New registration: %(name)s") % {"name": registration.business_name},
        "directory/emails/registration_to_review.txt",
        {"registration": registration},
    )
    return registration, True


def send_verification(registration: Registration, link: str) -> None:
    mail(
        registration.email,
        _("Please confirm your e-mail address"),
        "directory/emails/verify.txt",
        {"registration": registration, "link": link, "hours": hours(VERIFY_MAX_AGE)},
        site=registration.site,
    )
