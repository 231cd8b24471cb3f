"""Forms bind and clean input; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community import names, services
from community.models import ApiToken, Grid, MembershipRequest, Owner, User
from community.models.accounts import AgeBand, Language
from core.text import max_length


class SignupExtraForm(forms.Form):
    """What allauth's sign-up page asks besides email and password."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=max_length(User, "display_name"),
        required=False,
        help_text=_("How your name appears to others. You can leave it empty."),
    )

    def clean_display_name(self) -> str:
        """Checked before the account is made: allauth would otherwise make it and fail afterwards."""
        name = " ".join(self.cleaned_data.get("display_name", "").split())
        try:
            names.check_display_name(name, person=None)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return name

    def signup(self, request, user: User) -> None:
        language = _language_in_use()
        services.update_profile(
            user,
            display_name=self.cleaned_data.get("display_name", ""),
            language=language,
            age_band="",
        )


def _language_in_use() -> str:
    """The page's language as one of the preferences a person can keep."""
    language = get_language() or ""
    if language.startswith("zh"):
        return Language.CHINESE
    return Language.TIBETAN if language.startswith("bo") else Language.ENGLISH


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

    class Meta:
        model = User
        fields = ["display_name", "language", "age_band", "email_frequency"]
        widgets = {"email_frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.language:
            self.initial["language"] = _language_in_use()
        self.fields["age_band"].choices = [("", _("Prefer not to say")), *AgeBand.choices]


class MembershipRequestForm(forms.ModelForm):
    class Meta:
        model = MembershipRequest
        fields = ["grid", "unit", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.filter(community=community)
        self.fields["grid"].empty_label = _("Choose your grid")
        self.fields["grid"].label_from_instance = str


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=max_length(MembershipRequest, "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The resident will read this. Say what they can do next."),
    )


# Issues ----------------------------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("of an API token", "Name"), max_length=max_length(ApiToken, "name"),
                           help_text=_("What the token is for, so you recognise it later, e.g. “My phone app”."))
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"), choices=ApiToken.Scope.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Reading public data needs no token. Give a token only what the app needs."),
    )


class RegisterImportForm(forms.Form):
    """A register of owners as a CSV file (or its text, kept between the preview and the confirmation)."""

    file = forms.FileField(
        label=_("The register (CSV file)"), required=False,
        help_text=_("One line per unit and owner: building, unit, area (m²), grid (its number), owner, owner_id, "
                    "email. Co-owners are one line each; a unit not yet sold has one line with no owner. Save a "
                    "spreadsheet as CSV (UTF-8)."))
    text = forms.CharField(widget=forms.HiddenInput, required=False)
    how = forms.ChoiceField(label=_("How were the owners checked?"), choices=Owner.How.choices)
    note = forms.CharField(label=_("Note"), max_length=max_length(Owner, "verified_note"), required=False,
                           help_text=_("Which documents, seen by whom, when — needed if you chose “Other”."))

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > 2 * 1024 * 1024:
                raise forms.ValidationError(_("The file is larger than 2 MB: split it by building."))
            raw = upload.read()
            for encoding in ("utf-8-sig", "gb18030"):  # a spreadsheet saved in China is often GB18030
                try:
                    cleaned["text"] = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise forms.ValidationError(_("The file is not text: save the spreadsheet as CSV."))
        if not cleaned.get("text"):
            raise forms.ValidationError(_("Choose the register's CSV file."))
        return cleaned


class MapImportForm(forms.Form):
    """Outlines as a GeoJSON file (or its text, kept between the preview and the confirmation)."""

    file = forms.FileField(
        label=_("Outlines (GeoJSON file)"), required=False,
        help_text=_("A FeatureCollection of Polygons or MultiPolygons in longitude and latitude. Each feature's "
                    "properties say what it outlines: \"grid\": its number, or \"building\": its name (with "
                    "\"grid\" for a building not in the register yet)."))
    text = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > 1024 * 1024:
                raise forms.ValidationError(_("The file is larger than 1 MB: simplify the outlines or split the file."))
            try:
                cleaned["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not GeoJSON text (UTF-8)."))
        if not cleaned.get("text"):
            raise forms.ValidationError(_("Choose a GeoJSON file."))
        return cleaned
