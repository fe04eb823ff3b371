"""Type aliases shared by services."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

AnyUser = User | AnonymousUser
Actor = User | AnonymousUser | None
