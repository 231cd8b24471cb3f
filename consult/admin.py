"""Staff set-up of communities, grids, organisations and roles."""

from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from consult.models import (
    Category,
    Community,
    Decision,
    Grid,
    Issue,
    Membership,
    MembershipRequest,
    Organisation,
    Task,
    User,
)


class GridInline(admin.TabularInline):
    model = Grid
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "response_deadline_hours"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [GridInline]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["__str__", "community", "households"]
    list_filter = ["community"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "community"]
    list_filter = ["community", "kind"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "position", "community", "grid", "organisation"]
    list_filter = ["community", "role"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user", "organisation"]


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


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Each community's list of issue categories: staff set it up here."""

    list_display = ["name", "community", "position", "active"]
    list_filter = ["community", "active"]
    list_editable = ["position", "active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Issues and the ledger change only through their pages, which check and record every step."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "grid", "category", "status", "tier", "created_at"]
    list_filter = ["community", "status", "tier", "category"]
    search_fields = ["title"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "source", "community", "decided_at"]
    list_filter = ["community", "source"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "due_date", "status", "progress"]
    list_filter = ["status"]
