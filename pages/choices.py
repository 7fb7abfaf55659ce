from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryKind(models.TextChoices):
    SUPPORTER = "supporter", _("Supporter story")
    PORTRAIT = "portrait", _("Merchant portrait")
    NEWS = "news", _("News")
