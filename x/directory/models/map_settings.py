"""A city's map: where it starts and which tiles it shows (a site setting)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .. import geo


@register_setting(icon="site")
class MapSettings(BaseSiteSetting):
    """Where a city's map starts and which tiles it shows."""

    latitude = models.DecimalField(
        _("latitude of the map centre"), max_digits=9, decimal_places=6, default=Decimal("51.5136")
    )
    longitude = models.DecimalField(
        _("longitude of the map centre"), max_digits=9, decimal_places=6, default=Decimal("7.4653")
    )
    zoom = models.PositiveSmallIntegerField(
        _("zoom level"), default=13, validators=[MinValueValidator(3), MaxValueValidator(18)]
    )
    tile_url = models.CharField(
        _("tile URL"),
        max_length=300,
        blank=True,
        help_text=_("Template such as https://tile.example.org/{z}/{x}/{y}.png; empty: default."),
    )
    tile_attribution = models.CharField(
        _("tile attribution"),
        max_length=300,
        blank=True,
        help_text=_("Credit for the map tiles (HTML allowed); empty: default."),
    )

    panels = [
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("zoom")]),
        FieldPanel("tile_url"),
        FieldPanel("tile_attribution"),
    ]

    class Meta:
        verbose_name = _("map")

    def clean(self):
        super().clean()
        geo.validate_coordinates(self.latitude, self.longitude)

    @property
    def tiles(self) -> tuple[str, str]:
        return (
            self.tile_url or settings.MAP_TILE_URL,
            self.tile_attribution or settings.MAP_TILE_ATTRIBUTION,
        )
