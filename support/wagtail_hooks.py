from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import SupportPanel, SupportViewSetGroup, admin_urls
from .models import LedgerEntry, PayoutAccount


@hooks.register("register_admin_viewset")
def register_support_viewsets():
    return SupportViewSetGroup()


@hooks.register("register_admin_urls")
def register_support_urls():
    return admin_urls


class MerchantOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return hasattr(request.user, "merchant_account")


@hooks.register("register_admin_menu_item")
def register_redeem_menu_item():
    return MerchantOnlyMenuItem(
        _("Redeem a voucher"), reverse("support_redeem"), icon_name="tick-inverse", order=20
    )


@hooks.register("register_admin_menu_item")
def register_income_menu_item():
    return MerchantOnlyMenuItem(_("Income"), reverse("support_income"), icon_name="table", order=21)


@hooks.register("construct_homepage_panels")
def add_support_panel(request, panels):
    account = getattr(request.user, "merchant_account", None)
    if account is not None:
        panels.append(SupportPanel(account.page))


@hooks.register("merchant_data_export")
def export_support_data(account):
    """The merchant's offers, payout account and every ledger entry of their page, for the
    download of their data. Buyers' names and addresses are the buyers' data and stay out."""
    page = account.page.specific
    payout = PayoutAccount.objects.filter(merchant=page).first()
    entries = LedgerEntry.objects.filter(merchant=page).select_related("order")
    return {
        "offers": {
            "vouchers": [
                {
                    "fixed_values_cents": offer.fixed_values,
                    "free_value_min_cents": offer.free_value_min,
                    "free_value_max_cents": offer.free_value_max,
                    "validity_years": offer.validity_years,
                    "stock": offer.stock,
                    "bonus_percent": offer.bonus_percent,
                }
                for offer in page.voucher_offers.all()
            ],
            "donations": [
                {"name": preset.name, "amount_cents": preset.amount}
                for preset in page.donation_presets.all()
            ],
            "campaigns": [
                {"title": c.title, "goal_cents": c.goal, "deadline": c.deadline.isoformat()}
                for c in page.campaigns.all()
            ],
        },
        "payout_account": payout.stripe_account_id if payout else None,
        "ledger": [
            {
                "booked_at": entry.created_at.isoformat(),
                "kind": entry.kind,
                "amount_cents": entry.amount,
                "currency": entry.currency,
                "item": entry.order.item if entry.order else "",
            }
            for entry in entries
        ],
    }
