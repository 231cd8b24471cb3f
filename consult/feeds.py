"""Atom feeds of what the community decided and is deliberating: public, for any feed reader."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from consult.models import Consultation
from core.text import render_markdown


class ConsultationsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Consultations")
    link = "/consultations/"
    subtitle = _("Consultations that are open or concluded, newest change first.")

    def items(self):
        return Consultation.objects.exclude(phase=Consultation.Phase.DRAFT).order_by("-phase_changed_at", "-pk")[:50]

    def item_title(self, item):
        return f"{item.title} — {item.get_phase_display()}"

    def item_description(self, item):
        return render_markdown(item.conclusion or item.body)

    def item_pubdate(self, item):
        return item.phase_changed_at
