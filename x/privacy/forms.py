from django import forms
from django.utils.translation import gettext_lazy as _


class AccessRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The address you gave when you ordered, donated or received a voucher."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email")


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete my personal data. I understand that this cannot be undone."),
        error_messages={"required": _("Please confirm that your data should be deleted.")},
    )
