"""How allauth meets the community: after signing in, each person lands where their work is."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from community.permissions import memberships


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """The first of ``YISHI_LANDING`` (role → page, in order) that the person holds; without a role, their
        account page, which says how to join a grid. A ``next`` address, when given, wins (allauth's own rule)."""
        roles = {m.role for m in memberships(request.user)}
        for role, url_name in settings.YISHI_LANDING:
            if role in roles:
                return reverse(url_name)
        return super().get_login_redirect_url(request)
