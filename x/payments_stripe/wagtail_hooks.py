from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from .models import PayoutAccount


class PayoutAccountViewSet(ModelViewSet):
    """Editors link a merchant to their connected Stripe account. Only the model's own
    permissions open it (Moderators by default): merchants never get them, since whoever can
    change the account can redirect the merchant's money."""

    model = PayoutAccount
    name = "payout_accounts"
    icon = "link"
    menu_label = _("Payout accounts")
    menu_order = 196
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["merchant", "stripe_account_id"]
    list_display = [
        Column("merchant", label=_("Merchant"), accessor="merchant.title"),
        "stripe_account_id",
        "created_at",
    ]
    search_fields = ["merchant__title", "stripe_account_id"]
    ordering = ["merchant__title"]

    def get_common_view_kwargs(self, **kwargs):
        queryset = PayoutAccount.objects.select_related("merchant")
        return super().get_common_view_kwargs(**{"queryset": queryset, **kwargs})


@hooks.register("register_admin_viewset")
def register_payout_accounts():
    return PayoutAccountViewSet()


@hooks.register("merchant_data_export")
def export_payout_account(account):
    payout = PayoutAccount.objects.filter(merchant=account.page).first()
    return {"payout_account": payout.stripe_account_id if payout else None}
