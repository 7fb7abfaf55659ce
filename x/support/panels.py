"""The "Offers" tab on the merchant's page: offers are edited with the page and reviewed with it
in the Profilprüfung workflow, so an offer goes live only when an editor approved it."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)

from directory.models import MerchantPage


class KeptRowForm(WagtailAdminModelForm):
    """A row the merchant added counts as changed: it is validated and saved, not dropped."""

    def has_changed(self):
        return super().has_changed() or self.instance._state.adding


class SettingsInlinePanel(InlinePanel):
    """An inline of one settings row (max_num=1) whose added row is kept even when every field
    is left at its default. Django's formsets drop an extra form that has not changed from its
    initial values: a merchant who adds "Donation settings" and keeps "free amount" and
    "supporter wall" ticked would see "updated" and have no donations at all."""

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        base = formset.get("form")
        if base is None:
            formset["form"] = KeptRowForm
        else:  # Wagtail built one already (deferred required fields): keep what it does
            formset["form"] = type(base)(base.__name__, (KeptRowForm, base), {})
        return options


OFFER_PANELS = [
    HelpPanel(
        content=_(
            "<p>What residents can buy or give. Changes go live after the editors approve your "
            "page. Payments go to the portal's account and are passed on to you.</p>"
        )
    ),
    SettingsInlinePanel(
        "voucher_offers", heading=_("Vouchers"), label=_("Voucher offer"), max_num=1
    ),
    MultiFieldPanel(
        [
            SettingsInlinePanel("donation_offers", label=_("Donation settings"), max_num=1),
            InlinePanel("donation_presets", label=_("Donation amount")),
        ],
        heading=_("Donations"),
    ),
    MultiFieldPanel(
        [
            SettingsInlinePanel("campaigns", label=_("Campaign"), max_num=1),
            InlinePanel("campaign_rewards", label=_("Reward")),
        ],
        heading=_("Campaign"),
        help_text=_(
            "If the goal is not reached by the deadline, the money raised still goes to you: "
            "the page tells supporters so before they pay."
        ),
    ),
]


def add_offers_tab():
    """Insert the tab after "Content" without the directory app knowing about support."""
    page = MerchantPage
    tabs = [ObjectList(page.content_panels, heading=_("Content"))]
    tabs.append(ObjectList(OFFER_PANELS, heading=_("Offers")))
    if page.promote_panels:
        # Wagtail's "Promote" is "Werbung" in German: merchants took it for advertising.
        tabs.append(ObjectList(page.promote_panels, heading=_("Search engines & sharing")))
    if page.settings_panels:
        tabs.append(ObjectList(page.settings_panels, heading=_("Settings")))
    page.edit_handler = TabbedInterface(
        tabs, base_form_class=getattr(page, "base_form_class", None)
    )
