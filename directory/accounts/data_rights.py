"""A merchant's data rights: the export of everything the portal holds about them, the request
to delete their account and the erasure an editor carries out."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.images import get_image_model

from core.urls import page_url

from ..models import MerchantAccount, MerchantPage
from .mail import notify_reviewers


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
            "url": page_url(page) or None,
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
            account.page.get_site(),
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
