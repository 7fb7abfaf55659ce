"""Offers and a few paid demo orders for the demo city (after `seed_demo`). Idempotent: a
merchant that has offers keeps them, and orders are only added to an empty ledger."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from core.urls import absolute_url
from directory.models import MerchantPage
from payments import services as payments
from payments.models import LedgerEntry
from payments.rights import grant_order_rights
from payments_demo.provider import DemoProvider
from payments_stripe.rights import grant_payout_rights
from support import services
from support.models import (
    Campaign,
    CampaignReward,
    DonationOffer,
    DonationPreset,
    SupportOrder,
    VoucherOffer,
)
from support.rights import grant_wall_rights

VOUCHERS = {
    "Kiosk an der Möllerbrücke": {"fixed_values": [1000, 2500], "stock": 50},
    "Pizzeria Da Enzo": {
        "fixed_values": [2500, 5000],
        "free_value_min": 1000,
        "free_value_max": 20000,
    },
    "Kreuzklang Concept Store": {"fixed_values": [2000, 5000], "bonus_percent": 10},
    "Café Borsigplatz": {"fixed_values": [1000, 2000, 3000]},
}
DONATIONS = ["Hörder Burgbräu", "Kiosk an der Möllerbrücke", "Café Borsigplatz"]
CAMPAIGN = "Hörder Burgbräu"
ORDERS = [  # (merchant, kind, cents, buyer, name on the wall, message)
    ("Kiosk an der Möllerbrücke", "voucher", 2500, "Erika Mustermann", "", ""),
    ("Pizzeria Da Enzo", "voucher", 5000, "Max Mustermann", "", ""),
    ("Hörder Burgbräu", "donation", 350, "Jupp", "Jupp", "Ein Pils auf euch!"),
    ("Hörder Burgbräu", "campaign", 5000, "Aylin Demir", "Aylin", "Auf die neue Anlage!"),
    ("Café Borsigplatz", "donation", 1000, "Anonym", "", ""),
]


def grant_editor_rights():
    """Editors see orders and the report and moderate supporter walls; moderators may also
    refund and manage the merchants' payout accounts (after a flush the data migrations' grants
    are gone)."""
    grant_order_rights()
    grant_payout_rights()
    grant_wall_rights()


class Command(BaseCommand):
    help = "Give the demo city's merchants voucher, donation and campaign offers and a few orders."

    def handle(self, *args, **options):
        grant_editor_rights()
        with transaction.atomic():
            published = self.offers()
        created = self.orders()
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Demo offers: {published} merchants updated, {created} orders.")
            )

    def offers(self) -> int:
        updated = 0
        names = {*VOUCHERS, *DONATIONS, CAMPAIGN}
        for page in MerchantPage.objects.filter(title__in=names):
            if page.voucher_offers.exists() or page.donation_offers.exists():
                continue
            if page.title in VOUCHERS:
                page.voucher_offers.add(VoucherOffer(**VOUCHERS[page.title]))
            if page.title in DONATIONS:
                page.donation_offers.add(DonationOffer(free_amount=True, supporter_wall=True))
                page.donation_presets.add(DonationPreset(name="ein virtuelles Bier", amount=350))
                page.donation_presets.add(DonationPreset(name="eine Runde", amount=2500))
            if page.title == CAMPAIGN:
                page.campaigns.add(
                    Campaign(
                        title="Eine neue Brauanlage",
                        description="Unsere alte Anlage hat 30 Jahre durchgehalten. Helfen Sie "
                        "uns, wieder selbst zu brauen!",
                        goal=1500000,
                        deadline=timezone.localdate() + timedelta(days=60),
                    )
                )
                page.campaign_rewards.add(
                    CampaignReward(title="Ein Bier aufs Haus", min_amount=1000)
                )
            page.save_revision().publish()
            updated += 1
        return updated

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def orders(self) -> int:
        if LedgerEntry.objects.exists():
            return 0
        site = Site.objects.get(is_default_site=True)
        made = 0
        for title, kind, cents, name, wall_name, message in ORDERS:
            merchant = MerchantPage.objects.filter(title=title).first()
            if merchant is None:
                continue
            buyer = services.Buyer(
                name=name,
                email="demo@example.org",
                supporter_name=wall_name,
                supporter_message=message,
                on_wall=bool(wall_name),
            )
            place = {
                "voucher": services.order_voucher,
                "donation": services.order_donation,
                "campaign": services.order_campaign,
            }[kind]
            order = place(merchant=merchant, amount=cents, buyer=buyer, site=site)
            payments.payment_start(
                order=order,
                return_url=absolute_url(reverse("payments:order", args=[order.reference])),
            )
            payment = order.payments.get()
            DemoProvider.decide(payment.reference, pay=True)
            payments.payment_sync(payment=payment)
            SupportOrder.objects.filter(order=order).update(
                wall=SupportOrder.Wall.SHOWN if wall_name else ""
            )
            made += 1
        return made
