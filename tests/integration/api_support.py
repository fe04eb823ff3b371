"""Calling /api/v1/ as one of the example users of ``build_world``, through Django's real test client."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from congvu.access.models import Role
from congvu.access.tokens import create_token
from tests.factories import World, build_world, user

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Argon2 would make each world slow


@dataclass
class Api:
    world: World
    client: Client = field(default_factory=Client)
    tokens: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_new_world(cls) -> Api:
        world = build_world()
        # HR of another province: sees Huế, must not see Hà Nội.
        world.users["hue_hr"] = user("tccb_hue", Role.HR, world.hue)
        api = cls(world)
        api.tokens = {role: create_token(None, u).token for role, u in world.users.items()}
        return api

    def user(self, role: str) -> User:
        return self.world.users[role]

    def call(self, role: str | None, method: str, path: str, body: dict[str, Any] | None = None,
             **params: Any) -> HttpResponse:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        url = "/api/v1" + path
        if method == "get":
            return self.client.get(url, params, headers=headers)
        send = getattr(self.client, method)
        return send(url, data=json.dumps(body or {}), content_type="application/json", headers=headers)  # type: ignore[no-any-return]

    def get(self, role: str | None, path: str, **params: Any) -> HttpResponse:
        return self.call(role, "get", path, **params)

    def json(self, role: str | None, path: str, **params: Any) -> Any:
        response = self.get(role, path, **params)
        assert response.status_code == 200, response.content
        return response.json()
