"""The page editor's form for merchant pages."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.blocks.base import BlockField
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from core.cities import sites_for_user
from pages.blocks import chosen_objects, refuse_choices

IMAGE_FIELDS = ("hero_image", "logo")
GALLERY = "gallery_images"
FOREIGN_IMAGE = _("This image is not available to you. Please choose one of your own images.")
FOREIGN_DOCUMENT = _(
    "This document is not available to you. Please choose one of your own documents."
)

# What a StreamField's form data holds besides the blocks' values.
STRUCTURE = ("-count", "-type", "-order", "-deleted", "-id")


def _refused_here(form, name) -> bool:
    errors = form.errors.get(name)
    return bool(errors) and any(e.code == "invalid_choice" for e in errors.as_data())


class MerchantPageForm(WagtailAdminPageForm):
    """Image fields take only images the user may choose (a merchant: those in their own
    collection, or in one the editors share with merchants) or the ones the page shows
    already. The chooser offers no others; this refuses an image id posted by hand, with an
    error at the field. The same holds for every image and document chooser inside the
    page's StreamFields (the story), checked in clean()."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        allowed = self._allowed(get_image_model())
        fields = [self.fields[name] for name in IMAGE_FIELDS]
        fields += [form.fields["image"] for form in self.formsets[GALLERY].forms]
        for field in fields:
            field.queryset = allowed
            field.error_messages["invalid_choice"] = FOREIGN_IMAGE

    def clean(self):
        cleaned_data = super().clean()
        if self.for_user is None:
            return cleaned_data
        refusals = {get_image_model(): FOREIGN_IMAGE, get_document_model(): FOREIGN_DOCUMENT}
        allowed = {model: self._allowed(model) for model in refusals}

        def refusal(obj):
            model = type(obj)
            if model in allowed and not allowed[model].filter(pk=obj.pk).exists():
                self._refused.add(str(obj.pk))
                return refusals[model]
            return None

        for name, field in self.fields.items():
            if isinstance(field, BlockField) and cleaned_data.get(name) is not None:
                error = refuse_choices(field.block, cleaned_data[name], refusal)
                if error is not None:
                    self.add_error(name, error)
        return cleaned_data

    def is_valid(self):
        self._refused = set()
        valid = super().is_valid()
        if not valid and self.for_user is not None:
            self._forget_refused_choices()
        return valid

    def _forget_refused_choices(self):
        """The form shown again must not show what was refused: a chooser draws the posted
        id's title and thumbnail, which would show another merchant's image after all."""
        data = self.data.copy()
        for name in IMAGE_FIELDS:
            if _refused_here(self, name):
                data[self.add_prefix(name)] = ""
        for form in self.formsets[GALLERY].forms:
            if _refused_here(form, "image"):
                data[form.add_prefix("image")] = ""
        streams = [
            self.add_prefix(n) + "-" for n, f in self.fields.items() if isinstance(f, BlockField)
        ]
        for key in list(data):
            if (
                key.startswith(tuple(streams))
                and not key.endswith(STRUCTURE)
                and data[key] in self._refused
            ):
                data[key] = ""
        self.data = data
        for formset in self.formsets.values():
            formset.data = data
            for form in formset.forms:
                form.data = data

    def _shown(self, model) -> list[int]:
        """What the page (as the form started from it) shows of `model` already."""
        page = self.instance
        shown = []
        if model is get_image_model():
            shown += [page.hero_image_id, page.logo_id]
            shown += [item.image_id for item in getattr(page, GALLERY).all()]
        for name, field in self.fields.items():
            if isinstance(field, BlockField):
                value = getattr(page, name, None)
                shown += [
                    obj.pk for obj in chosen_objects(field.block, value) if isinstance(obj, model)
                ]
        return [pk for pk in shown if pk]

    def _allowed(self, model):
        choosable = policy_registry.get_by_type(model).instances_user_has_permission_for(
            self.for_user, "choose"
        )
        return model.objects.filter(Q(pk__in=choosable.values("pk")) | Q(pk__in=self._shown(model)))


class DistrictForm(WagtailAdminModelForm):
    """A district belongs to one of the cities the editor acts for, never another's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "site" in self.fields:
            self.fields["site"].queryset = sites_for_user(self.for_user)
