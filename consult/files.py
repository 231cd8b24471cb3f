"""Who may see a consultation's documents: whoever may see the consultation — the committee while it is a
draft, everyone after (core/files.py)."""

from consult import permissions
from consult.models import Attachment
from core.files import Access


def media_rule(request, path: str) -> Access | None:
    attachment = Attachment.objects.filter(file=path).select_related("consultation__community").first()
    if attachment is None:
        return None
    consultation = attachment.consultation
    return Access(allowed=permissions.can_view_consultation(request.user, consultation),
                  public=consultation.is_public)
