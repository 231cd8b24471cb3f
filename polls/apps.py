from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    """Polls: every common voting method, secret and open ballots, recounts."""

    name = "polls"
    verbose_name = _("Polls")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core import fragments
        from polls.models import Observer, OpenVote, Option, PaperEntry, Poll, Voter

        def changed(sender, instance, **kwargs):
            """A poll's cached results (core/fragments.py) are stale after any write to it, its options, its roll,
            its open votes or its observers; bumped after the commit (bulk writes bump it themselves)."""
            poll_id = instance.pk if sender is Poll else instance.poll_id
            fragments.bump_on_commit("poll", poll_id)
            if sender is Poll and instance.meeting_id:  # the meeting's page lists its votes
                fragments.bump_on_commit("meeting", instance.meeting_id)
            if sender is Poll and instance.consultation_id:  # and the consultation's
                fragments.bump_on_commit("consultation", instance.consultation_id)

        for model in (Poll, Option, Voter, OpenVote, PaperEntry, Observer):
            post_save.connect(changed, sender=model, dispatch_uid=f"fragments-polls-{model.__name__}-save")
            post_delete.connect(changed, sender=model, dispatch_uid=f"fragments-polls-{model.__name__}-delete")
