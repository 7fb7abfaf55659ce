"""The directory's snippets: categories, districts and partner initiatives."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from core.text import german_slugify

from .. import geo
from ..panels import EmbedCodePanel

IMAGE_MODEL = "wagtailimages.Image"


class NamedSnippet(models.Model):
    """A name plus a unique slug for URLs and API filters, filled from the name if empty."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Short name for web addresses and filters; filled in automatically."),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = german_slugify(self.name)
        super().save(*args, **kwargs)


class Category(NamedSnippet):
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(NamedSnippet.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class District(NamedSnippet):
    """A part of one city: each city has its own, and a name is unique within its city only."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        blank=True,
        help_text=_("Short name for web addresses and filters; filled in automatically."),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("city"),
        on_delete=models.CASCADE,
        related_name="districts",
    )
    latitude = models.DecimalField(
        _("latitude of the centre"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude of the centre"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("site"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]

    class Meta(NamedSnippet.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="district_slug_per_city"),
            models.UniqueConstraint(fields=["site", "name"], name="district_name_per_city"),
        ]

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude of the centre, or neither."))
        if self.latitude is not None:
            geo.validate_coordinates(self.latitude, self.longitude)


class Initiative(NamedSnippet):
    hashtag = models.CharField(
        _("hashtag"), max_length=60, help_text=_("With the leading #, e.g. #wirstehenhinterdir.")
    )
    logo = models.ForeignKey(
        IMAGE_MODEL,
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("hashtag"),
        FieldPanel("logo"),
        FieldPanel("link"),
        FieldPanel("description"),
        EmbedCodePanel(heading=_("Map for your website")),
    ]

    class Meta(NamedSnippet.Meta):
        verbose_name = _("partner initiative")
        verbose_name_plural = _("partner initiatives")

    def clean(self):
        super().clean()
        if self.hashtag and not self.hashtag.startswith("#"):
            self.hashtag = "#" + self.hashtag
