"""Who may see a proxy's signed authorisation: the officials of its community, who record proxies, and
nobody else — not even by its address (core/files.py)."""

from core.files import Access
from polls.models import Proxy
from polls.services.paper import is_official


def media_rule(request, path: str) -> Access | None:
    proxy = Proxy.objects.filter(form=path).select_related("poll__community").first()
    if proxy is None:
        return None
    return Access(allowed=is_official(request.user, proxy.poll.community), public=False)
