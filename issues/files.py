"""Who may see an issue's photos: whoever may see the issue — everyone (core/files.py)."""

from core.files import Access
from issues.models import IssuePhoto


def media_rule(request, path: str) -> Access | None:
    return Access(allowed=True, public=True) if IssuePhoto.objects.filter(image=path).exists() else None
