from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryKind(models.TextChoices):
    SUPPORTER = "supporter", _("Supporter story")
    PORTRAIT = "portrait", _("Merchant portrait")
    NEWS = "news", _("News")


class LegalKind(models.TextChoices):
    """The legal pages every city needs; the slug is the page's address below the home page."""

    IMPRINT = "imprint", _("Imprint")
    PRIVACY = "privacy", _("Privacy policy")
    TERMS = "terms", _("Terms of use")


LEGAL_SLUGS = {
    LegalKind.IMPRINT: "impressum",
    LegalKind.PRIVACY: "datenschutz",
    LegalKind.TERMS: "nutzungsbedingungen",
}
