"""Panels that higher apps contribute to a lower app's page through a Wagtail hook.

A lower app (pages, directory) names a hook and renders it with render_panels() from a
template tag of its own; a higher app registers functions for it:

    @hooks.register("merchant_page_panels")
    def offers_panel(page, request):
        return render_to_string("support/includes/offers.html", {"page": page}, request=request)

Each function takes the page and the request (None when rendered outside one) and returns HTML
(a string: escaped unless it is safe, as render_to_string's is), a Wagtail Component or any
object with render_html(parent_context), or None to show nothing. Panels appear in hook order
(`@hooks.register(name, order=...)`).
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks


def render_panels(hook_name: str, page, request, parent_context=None) -> SafeString:
    parts = []
    for panel_for in hooks.get_hooks(hook_name):
        panel = panel_for(page, request)
        if panel is None:
            continue
        if hasattr(panel, "render_html"):
            panel = panel.render_html(parent_context)
        parts.append(conditional_escape(panel))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped or already safe
