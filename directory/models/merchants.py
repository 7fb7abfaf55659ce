"""A merchant's page (portrait and profile) and what hangs off it: opening hours, gallery,
social links, tags."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page, PagePermissionTester
from wagtail.search import index

from core.folding import DETAIL, NAME, PLACE, TEXT, FoldedAutocompleteField, FoldedSearchField
from pages.blocks import StoryStreamBlock

from .. import geo, hours
from ..admin_forms import MerchantPageForm
from ..choices import SocialPlatform, Weekday
from ..serializers import InitiativeSerializer, LocationSerializer, SnippetSerializer
from .snippets import Category, District, Initiative

IMAGE_MODEL = "wagtailimages.Image"


class MerchantTag(TaggedItemBase):
    content_object = ParentalKey(
        "directory.MerchantPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class MerchantPage(Page):
    """A merchant's portrait and profile. The title is the business name."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="merchants",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merchants",
    )
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    location = models.CharField(
        _("position on the map"),
        max_length=250,
        help_text=_("Drag the marker to the entrance of the shop."),
    )
    # Indexed copies of `location`, kept in step by clean() and save(), for bounding boxes,
    # distances and the map feed.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, editable=False
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, editable=False
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        IMAGE_MODEL,
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image = models.ForeignKey(
        IMAGE_MODEL,
        verbose_name=_("large photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the page; landscape format works best."),
    )
    intro = models.TextField(
        _("short introduction"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences: what makes your business special?"),
    )
    story = StreamField(
        StoryStreamBlock(),
        verbose_name=_("your story"),
        blank=True,
        help_text=_("Tell visitors who you are and what you offer."),
    )
    hours_note = models.CharField(
        _("note on opening hours"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 'Closed on public holidays'."),
    )
    initiatives = ParentalManyToManyField(
        Initiative, verbose_name=_("partner initiatives"), blank=True, related_name="merchants"
    )
    tags = ClusterTaggableManager(through=MerchantTag, verbose_name=_("tags"), blank=True)
    # What residents can do for this merchant. Set by the support app from the merchant's
    # offers, so the map and search can filter without knowing support's models.
    has_voucher_offer = models.BooleanField(_("sells vouchers"), default=False, editable=False)
    has_donation_offer = models.BooleanField(_("takes donations"), default=False, editable=False)
    has_campaign = models.BooleanField(_("runs a campaign"), default=False, editable=False)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("district"), FieldPanel("tags")],
            heading=_("Category and district"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                geo.LocalLeafletPanel("location"),
            ],
            heading=_("Address"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("logo")],
            heading=_("Images"),
        ),
        InlinePanel("gallery_images", label=_("Gallery"), heading=_("Gallery")),
        FieldPanel("story"),
        MultiFieldPanel(
            [
                InlinePanel("opening_hours", label=_("Opening hours")),
                FieldPanel("hours_note"),
            ],
            heading=_("Opening hours"),
            help_text=_(
                "Add one row per opening period; several rows per day are fine. "
                "Days without a row are shown as closed."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("website"),
                InlinePanel("social_links", label=_("Social media")),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("initiatives", widget=forms.CheckboxSelectMultiple),
    ]

    # Folded text on both sides of every search (see core.folding), in its four weights:
    # name, then category and district, then street, tags and intro, then the story.
    search_fields = [
        *Page.search_fields,  # the raw title too: the admin searches it unfolded
        FoldedSearchField("title", boost=NAME),
        FoldedAutocompleteField("title"),
        FoldedAutocompleteField("street"),
        index.RelatedFields("category", [FoldedSearchField("name", boost=PLACE)]),
        index.RelatedFields("district", [FoldedSearchField("name", boost=PLACE)]),
        FoldedSearchField("street", boost=DETAIL),
        FoldedSearchField("tag_names", boost=DETAIL),
        FoldedSearchField("intro", boost=DETAIL),
        FoldedSearchField("story", boost=TEXT),
        index.FilterField("category"),
        index.FilterField("district"),
        index.FilterField("latitude"),
        index.FilterField("longitude"),
        index.FilterField("has_voucher_offer"),
        index.FilterField("has_donation_offer"),
        index.FilterField("has_campaign"),
    ]

    # Indexed by core.indexing instead of modelsearch's handler, so an import can index its
    # merchants in bulk once committed (directory/apps.py connects it).
    search_auto_update = False

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().prefetch_related("tagged_items__tag")

    def tag_names(self) -> str:
        # Through tagged_items, which honours prefetch_related (bulk indexing): the tags
        # manager queries the database on every call, five times per page when indexing.
        return " ".join(item.tag.name for item in self.tagged_items.all())

    api_fields = [
        APIField("category", serializer=SnippetSerializer()),
        APIField("district", serializer=SnippetSerializer()),
        APIField("street"),
        APIField("postcode"),
        APIField("city"),
        APIField("location", serializer=LocationSerializer(source="*")),
        APIField("intro"),
        APIField("story"),
        APIField("opening_hours"),
        APIField("hours_note"),
        APIField("phone"),
        APIField("email"),
        APIField("website"),
        APIField("social_links"),
        APIField("initiatives", serializer=InitiativeSerializer(many=True)),
        APIField("tags"),
        APIField("hero_image", serializer=ImageRenditionField("fill-1200x600")),
        APIField(
            "hero_image_thumbnail",
            serializer=ImageRenditionField("fill-480x270", source="hero_image"),
        ),
        APIField("logo", serializer=ImageRenditionField("max-400x400")),
        APIField("gallery_images"),
        APIField("has_voucher_offer"),
        APIField("has_donation_offer"),
        APIField("has_campaign"),
    ]

    parent_page_types = ["directory.DirectoryPage"]
    subpage_types: list[str] = []
    base_form_class = MerchantPageForm

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        indexes = [models.Index(fields=["latitude", "longitude"], name="merchant_lat_lng")]

    # Keep the numeric columns in step with the map widget's string. clean() covers the admin
    # form (revisions are serialised from the validated instance); save() covers everything else.
    def sync_coordinates(self):
        if self.location:
            self.latitude, self.longitude = geo.parse_point(self.location)
        elif self.latitude is not None and self.longitude is not None:
            geo.validate_coordinates(self.latitude, self.longitude)
            self.location = geo.format_point(self.latitude, self.longitude)

    def clean(self):
        super().clean()
        try:
            self.sync_coordinates()
        except ValidationError as error:
            raise ValidationError({"location": error.error_list}) from error

    def save(self, *args, **kwargs):
        self.sync_coordinates()
        return super().save(*args, **kwargs)

    @cached_property
    def hour_intervals(self):
        return hours.intervals_of(self.opening_hours.all())

    def opening_status(self, moment=None) -> hours.Status:
        return hours.status_at(self.hour_intervals, moment or timezone.localtime())

    @property
    def opening_table(self):
        return hours.weekly_table(self.hour_intervals)

    @property
    def address_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    def permissions_for_user(self, user):
        return MerchantPagePermissionTester(user, self)

    @property
    def has_owner(self) -> bool:
        """A merchant account looks after this page (see accounts.MerchantAccount)."""
        return hasattr(self, "account")

    def get_context(self, request, *args, **kwargs):
        from ..map import map_context

        context = super().get_context(request, *args, **kwargs)
        context.update(map_context(request, self.get_site()))
        now = timezone.localtime()
        context.update(
            opening_status=self.opening_status(now),
            today=now.weekday(),
            portraits=self.portraits.live().public().order_by("-date"),
        )
        return context


class MerchantPagePermissionTester(PagePermissionTester):
    """Wagtail lets anyone who may change a draft delete (and so move) it; a merchant page is
    deleted or moved only by someone who may also publish it, so merchants, who hold `change`
    on their own page alone, can do neither."""

    def can_delete(self, ignore_bulk=False):
        if not self.user.is_superuser and "publish" not in self.permissions:
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)


class MerchantOpeningHours(Orderable):
    page = ParentalKey(MerchantPage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(
        _("closes"), help_text=_("A time before the opening time means: after midnight.")
    )

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]
    api_fields = [APIField("weekday"), APIField("opens"), APIField("closes")]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def clean(self):
        super().clean()
        if self.opens is not None and self.opens == self.closes:
            raise ValidationError(
                {"closes": _("Opening and closing time are the same. Please check the times.")}
            )


class MerchantGalleryImage(Orderable):
    page = ParentalKey(MerchantPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        IMAGE_MODEL, verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
    api_fields = [
        APIField("image", serializer=ImageRenditionField("max-1200x900")),
        APIField("caption"),
    ]


class MerchantSocialLink(Orderable):
    page = ParentalKey(MerchantPage, on_delete=models.CASCADE, related_name="social_links")
    platform = models.CharField(_("platform"), max_length=20, choices=SocialPlatform.choices)
    url = models.URLField(_("link"))

    panels = [FieldRowPanel([FieldPanel("platform"), FieldPanel("url")])]
    api_fields = [APIField("platform"), APIField("url")]
