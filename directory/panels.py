"""Admin panels of the directory."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.panels import Panel


class EmbedCodePanel(Panel):
    """Shows an initiative's ready-to-copy iframe code for its partners' websites: one per city
    the initiative has merchants in, each pointing at that city's host."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/panels/embed_code.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.instance.slug)

        def get_context_data(self, parent_context=None):
            from .views import embed_snippets

            context = super().get_context_data(parent_context)
            context["snippets"] = [
                {"site": site, "code": code}
                for site, code in embed_snippets(self.request, self.instance)
            ]
            context["help"] = format_html(
                "{}", _("Copy this code into your website to show your merchants on a map.")
            )
            return context
