from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.folding import DETAIL, NAME, TEXT, FoldedAutocompleteField, FoldedSearchField
from core.geo import validate_coordinates

from .blocks import StoryStreamBlock
from .choices import LegalKind, StoryKind
from .hooks import HOME_PAGE_CONTEXT

IMAGE_MODEL = "wagtailimages.Image"


def image_field(verbose_name, help_text=""):
    return models.ForeignKey(
        IMAGE_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


@register_setting(icon="site")
class CitySettings(BaseSiteSetting):
    """The one place for what makes a city's site its own: name, wording, contact, legal
    operator, map (centre, zoom, tiles), logo and the licence of its open data."""

    city_name = models.CharField(_("city"), max_length=100, default="Dortmund")
    tagline = models.CharField(
        _("tagline"), max_length=150, blank=True, help_text=_("Shown under the site name.")
    )
    logo = image_field(_("logo"), help_text=_("Shown in the header next to the site name."))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#b3261e",
        help_text=_("Hex colour such as #b3261e; keep enough contrast to white text."),
    )
    operator_name = models.CharField(
        _("operator"),
        max_length=200,
        blank=True,
        help_text=_("Who runs this city's portal, as named in the imprint."),
    )
    operator_address = models.TextField(
        _("operator's address"), blank=True, help_text=_("Postal address, one line each.")
    )
    operator_representative = models.CharField(_("represented by"), max_length=200, blank=True)
    operator_phone = models.CharField(_("operator's phone"), max_length=40, blank=True)
    # Dortmund's centre, the first city's; create_city sets every other city's own.
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
    data_licence = models.CharField(
        _("licence of the open data"),
        max_length=100,
        default="CC BY 4.0",
        help_text=_("Under which licence the city publishes its merchant data."),
    )
    data_licence_url = models.URLField(
        _("licence link"), blank=True, default="https://creativecommons.org/licenses/by/4.0/"
    )

    panels = [
        FieldPanel("city_name"),
        FieldPanel("tagline"),
        FieldPanel("logo"),
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
        FieldPanel("primary_colour"),
        MultiFieldPanel(
            [
                FieldPanel("operator_name"),
                FieldPanel("operator_address"),
                FieldPanel("operator_representative"),
                FieldPanel("operator_phone"),
            ],
            heading=_("Legal operator"),
            help_text=_("Shown at the top of the imprint; the contact e-mail appears there too."),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("zoom")]
                ),
                FieldPanel("tile_url"),
                FieldPanel("tile_attribution"),
            ],
            heading=_("Map"),
        ),
        MultiFieldPanel(
            [FieldPanel("data_licence"), FieldPanel("data_licence_url")], heading=_("Open data")
        ),
    ]

    class Meta:
        verbose_name = _("city settings")

    def clean(self):
        super().clean()
        validate_coordinates(self.latitude, self.longitude)

    @property
    def tiles(self) -> tuple[str, str]:
        """The tile URL template and its credit: the city's own, else the installation's."""
        return (
            self.tile_url or settings.MAP_TILE_URL,
            self.tile_attribution or settings.MAP_TILE_ATTRIBUTION,
        )


class HomePage(Page):
    hero_title = models.CharField(_("hero title"), max_length=120, blank=True)
    hero_text = models.TextField(_("hero text"), max_length=400, blank=True)
    hero_image = image_field(_("hero image"))
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("intro"),
        InlinePanel(
            "featured_merchants", label=_("Featured merchant"), heading=_("Featured merchants")
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "directory.DirectoryPage",
        "pages.StoryIndexPage",
        "pages.StandardPage",
        "pages.LegalPage",
    ]
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_stories"] = (
            StoryPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("hero_image")
            .order_by("-date")[:3]
        )
        # The directory adds its part (the directory, featured merchants, their count): pages
        # never imports it (pages/hooks.py).
        for construct in hooks.get_hooks(HOME_PAGE_CONTEXT):
            construct(self, request, context)
        return context


class HomeFeaturedMerchant(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_merchants")
    merchant = models.ForeignKey(
        "directory.MerchantPage",
        verbose_name=_("merchant"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("merchant", "directory.MerchantPage")]


class StoryIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.StoryPage"]
    template = "pages/story_index_page.html"

    class Meta:
        verbose_name = _("story overview")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = (
            StoryPage.objects.live()
            .public()
            .child_of(self)
            .select_related("hero_image")
            .order_by("-date")
        )
        kind = request.GET.get("kind", "")
        if kind in StoryKind.values:
            stories = stories.filter(kind=kind)
        context.update(stories=stories, kinds=StoryKind.choices, selected_kind=kind)
        return context


class StoryPage(Page):
    """A campaign story: a celebrity supporter, a merchant portrait or news."""

    kind = models.CharField(
        _("kind of story"), max_length=20, choices=StoryKind.choices, default=StoryKind.SUPPORTER
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    hero_image = image_field(_("hero image"))
    teaser = models.TextField(
        _("teaser"), max_length=300, help_text=_("Two sentences for overviews and social media.")
    )
    merchant = models.ForeignKey(
        "directory.MerchantPage",
        verbose_name=_("portrayed merchant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portraits",
        help_text=_("For merchant portraits: the merchant this story is about."),
    )
    body = StreamField(StoryStreamBlock(), verbose_name=_("story"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("date"),
        FieldPanel("teaser"),
        FieldPanel("hero_image"),
        PageChooserPanel("merchant", "directory.MerchantPage"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,  # the raw title too: the admin searches it unfolded
        FoldedSearchField("title", boost=NAME),
        FoldedAutocompleteField("title"),
        FoldedSearchField("teaser", boost=DETAIL),
        FoldedSearchField("body", boost=TEXT),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]

    api_fields = [
        APIField("kind"),
        APIField("date"),
        APIField("teaser"),
        APIField("hero_image", serializer=ImageRenditionField("fill-1200x600")),
        APIField(
            "hero_image_thumbnail",
            serializer=ImageRenditionField("fill-480x270", source="hero_image"),
        ),
        APIField("merchant"),
        APIField("body"),
    ]

    parent_page_types = ["pages.StoryIndexPage"]
    subpage_types: list[str] = []
    template = "pages/story_page.html"

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")


class StandardPage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StoryStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


class LegalPage(Page):
    """Imprint, privacy policy or terms of use of one city: one of each below its home page,
    linked from the footer, the registration and the checkout (pages/legal.py)."""

    kind = models.CharField(_("kind of legal page"), max_length=20, choices=LegalKind.choices)
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(
        _("text"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text=_("A template to adapt: have it checked before the portal goes live."),
    )
    last_reviewed = models.DateField(_("as of"), default=timezone.localdate)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    template = "pages/legal_page.html"

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        siblings = LegalPage.objects.sibling_of(self) if parent else LegalPage.objects.none()
        if siblings.filter(kind=self.kind).exclude(pk=self.pk).exists():
            raise ValidationError({"kind": _("This city already has a page of this kind.")})

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
