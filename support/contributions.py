"""What support adds to the directory's pages and lists, through the registries and hooks the
directory offers (design.md: the lower app offers the registry, the higher app fills it).

Imported once from SupportConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from directory import offer_flags

# Offer flags: filters on the map, the list and search, badges on results. The columns are
# kept in step with the merchant's offers by support/signals.py.
offer_flags.register(
    "voucher",
    label=_("Sells vouchers"),
    badge=_("Vouchers"),
    field="has_voucher_offer",
    demo_share=0.3,
)
offer_flags.register(
    "donation",
    label=_("Takes donations"),
    badge=_("Donations"),
    field="has_donation_offer",
    demo_share=0.2,
)
offer_flags.register(
    "campaign",
    label=_("Runs a campaign"),
    badge=_("Crowdfunding"),
    field="has_campaign",
    demo_share=0.05,
)
