"""The page editor's form for merchant pages."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

IMAGE_FIELDS = ("hero_image", "logo")
GALLERY = "gallery_images"


class MerchantPageForm(WagtailAdminPageForm):
    """Image fields take only images the user may choose (a merchant: those in their own
    collection) or the ones the page shows already. The chooser offers no others; this
    refuses an image id posted by hand, with an error at the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        allowed = self._allowed_images()
        fields = [self.fields[name] for name in IMAGE_FIELDS]
        fields += [form.fields["image"] for form in self.formsets[GALLERY].forms]
        for field in fields:
            field.queryset = allowed
            field.error_messages["invalid_choice"] = _(
                "This image is not available to you. Please choose one of your own images."
            )

    def _allowed_images(self):
        page = self.instance
        shown = [page.hero_image_id, page.logo_id]
        shown += [item.image_id for item in getattr(page, GALLERY).all()]
        image_model = get_image_model()
        choosable = policy_registry.get_by_type(image_model).instances_user_has_permission_for(
            self.for_user, "choose"
        )
        return image_model.objects.filter(
            Q(pk__in=choosable.values("pk")) | Q(pk__in=[pk for pk in shown if pk])
        )
