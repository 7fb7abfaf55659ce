"""What happens to merchant accounts: e-mail verification, the editor's decision (approval
creates the user, the page and the rights in one transaction), the export of a merchant's data
and the erasure of an account.

Rights are Wagtail's own: one group per merchant holding `change` on their page alone, admin
access and their own image collection. No `add` anywhere, so Wagtail's owner rule never lets a
merchant create pages; publishing goes through the "Profilprüfung" workflow.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from core.text import german_slugify

from . import geo
from .models import DirectoryPage, MapSettings, MerchantAccount, MerchantPage, Registration
from .models.accounts import VERIFY_MAX_AGE

VERIFY_SALT = "directory.registration.verify"
REVIEW_WORKFLOW = "Profilprüfung"  # names of data editors see, in the portal's first language
REVIEW_TASK = "Profil prüfen und freigeben"
REVIEWERS_GROUP = "Moderators"  # Wagtail's own group of those who approve page changes
MERCHANTS_COLLECTION = "Betriebe"
IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")


class DecisionError(Exception):
    """An editor's decision that cannot be carried out (already decided, already owned...)."""


class VerificationError(Exception):
    def __init__(self, message: str, expired: bool = False):
        super().__init__(message)
        self.expired = expired


# --- verification -------------------------------------------------------------------------


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
        _("New registration: %(name)s") % {"name": registration.business_name},
        "directory/emails/registration_to_review.txt",
        {"registration": registration},
    )
    return registration, True


def send_verification(registration: Registration, link: str) -> None:
    _mail(
        registration.email,
        _("Please confirm your e-mail address"),
        "directory/emails/verify.txt",
        {"registration": registration, "link": link, "hours": _hours(VERIFY_MAX_AGE)},
    )


# --- the editor's decision ----------------------------------------------------------------


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
    subject = _("Welcome to the portal") if approved else _("Your registration")
    _mail(
        registration.email,
        subject,
        "directory/emails/decision.txt",
        {
            "registration": registration,
            "approved": approved,
            "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/",
            "needs_marker": approved and position_is_approximate(registration.account.page),
        },
    )


def directory_of(site) -> DirectoryPage:
    directory = DirectoryPage.objects.descendant_of(site.root_page).first()
    if directory is None:
        raise DecisionError(_("This city has no merchant directory yet."))
    return directory


def create_page(registration: Registration, owner) -> MerchantPage:
    """A draft page filled from the registration, under the city's directory."""
    directory = directory_of(registration.site)
    latitude, longitude = locate(registration)
    page = MerchantPage(
        title=registration.business_name,
        slug=_free_slug(directory, registration.business_name),
        category=registration.category,
        district=registration.district,
        street=registration.street,
        postcode=registration.postcode,
        city=registration.city,  # contact details stay private until the merchant adds them
        location=geo.format_point(latitude, longitude) if latitude is not None else "",
        live=False,
        owner=owner,
    )
    directory.add_child(instance=page)
    page.save_revision(user=owner, log_action=False)
    return page


def locate(registration: Registration):
    """Position from the configured geocoder; else the district's centre, else the city map's
    centre (the merchant is asked to set the marker)."""
    if settings.MERCHANT_GEOCODER:
        found = import_string(settings.MERCHANT_GEOCODER)(registration.address_line)
        if found:
            return found
    district = registration.district
    if district and district.latitude is not None:
        return district.latitude, district.longitude
    map_settings = MapSettings.for_site(registration.site)
    return map_settings.latitude, map_settings.longitude


def position_is_approximate(page: MerchantPage) -> bool:
    """True while the marker still sits where approval put it without a geocoder."""
    if page.latitude is None:
        return True
    district = page.district
    if district and (district.latitude, district.longitude) == (page.latitude, page.longitude):
        return True
    map_settings = MapSettings.for_site(page.get_site())
    return (map_settings.latitude, map_settings.longitude) == (page.latitude, page.longitude)


def _free_slug(directory: DirectoryPage, name: str) -> str:
    base = german_slugify(name)[:70] or "betrieb"
    taken = set(
        directory.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def grant_rights(user, page: MerchantPage) -> MerchantAccount:
    group = Group.objects.create(name=f"Betrieb {page.pk}: {page.title}"[:150])
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    GroupPagePermission.objects.create(group=group, page=page, permission_type="change")
    collection = _merchants_collection().add_child(name=f"{page.title} ({page.pk})")
    for codename in IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename=codename
            ),
        )
    user.groups.add(group)
    ensure_review_workflow(page)
    return MerchantAccount.objects.create(user=user, page=page, group=group, collection=collection)


def _merchants_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=MERCHANTS_COLLECTION).first()
    return existing or root.add_child(name=MERCHANTS_COLLECTION)


def ensure_review_workflow(page: MerchantPage) -> Workflow:
    """Merchants' changes go through "Profilprüfung" (moderators approve), assigned to the
    directory unless editors gave it another workflow."""
    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=REVIEW_WORKFLOW)
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
        task.groups.set(Group.objects.filter(name=REVIEWERS_GROUP))
        # Not workflow.workflow_tasks.create(): a modelcluster relation, it would not save.
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    directory = page.get_parent()
    WorkflowPage.objects.get_or_create(page=directory, defaults={"workflow": workflow})
    return workflow


