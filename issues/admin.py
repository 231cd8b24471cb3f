"""The issues in the admin: categories editable, issues read-only (changes go through the pages)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from issues.models import Category, Issue


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Each community's list of issue categories: staff set it up here."""

    list_display = ["name", "name_zh", "community", "position", "active"]
    list_display_links = ["name", "name_zh"]
    list_filter = ["community", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name", "name_zh"]
    fields = ["community", ("name", "name_zh"), "position", "active"]  # both languages side by side


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "grid", "category", "status", "tier", "created_at"]
    list_filter = ["community", "status", "tier", "category"]
    search_fields = ["title"]
