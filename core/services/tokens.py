"""API tokens: a user creates, lists and revokes their own (knox: hashed, expiring).

A token is shown once, when it is created; afterwards only its id (the first characters,
which knox keeps in clear to find the token, not enough to use it), when it was created and
when it expires. Creating and revoking one are recorded in the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from core.errors import ApplicationError
from core.models import AuditEntry, User

from .audit import audit_record


def api_tokens_of(*, user: User) -> QuerySet[AuthToken]:
    """The user's tokens that still work, newest first."""
    live = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(live, user=user).order_by("-created")


def _expiry(token: AuthToken) -> str | None:
    return token.expiry.isoformat() if token.expiry else None


def _audit(user: User, action: AuditEntry.Action, token: AuthToken, **values: object) -> None:
    audit_record(
        user=user,
        action=action,
        instance=token,
        object_id=token.token_key,
        object_repr=f"API token {token.token_key}… of {user.get_username()}",
        before=values if action == AuditEntry.Action.DELETE else None,
        after=values if action == AuditEntry.Action.CREATE else None,
    )


def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user`: the stored record and the token itself, shown this once.

    A user holds at most API_TOKENS_PER_USER tokens that still work: one more is a 400
    saying to revoke one, so that a script signing in on every run does not pile up
    tokens that each open the account for a month.
    """
    if not user.is_active:
        raise ApplicationError("This account is disabled.", status_code=403)
    most = settings.API_TOKENS_PER_USER
    with transaction.atomic():
        # Two creations at once take turns here, so neither passes the limit unseen.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if api_tokens_of(user=user).count() >= most:
            raise ApplicationError(
                f"You have {most} API tokens that still work, the most a user may hold: "
                "revoke one you no longer use (on your account's API tokens page, or with "
                "DELETE /api/v1/auth/tokens/<id>/) and create the new one again."
            )
        token, key = AuthToken.objects.create(user=user)
        _audit(user, AuditEntry.Action.CREATE, token, expiry=_expiry(token))
    return token, key


def api_token_revoke(*, user: User, token_id: str) -> None:
    """Revoke one of the user's own tokens; another's, or none, is 404."""
    with transaction.atomic():
        token = api_tokens_of(user=user).filter(token_key=token_id).first()
        if token is None:
            raise ApplicationError("You have no such API token.", status_code=404)
        _audit(user, AuditEntry.Action.DELETE, token, expiry=_expiry(token))
        token.delete()
