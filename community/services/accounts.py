"""Deleting an account: the personal data goes; what the person gave to public deliberation stays, anonymised.

The user row itself stays, emptied, so that everything pointing to it keeps counting: their issues,
proposals, comments, chat messages, supports, upvotes, ratings, open votes and the participation in
secret polls (ballots never pointed to anyone), so no count and no poll result changes. Everywhere
the row is shown, ``User.public_name`` answers "Former member" from then on. Gone: email
addresses, the password, the name, language and age band, memberships (with their units) and
requests to join, follows, notifications, API tokens, sessions, and the private contact details
of the issues they raised.

The later apps add their part (notifications, issues, consult, meetings) through ``YISHI_ACCOUNT_DELETION_HOOKS``: modules with
``deletion_blockers(user) -> list[str]`` (reasons to refuse, e.g. chairing a meeting that is not
over) and ``forget_person(user, label)`` (their own rows), called inside the same transaction.
"""

from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import permissions
from community.models import ApiToken, Membership, MembershipRequest, User
from community.models.accounts import EmailFrequency
from community.personal_data import end_sessions


def _hooks() -> list:
    return [import_module(path) for path in getattr(settings, "YISHI_ACCOUNT_DELETION_HOOKS", [])]


def deletion_blockers(user: User) -> list[str]:
    """Why this account cannot be deleted yet, in words the person can act on; empty if it can."""
    return [reason for hook in _hooks() for reason in hook.deletion_blockers(user)]


@transaction.atomic
def delete_account(actor: User, *, user_id: int) -> User:
    """Erase a person's personal data and keep their public contributions under a neutral label."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or user.deleted_at is not None:
        raise ValidationError(_("This account does not exist or was already deleted."))
    permissions.require(permissions.can_delete_account(actor, user))
    blockers = deletion_blockers(user)
    if blockers:
        raise ValidationError(blockers)

    for model in (Membership, MembershipRequest, ApiToken, EmailAddress):
        model.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    # Stored labels (e.g. names kept in a meeting room's event log) are written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        label = str(_("Former member"))
    for hook in _hooks():
        hook.forget_person(user, label)

    user.email = f"deleted-{user.pk}@deleted.invalid"  # unique and required; .invalid never delivers
    user.display_name = user.language = user.age_band = ""
    user.email_frequency = EmailFrequency.NEVER
    user.digest_sent_at = user.last_login = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.deleted_at = timezone.now()
    user.save()
    permissions.forget(user)
    end_sessions(user)
    return user
