"""What makes the issue list's cached fragment stale (core/fragments.py): any write to a community's issues,
their followers, its grids or categories bumps the community's "issues" version (at once and after the
commit). What changes with the clock alone (an issue turning overdue) is bounded by the fragment's short
lifetime."""

from django.db.models.signals import post_delete, post_save

from community.models import Grid
from core import fragments
from issues.models import Category, Issue, IssueFollow


def issues_changed(community_id) -> None:
    if community_id:
        fragments.bump_on_commit("issues", community_id)


def _changed(sender, instance, **kwargs):
    if sender is IssueFollow:
        issues_changed(Issue.objects.filter(pk=instance.issue_id).values_list("community_id", flat=True).first())
    else:
        issues_changed(instance.community_id)


def connect() -> None:
    for model in (Issue, IssueFollow, Grid, Category):
        post_save.connect(_changed, sender=model, dispatch_uid=f"fragments-issues-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"fragments-issues-{model.__name__}-delete")
