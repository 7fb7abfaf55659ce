"""StreamField blocks shared by stories, standard pages and merchant portraits."""

from django.core.exceptions import ValidationError
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


# --- Ownership of what blocks choose ------------------------------------------------------
# A chooser block takes whatever id is posted; the chooser modal merely offers fewer. Page
# forms of users with limited rights (merchants) check the chosen objects with these helpers.


def chosen_objects(block, value):
    """Every object a chooser block inside `value` (of `block`) has chosen, at any depth."""
    if value is None:
        return
    if isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from chosen_objects(child.block, child.value)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from chosen_objects(child_block, value.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from chosen_objects(block.child_block, item)
    elif isinstance(block, blocks.ChooserBlock):
        yield value


def refuse_choices(block, value, refusal):
    """A validation error at each chooser block whose chosen object `refusal(obj)` refuses
    (it returns the message, or None to accept): nested as the admin shows block errors,
    at the very field. None when everything chosen is accepted."""
    if value is None:
        return None
    if isinstance(block, blocks.StreamBlock):
        errors = {}
        for index, child in enumerate(value):
            error = refuse_choices(child.block, child.value, refusal)
            if error is not None:
                errors[index] = error
        return blocks.StreamBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.StructBlock):
        errors = {}
        for name, child_block in block.child_blocks.items():
            error = refuse_choices(child_block, value.get(name), refusal)
            if error is not None:
                errors[name] = error
        return blocks.StructBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.ListBlock):
        errors = {}
        for index, item in enumerate(value):
            error = refuse_choices(block.child_block, item, refusal)
            if error is not None:
                errors[index] = error
        return blocks.ListBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.ChooserBlock):
        message = refusal(value)
        return ValidationError(message) if message else None
    return None
