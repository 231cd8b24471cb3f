"""An Atom feed of public meetings: what is scheduled, live, and adjourned."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from core.text import render_markdown
from meetings.models import Meeting


class MeetingsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Meetings")
    link = "/meetings/"
    subtitle = _("Public meetings, newest first.")

    def items(self):
        return Meeting.objects.filter(is_public=True).exclude(status=Meeting.Status.CANCELLED).order_by(
            "-starts_at", "-pk")[:50]

    def item_title(self, item):
        return f"{item.title} — {item.get_status_display()}"

    def item_description(self, item):
        return render_markdown(item.description)

    def item_pubdate(self, item):
        return item.created_at
