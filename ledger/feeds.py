"""The public decisions as an Atom feed."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from core.text import render_markdown
from ledger.models import Decision


class DecisionsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Decisions and their follow-up")
    link = "/outcomes/"
    subtitle = _("Every public decision, newest first.")

    def items(self):
        return Decision.objects.filter(is_public=True).select_related("community").order_by("-decided_at", "-pk")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_markdown(item.text)

    def item_pubdate(self, item):
        return item.decided_at
