"""{% inline_style %}...{% endinline_style %}: an inline <style> the Content-Security-Policy
allows by its hash (core/csp.py adds it to style-src). A hash rather than a nonce: the map's
list fetches the same page again and parses it, and its <style> must pass the policy of the
page that fetched it, which a per-response nonce never does."""

from django import template
from django.utils.safestring import mark_safe

from core.csp import allow_inline_style

register = template.Library()


@register.tag
def inline_style(parser, token):
    nodelist = parser.parse(("endinline_style",))
    parser.delete_first_token()
    return InlineStyleNode(nodelist)


class InlineStyleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        css = self.nodelist.render(context)
        request = context.get("request")
        if request is not None:
            allow_inline_style(request, css)
        return mark_safe(f"<style>{css}</style>")  # noqa: S308 - the template's own output
