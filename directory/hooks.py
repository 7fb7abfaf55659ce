"""The Wagtail hooks through which other apps add to the directory's pages (core.panels).

MERCHANT_PAGE_PANELS: fn(page, request) -> HTML | Component | None, shown in the main column
of a merchant's page, above their story (support: what residents can do for the merchant).
"""

MERCHANT_PAGE_PANELS = "merchant_page_panels"
