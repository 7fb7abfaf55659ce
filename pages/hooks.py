"""The Wagtail hooks through which other apps add to the editorial pages (core.panels).

HOME_PAGE_PANELS: fn(page, request) -> HTML | Component | None, shown in the home page's hero
under its text (support: what the city's merchants have raised so far).
"""

HOME_PAGE_PANELS = "home_page_panels"
