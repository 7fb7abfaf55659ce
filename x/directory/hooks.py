"""The Wagtail hooks through which other apps add to the directory's pages (core.panels).

MERCHANT_PAGE_PANELS: fn(page, request) -> HTML | Component | None, shown in the main column
of a merchant's page, above their story (support: what residents can do for the merchant).

MERCHANT_PAGE_ACTIONS: fn(page, request) -> iterable of MerchantAction (or None), the buttons
right under the merchant's name (on phones they stay at the top of the screen while scrolling):
what a resident can do for the merchant at once ("Gutschein kaufen", "Spenden"). Support fills
it; the directory renders the buttons and knows nothing of what they lead to.
"""

from dataclasses import dataclass

MERCHANT_PAGE_PANELS = "merchant_page_panels"
MERCHANT_PAGE_ACTIONS = "merchant_page_actions"


@dataclass(frozen=True)
class MerchantAction:
    label: str  # the button's text, translated ("Buy a voucher")
    url: str  # where it leads (a checkout page)
    key: str = ""  # a stable name for styling and tests ("voucher"): class merchant-action--<key>
    primary: bool = True  # the filled button; secondary actions are outlined
