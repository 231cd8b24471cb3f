"""The issues in the admin: categories editable, issues read-only (changes go through the pages)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from issues.models import Category, Issue


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Each community's list of issue categories: staff set it up here."""

    list_display = ["name", "community", "position", "active"]
    list_filter = ["community", "active"]
    list_editable = ["position", "active"]


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "grid", "category", "status", "tier", "created_at"]
    list_filter = ["community", "status", "tier", "category"]
    search_fields = ["title"]
