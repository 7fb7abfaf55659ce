"""Admin panels of the directory."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.panels import Panel


class EmbedCodePanel(Panel):
    """Shows an initiative's ready-to-copy iframe code for its partners' websites."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/panels/embed_code.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.instance.slug)

        def get_context_data(self, parent_context=None):
            from .views import embed_snippet

            context = super().get_context_data(parent_context)
            context["code"] = embed_snippet(self.request, self.instance.slug)
            context["help"] = format_html(
                "{}", _("Copy this code into your website to show your merchants on a map.")
            )
            return context
