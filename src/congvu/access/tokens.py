"""API tokens: create (shown once), authenticate, revoke.

A token is ``cv_`` followed by 43 URL-safe random characters (256 bits). The database keeps only its
SHA-256 hash, so a copy of the database does not hand out working tokens. Looking a token up by its hash
needs no constant-time comparison: an attacker who can time the index lookup learns nothing about a
token whose hash they cannot invert.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congvu.access.models import ApiToken
from congvu.core import audit
from congvu.core.types import Actor

TOKEN_PREFIX = "cv_"
# Writing last_used_at on every request would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """The stored row and the token itself, which exists only in this object and is never stored."""

    record: ApiToken
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(
    actor: Actor, user: User, *, name: str = "", expires_at: dt.datetime | None = None
) -> IssuedToken:
    """Issue a new token for ``user``; the caller must show ``token`` once and then forget it."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_token(token), prefix=token[:10], expires_at=expires_at
    )
    audit.record(actor, "create", record, after={"user": user.pk, "name": name, "prefix": record.prefix})
    return IssuedToken(record=record, token=token)


def user_for_token(token: str) -> User | None:
    """The active user a live (not revoked, not expired) token belongs to, else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


@transaction.atomic
def revoke_token(actor: Actor, record: ApiToken) -> None:
    if record.revoked_at is not None:
        return
    record.revoked_at = timezone.now()
    record.save(update_fields=["revoked_at"])
    audit.record(actor, "revoke", record, before={"revoked_at": None},
                 after={"revoked_at": audit.jsonable(record.revoked_at)})
