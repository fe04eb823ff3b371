"""Who is calling: a Bearer token (scripts, other systems) or the browser session (same-origin pages).

Ninja tries the authenticators in order and takes the first that returns a user; if none does, the
answer is 401. The session authenticator checks CSRF on unsafe methods, so a page's JavaScript must send
the ``X-CSRFToken`` header; a Bearer token is never sent by a browser on its own, so it needs no CSRF.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from congvu.access.tokens import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer cv_…`` → the token's user (None for an unknown, revoked or expired token)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return user_for_token(token.strip())


class BrowserSession(SessionAuth):
    """Ninja's session authenticator (CSRF checked on writes), asked only when there is a logged-in session.

    Without this guard a script's POST with a wrong token would fall through to the CSRF check and get
    403 "CSRF check Failed" instead of the 401 that tells it the token is wrong.
    """

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


API_AUTH: list[Any] = [BearerToken(), BrowserSession()]


def caller(request: HttpRequest) -> User:
    """The authenticated user of this request (set by one of ``API_AUTH``)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