# --- data rights --------------------------------------------------------------------------


def export(account: MerchantAccount) -> dict:
    """Everything the portal holds about the merchant, for download. Other apps add their own
    sections through the `merchant_data_export` hook (account -> {section: data})."""
    user, page = account.user, account.page.specific
    images = get_image_model().objects.filter(collection=account.collection).order_by("created_at")
    data = {
        "exported_at": timezone.now().isoformat(),
        "user": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "registrations": [
            {
                "kind": r.kind,
                "status": r.status,
                "business_name": r.business_name,
                "address": r.address_line,
                "contact_name": r.contact_name,
                "email": r.email,
                "phone": r.phone,
                "offers": r.offers,
                "terms_accepted_at": r.terms_accepted_at.isoformat(),
                "registered_at": r.created_at.isoformat(),
                "verified_at": r.verified_at.isoformat() if r.verified_at else None,
                "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                "message": r.message,
            }
            for r in account.registrations.order_by("created_at")
        ],
        "page": {
            "url": page.full_url,
            "live": page.live,
            # As last saved: a draft waiting for review, else what is online.
            **_page_data(page.get_latest_revision_as_object()),
            "revisions": [
                {"created_at": r.created_at.isoformat(), "by_you": r.user_id == user.pk}
                for r in page.revisions.order_by("created_at")
            ],
        },
        "images": [
            {
                "title": image.title,
                "file": image.file.name,
                "uploaded_at": image.created_at.isoformat(),
            }
            for image in images
        ],
        "account_created_at": account.created_at.isoformat(),
        "deletion_requested_at": (
            account.deletion_requested_at.isoformat() if account.deletion_requested_at else None
        ),
    }
    for sections in hooks.get_hooks("merchant_data_export"):
        data.update(sections(account))
    return data


def _page_data(page: MerchantPage) -> dict:
    def image(image):
        return {"title": image.title, "file": image.file.name} if image else None

    return {
        "title": page.title,
        "category": page.category.name if page.category_id else None,
        "district": page.district.name if page.district_id else None,
        "tags": sorted(tag.name for tag in page.tags.all()),
        "address": page.address_line,
        "location": {
            "latitude": str(page.latitude) if page.latitude is not None else None,
            "longitude": str(page.longitude) if page.longitude is not None else None,
        },
        "phone": page.phone,
        "email": page.email,
        "website": page.website,
        "intro": page.intro,
        "story": page.story.get_prep_value(),
        "opening_hours": [
            {
                "weekday": str(hours.get_weekday_display()),
                "opens": hours.opens.strftime("%H:%M"),
                "closes": hours.closes.strftime("%H:%M"),
            }
            for hours in page.opening_hours.all()
        ],
        "hours_note": page.hours_note,
        "social_links": [
            {"platform": link.platform, "url": link.url} for link in page.social_links.all()
        ],
        "hero_image": image(page.hero_image),
        "logo": image(page.logo),
        "gallery": [
            {**image(item.image), "caption": item.caption} for item in page.gallery_images.all()
        ],
        "initiatives": [initiative.name for initiative in page.initiatives.all()],
    }


def request_deletion(account: MerchantAccount) -> bool:
    """Returns False when a request is already waiting."""
    updated = MerchantAccount.objects.filter(pk=account.pk, deletion_requested_at=None).update(
        deletion_requested_at=timezone.now()
    )
    if updated:
        notify_reviewers(
            _("Deletion requested: %(name)s") % {"name": account.page.title},
            "directory/emails/deletion_requested.txt",
            {"account": account},
        )
    return bool(updated)


def erase(account_pk: int) -> None:
    """Delete the account and the merchant's personal data: the page goes offline and loses
    its contact details and history, registrations keep only the business and the decision.
    Records the law requires (orders, vouchers and the ledger, kept with the page) stay,
    without the person: ledger entries they booked lose their user."""
    with transaction.atomic():
        account = MerchantAccount.objects.select_for_update().get(pk=account_pk)
        user, page = account.user, account.page.specific
        if page.live:
            page.unpublish(log_action=False)
        page.revisions.all().delete()  # earlier versions still hold the contact details
        page = MerchantPage.objects.get(pk=page.pk)  # re-read: its revision links are gone
        page.phone, page.email, page.owner = "", "", None
        page.save()
        page.save_revision(log_action=False)
        account.registrations.update(contact_name="", email="", phone="", password="", message="")
        for image in get_image_model().objects.filter(collection=account.collection):
            image.delete()
        collection, group = account.collection, account.group
        account.delete()
        user.delete()
        group.delete()
        collection.delete()


# --- mail ---------------------------------------------------------------------------------


def notify_reviewers(subject: str, template: str, context: dict) -> None:
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=REVIEWERS_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if recipients:
        context = {**context, "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"}
        send_mail(subject, render_to_string(template, context), None, recipients)


def _mail(to: str, subject: str, template: str, context: dict) -> None:
    send_mail(subject, render_to_string(template, context), None, [to])


def _hours(delta: timedelta) -> int:
    return int(delta.total_seconds() // 3600)
