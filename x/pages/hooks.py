"""The Wagtail hooks through which other apps add to the editorial pages. pages imports none
of those apps (they sit above it); they register here instead.

HOME_PAGE_PANELS: fn(page, request) -> HTML | Component | None, shown in the home page's hero
under its text (core.panels; support: what the city's merchants have raised so far).

HOME_PAGE_CONTEXT: fn(page, request, context) -> None, adds to the home page's template
context (the directory: `directory`, its DirectoryPage; `featured`, the live featured
merchants; `merchant_count`, the live merchants below the home page).
"""

HOME_PAGE_PANELS = "home_page_panels"
HOME_PAGE_CONTEXT = "construct_home_page_context"
