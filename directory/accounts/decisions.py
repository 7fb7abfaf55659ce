"""The editor's decision on a registration: approval creates the user, the page (or hands
over the claimed one) and the rights in one transaction; rejection says why."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from pages.mails import city_title

from ..models import MerchantAccount, Registration
from .errors import DecisionError
from .mail import admin_url, mail
from .placement import create_page, position_is_approximate, prepare_offers
from .rights import grant_rights


def approve(registration_pk: int, editor, message: str = "") -> MerchantAccount:
    """Create the merchant's user, page (or hand over the claimed one) and rights, once."""
    with transaction.atomic():
        registration = _pending(registration_pk)
        page = registration.claimed_page
        if page is not None:
            # Two claims of one entry approved at once: the second waits for this row lock,
            # then finds the entry owned.
            Page.objects.select_for_update().get(pk=page.pk)
            if MerchantAccount.objects.filter(page=page).exists():
                raise DecisionError(_("This entry already belongs to a merchant account."))
        user_model = get_user_model()
        if user_model.objects.filter(email__iexact=registration.email).exists():
            raise DecisionError(_("A user with this e-mail address exists already."))
        first_name, _space, last_name = registration.contact_name.partition(" ")
        try:
            user = user_model.objects.create(
                username=registration.email.lower(),
                email=registration.email,
                first_name=first_name[:150],
                last_name=last_name[:150],
                password=registration.password,  # hashed at registration
            )
        except IntegrityError as error:
            raise DecisionError(_("A user with this e-mail address exists already.")) from error
        if page is None:
            page = create_page(registration, user)
        try:
            account = grant_rights(user, page)
        except IntegrityError as error:  # owned meanwhile, where rows cannot be locked
            raise DecisionError(_("This entry already belongs to a merchant account.")) from error
        prepare_offers(page, registration, user)
        registration.status = Registration.Status.APPROVED
        registration.account = account
        _decided(registration, editor, message)
    _send_decision(registration)  # only once the transaction has committed
    return account


def reject(registration_pk: int, editor, message: str) -> Registration:
    if not message.strip():
        raise DecisionError(_("Please tell the merchant why."))
    with transaction.atomic():
        registration = _pending(registration_pk)
        registration.status = Registration.Status.REJECTED
        _decided(registration, editor, message)
    _send_decision(registration)
    return registration


def _pending(pk: int) -> Registration:
    # The row lock makes a second click (or a second editor) wait, then find it decided.
    registration = Registration.objects.select_for_update().get(pk=pk)
    if registration.status != Registration.Status.PENDING:
        raise DecisionError(
            _("This registration is %(status)s; nothing was changed.")
            % {"status": registration.get_status_display()}
        )
    return registration


def _decided(registration: Registration, editor, message: str) -> None:
    registration.decided_at = timezone.now()
    registration.decided_by = editor
    registration.message = message.strip()
    registration.save()


def _send_decision(registration: Registration) -> None:
    approved = registration.status == Registration.Status.APPROVED
    site = registration.site
    subject = (
        _("Welcome to %(portal)s") % {"portal": city_title(site)}
        if approved
        else _("Your registration")
    )
    mail(
        registration.email,
        subject,
        "directory/emails/decision.txt",
        {
            "registration": registration,
            "approved": approved,
            "admin_url": admin_url(site),
            "needs_marker": approved and position_is_approximate(registration.account.page),
        },
        site=site,
    )
