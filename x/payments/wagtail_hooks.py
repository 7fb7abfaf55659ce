from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin.orders import OrderViewSet
from .admin.report import ReportViewSet
from .models import LedgerEntry


class PaymentsViewSetGroup(ViewSetGroup):
    menu_label = _("Support")
    menu_icon = "tag"
    menu_order = 195
    items = (OrderViewSet, ReportViewSet)


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsViewSetGroup()


@hooks.register("merchant_data_export")
def export_ledger(account):
    """Every ledger entry of the merchant's page, for the download of their data. Buyers' names
    and addresses are the buyers' data and stay out."""
    entries = LedgerEntry.objects.filter(merchant=account.page).select_related("order")
    return {
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
