"""StreamField blocks shared by stories, standard pages and merchant portraits."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("photo credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "pages/blocks/image_with_caption.html"
        description = _("A photo with an optional caption and credit.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("who said it"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "pages/blocks/quote.html"
        description = _("A quote with the name of the person who said it.")
        preview_value = {
            "text": "Ohne die Kneipe an der Ecke wäre unser Viertel nicht dasselbe.",
            "attribution": "Eine Nachbarin",
        }


class MerchantTeaserBlock(blocks.StructBlock):
    merchant = blocks.PageChooserBlock(label=_("merchant"), page_type="directory.MerchantPage")
    text = blocks.TextBlock(
        label=_("teaser text"),
        required=False,
        help_text=_("Leave empty to use the merchant's short introduction."),
    )

    class Meta:
        icon = "site"
        label = _("Merchant teaser")
        template = "pages/blocks/merchant_teaser.html"
        description = _("A card that links to a merchant's page.")


class StoryStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul"],
        template="pages/blocks/paragraph.html",
    )
    heading = blocks.CharBlock(
        label=_("Heading"), icon="title", max_length=120, template="pages/blocks/heading.html"
    )
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    video = EmbedBlock(
        label=_("Video"),
        icon="media",
        help_text=_("Link to a video, e.g. on YouTube or Vimeo."),
        template="pages/blocks/video.html",
    )
    merchant = MerchantTeaserBlock()
