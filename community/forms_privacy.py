"""The account deletion form. Apart from forms.py: allauth's forms import our sign-up form from there."""

from allauth.account.forms import ReauthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(ReauthenticateForm):
    """The password again (allauth checks it), and a confirmation the person cannot give by accident."""

    confirm = forms.BooleanField(
        label=_("I understand: my account and personal data are erased for good, and this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you want to delete your account.")},
    )
