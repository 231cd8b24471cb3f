"""Staff set-up of communities, grids, organisations and roles."""

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from community import maps, services
from community.admin_login import LimitedAdminLoginForm
from community.models import Building, Community, Grid, LocalDay, Membership, MembershipRequest, Organisation, User
from community.services import calendar


# What the platform names in two languages is edited side by side: English left, Chinese right
# (text areas narrow enough for two to share a row).
SIDE_BY_SIDE = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 44})}}


class GridInline(admin.StackedInline):
    model = Grid
    extra = 0
    formfield_overrides = SIDE_BY_SIDE
    fields = ["number", ("name", "name_zh"), ("description", "description_zh"), "households"]


class OutlinePreview:
    """The outline as GeoJSON text (checked on save) and, once saved, drawn as the site's map draws it."""

    readonly_fields = ["drawing"]

    class Media:
        css = {"all": ["css/map.css"]}

    @admin.display(description=_("drawing"))
    def drawing(self, obj):
        if not obj or not obj.outline:
            return _("No outline yet: paste a GeoJSON geometry above and save.")
        grid = obj if isinstance(obj, Grid) else obj.grid
        buildings = grid.buildings.all() if obj is grid else [obj]
        shape = maps.GridShape(grid.number, grid.local_name, "", grid.outline or obj.outline)
        return maps.render([shape], [maps.BuildingShape(b.pk, b.name, grid.number, b.outline) for b in buildings],
                           title=str(obj), pick=True, focus=grid.number)


class LocalDayInline(admin.TabularInline):
    """Local days off and extra working days; the committee also keeps them on the community's calendar page."""

    model = LocalDay
    extra = 0
    fields = ["day", "kind", "note"]


DEADLINE_FIELDS = ["response_deadline", "response_deadline_unit", "resolution_deadline", "resolution_deadline_unit",
                   "office_hours"]


class CommunityAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        for field, what in (("response_deadline", _("the response deadline")),
                            ("resolution_deadline", _("the resolution deadline"))):
            if data.get(field) is not None and data.get(f"{field}_unit"):
                try:
                    calendar.check_deadline(data[field], data[f"{field}_unit"], what=what)
                except ValidationError as error:
                    self.add_error(field, error)
        return data


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    formfield_overrides = SIDE_BY_SIDE
    list_display = ["name", "name_zh", "slug", "response_deadline", "response_deadline_unit", "resolution_deadline",
                    "resolution_deadline_unit"]
    search_fields = ["name", "name_zh"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [("name", "name_zh"), "slug", ("description", "description_zh"), "address",
              ("response_deadline", "response_deadline_unit"), ("resolution_deadline", "resolution_deadline_unit"),
              "office_hours"]
    inlines = [GridInline, LocalDayInline]
    form = CommunityAdminForm

    # The calendar and the deadlines change through community.services.calendar, which audits each change.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(DEADLINE_FIELDS) & set(form.changed_data):
            calendar.set_deadlines(request.user, community_id=obj.pk, **{f: getattr(obj, f) for f in DEADLINE_FIELDS})

    def save_formset(self, request, form, formset, change):
        if formset.model is not LocalDay:
            return super().save_formset(request, form, formset, change)
        changed = formset.save(commit=False)
        for local in [*formset.deleted_objects, *(o for o in changed if o.pk)]:
            calendar.remove_local_day(request.user, community_id=form.instance.pk, local_day_id=local.pk)
        for local in changed:
            calendar.add_local_day(request.user, community_id=form.instance.pk, day=local.day, kind=local.kind,
                                   note=local.note)


@admin.register(Grid)
class GridAdmin(OutlinePreview, admin.ModelAdmin):
    formfield_overrides = SIDE_BY_SIDE
    list_display = ["__str__", "name", "name_zh", "community", "households"]
    list_filter = ["community"]
    fields = ["community", "number", ("name", "name_zh"), ("description", "description_zh"), "households",
              "outline", "drawing"]


@admin.register(Building)
class BuildingAdmin(OutlinePreview, admin.ModelAdmin):
    list_display = ["name", "grid", "community"]
    list_filter = ["community"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = SIDE_BY_SIDE
    list_display = ["name", "kind", "community"]
    list_filter = ["community", "kind"]
    search_fields = ["name"]
    fields = ["community", "name", "kind", ("description", "description_zh"), "public_contact"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "position", "community", "grid", "organisation"]
    list_filter = ["community", "role"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user", "organisation"]

    # Roles change through community.services.roles, which audits each change in the same transaction.
    def save_model(self, request, obj, form, change):
        services.save_membership(request.user, membership=obj)

    def delete_model(self, request, obj):
        services.remove_membership(request.user, membership_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            self.delete_model(request, membership)


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    """Read-only here: requests are decided in the membership queue, which tells the resident."""

    list_display = ["user", "grid", "status", "created_at", "decided_by"]
    list_filter = ["status", "grid__community"]
    readonly_fields = [f.name for f in MembershipRequest._meta.fields]

    def has_add_permission(self, request):
        return False


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "language", "age_band", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language", "age_band"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [EmailAddressInline]
    actions = ["delete_accounts"]

    def has_delete_permission(self, request, obj=None):
        # A plain delete would take others' replies, votes and counts with it: the action anonymises instead.
        return False

    # Staff, superuser and suspension are roles over the whole platform: saved through the roles service.
    def save_model(self, request, obj, form, change):
        services.save_site_role(request.user, user=obj, created=not change)

    @admin.action(description=_("Delete the accounts: erase personal data, keep contributions anonymised"))
    def delete_accounts(self, request, queryset):
        for user in queryset:
            try:
                services.delete_account(request.user, user_id=user.pk)
            except (ValidationError, PermissionDenied) as error:
                for message in getattr(error, "messages", None) or [str(error)]:
                    self.message_user(request, f"{user.pk}: {message}", level=messages.ERROR)
            else:
                self.message_user(request, _("Account %(id)s deleted.") % {"id": user.pk}, level=messages.SUCCESS)


admin.site.login_form = LimitedAdminLoginForm  # failed sign-ins are limited as on the account pages
