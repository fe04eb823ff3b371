"""Shared set-up for the tests of adding records to a person (pages, API, services).

``with_ranks`` loads the real salary tables (ranks 01.001–01.005, groups A3.1 … C3); ``new_manager``
adds a manager on Phòng Tổ chức cán bộ, so a transfer can be watched from both ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from congvu.access.models import Role
from congvu.core.models import AuditEntry
from congvu.org.models import JobPosition, Rank
from congvu.org.reference import load_salary_tables
from congvu.org.services import create_position
from congvu.personnel.models import Discipline, Employment, Leave, Reward
from tests.factories import EVERYTHING, World, user

TRANSFER_DAY = dt.date(2026, 2, 1)


def with_ranks() -> dict[str, Rank]:
    """The real ranks by code; 01.003 Chuyên viên is group A1 (steps 1–9)."""
    load_salary_tables()
    return {r.code: r for r in Rank.objects.select_related("salary_group")}


def new_manager(world: World) -> User:
    return user("truongphong_tccb", Role.MANAGER, world.phong_tccb)


def position(world: World, unit_name: str, name: str, **kwargs: Any) -> JobPosition:
    unit = {"ccvc": world.phong_ccvc, "tccb": world.phong_tccb}[unit_name]
    return create_position(None, EVERYTHING, unit=unit, name=name, group="professional", headcount_quota=2, **kwargs)


def today() -> dt.date:
    return timezone.localdate()


def written_rows() -> tuple[int, ...]:
    """How many personnel rows and audit entries exist: equal before and after means nothing was written."""
    return (Employment.objects.count(), Discipline.objects.count(), Reward.objects.count(), Leave.objects.count(),
            AuditEntry.objects.count())
