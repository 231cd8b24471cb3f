"""Personal API tokens: created and revoked from the account page, checked on every API request.

The token is shown once, when it is created; only its SHA-256 hash is stored, so a copy of the
database gives no one a working token. Each token carries scopes: what it may change.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from community.models import ApiToken, User
from core import limits
from core.text import clean_text, max_length

PREFIX = "yishi_"
MAX_ACTIVE = 10
TOUCH_EVERY = timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(actor: User, *, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token for the actor. Returns the token and its secret, which is never shown again."""
    limits.hit(actor, "token")
    if not actor.is_active:
        raise ValidationError(_("This account is not active."))
    name = clean_text(name, field=_("The name"), limit=max_length(ApiToken, "name"))
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if unknown or not scopes:
        raise ValidationError(_("Choose at least one thing the token may do."))
    User.objects.select_for_update().filter(pk=actor.pk).first()  # count and create one at a time
    if ApiToken.objects.filter(user=actor, revoked_at=None).count() >= MAX_ACTIVE:
        raise ValidationError(
            _("You have %(count)s active tokens, the most allowed. Revoke one first.") % {"count": MAX_ACTIVE}
        )
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=raw[: len(PREFIX) + 6],
        key_hash=_hash(raw),
        scopes=[scope for scope in ApiToken.Scope.values if scope in scopes],
    )
    audit.record(actor, "token.created", community=None, target=token, scopes=token.scopes)
    return token, raw


@transaction.atomic
def revoke_api_token(actor: User, *, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise ValidationError(_("This token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "token.revoked", community=None, target=token)
    return token


def authenticate_api_token(raw: str) -> ApiToken | None:
    """The active token with this secret, its user loaded; None for anything else."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = (ApiToken.objects.select_related("user").filter(key_hash=_hash(raw), revoked_at=None)
             .first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_all_api_tokens(user: User) -> int:
    """A new password ends every token: whoever took over the account cannot keep a way in."""
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


def _on_new_password(sender, request=None, user=None, **kwargs):
    if user is not None:
        revoke_all_api_tokens(user)


def connect_signals() -> None:
    from allauth.account.signals import password_changed, password_reset, password_set

    for signal in (password_changed, password_reset, password_set):
        signal.connect(_on_new_password, dispatch_uid=f"yishi-revoke-tokens-{id(signal)}")
