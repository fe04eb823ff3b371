"""Looking up what a cell names: a unit, a job position, a rank, an administrative area.

Each index is loaded once per import (a few queries, whatever the number of rows) and answers from
memory. A unit is named by its code, its electronic agency code, its exact name, or, when names repeat
("Phòng Tổ chức cán bộ" exists in every department), by its ancestors' names: "Sở Nội vụ > Phòng Tổ
chức cán bộ". The exporter writes the shortest of these that names exactly one unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from congvu.core.scope import Scope
from congvu.org.models import AdminArea, JobPosition, OrgUnit, Rank, SalaryStep
from congvu.personnel.io.cells import BadCell
from congvu.personnel.io.headers import header_key
from congvu.text import nfc

CHAIN = " > "
QUERY_CHUNK = 900  # stays under SQLite's 999 bound parameters


def _key(s: str) -> str:
    return nfc(s).casefold()


def chunks(items: list[str] | list[int], size: int = QUERY_CHUNK) -> Iterable[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---- units --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    code: str
    agency_code: str
    name: str
    kind: str
    parent_id: int | None
    path: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    legal_basis: str = ""

    def active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class UnitIndex:
    def __init__(self, units: Iterable[UnitInfo]):
        self.by_id: dict[int, UnitInfo] = {}
        self.by_code: dict[str, list[UnitInfo]] = {}
        self.by_name: dict[str, list[UnitInfo]] = {}
        for unit in units:
            self.add(unit)

    @classmethod
    def load(cls) -> UnitIndex:
        fields = ("id", "code", "agency_code", "name", "kind", "parent_id", "path", "valid_from", "valid_to",
                  "legal_basis")
        return cls(UnitInfo(*row) for row in OrgUnit.objects.order_by().values_list(*fields))

    def add(self, unit: UnitInfo) -> None:
        self.by_id[unit.id] = unit
        for code in {_key(unit.code), _key(unit.agency_code)} - {""}:
            self.by_code.setdefault(code, []).append(unit)
        self.by_name.setdefault(_key(unit.name), []).append(unit)

    def _chain_matches(self, unit: UnitInfo, ancestors: list[str]) -> bool:
        current = unit
        for name in reversed(ancestors):
            if current.parent_id is None:
                return False
            current = self.by_id[current.parent_id]
            if _key(current.name) != _key(name):
                return False
        return True

    def candidates(self, ref: str, *, numeric: bool = False) -> list[UnitInfo]:
        ref = nfc(ref)
        if CHAIN.strip() in ref:
            parts = [p.strip() for p in ref.split(CHAIN.strip()) if p.strip()]
            return [u for u in self.by_name.get(_key(parts[-1]), []) if self._chain_matches(u, parts[:-1])]
        found = self.by_code.get(_key(ref), [])
        if not found and numeric and ref.isdigit():
            # A code such as 01 typed in a number cell arrives as 1.
            for width in (2, 5):
                found = found or self.by_code.get(ref.zfill(width), [])
        return found or self.by_name.get(_key(ref), [])

    def resolve(self, ref: str, scope: Scope | None, *, numeric: bool = False) -> UnitInfo:
        """The one unit ``ref`` names within ``scope`` (or anywhere when ``scope`` is None)."""
        found = self.candidates(ref, numeric=numeric)
        reachable = found if scope is None else [u for u in found if scope.covers(u.path)]
        if len(reachable) == 1:
            return reachable[0]
        if len(reachable) > 1:
            raise BadCell(
                f"«{ref}» chỉ ra {len(reachable)} đơn vị; hãy ghi mã đơn vị hoặc "
                f"«Đơn vị cấp trên{CHAIN}Tên đơn vị»."
            )
        if found:
            raise BadCell(f"Đơn vị «{ref}» nằm ngoài phạm vi quản lý của bạn.")
        raise BadCell(f"Không tìm thấy đơn vị «{ref}» (theo mã hoặc tên đơn vị).")

    def reference(self, unit_id: int) -> str:
        """The shortest text naming exactly this unit: code, then name, then ancestors > name."""
        unit = self.by_id[unit_id]
        tries: list[str] = []
        if unit.code:
            tries.append(unit.code)
        chain = [unit.name]
        current = unit
        tries.append(unit.name)
        while current.parent_id is not None:
            current = self.by_id[current.parent_id]
            chain.insert(0, current.name)
            tries.append(CHAIN.join(chain))
        for ref in tries:
            if [u.id for u in self.candidates(ref)] == [unit.id]:
                return ref
        return tries[-1]


# ---- job positions ------------------------------------------------------------------------------------


class PositionIndex:
    """Positions of the units an import names, by (unit, code) and (unit, name)."""

    def __init__(self) -> None:
        self.by_code: dict[tuple[int, str], list[int]] = {}
        self.by_name: dict[tuple[int, str], list[int]] = {}
        self.label: dict[int, str] = {}

    @classmethod
    def load(cls, unit_ids: Iterable[int]) -> PositionIndex:
        index = cls()
        ids = sorted(set(unit_ids))
        for part in chunks(ids):
            rows = JobPosition.objects.filter(unit_id__in=part).order_by().values_list("id", "unit_id", "code", "name")
            for pk, unit_id, code, name in rows:
                index.add(pk, unit_id, code, name)
        return index

    def add(self, pk: int, unit_id: int, code: str, name: str) -> None:
        if code:
            self.by_code.setdefault((unit_id, _key(code)), []).append(pk)
        self.by_name.setdefault((unit_id, _key(name)), []).append(pk)
        self.label[pk] = code or name

    def resolve(self, unit_id: int, ref: str, unit_name: str) -> int:
        found = self.by_code.get((unit_id, _key(ref))) or self.by_name.get((unit_id, _key(ref))) or []
        if len(found) == 1:
            return found[0]
        if found:
            raise BadCell(f"Đơn vị «{unit_name}» có {len(found)} vị trí việc làm tên «{ref}»; hãy ghi mã vị trí.")
        raise BadCell(f"Đơn vị «{unit_name}» không có vị trí việc làm «{ref}».")


# ---- ranks and salary steps ---------------------------------------------------------------------------


class RankIndex:
    def __init__(self) -> None:
        self.by_code: dict[str, tuple[int, int, str]] = {}  # code → (rank id, salary group id, code)
        self.code_of: dict[int, str] = {}
        self.steps: dict[int, set[int]] = {}  # salary group id → steps

    @classmethod
    def load(cls) -> RankIndex:
        index = cls()
        for pk, code, group_id in Rank.objects.order_by().values_list("id", "code", "salary_group_id"):
            index.by_code[_key(code)] = (pk, group_id, code)
            index.code_of[pk] = code
        for group_id, step in SalaryStep.objects.order_by().values_list("group_id", "step").distinct():
            index.steps.setdefault(group_id, set()).add(step)
        return index

    def resolve(self, ref: str) -> tuple[int, int]:
        found = self.by_code.get(_key(ref))
        if found is None:
            raise BadCell(f"Không có mã ngạch «{ref}» trong danh mục ngạch, chức danh nghề nghiệp.")
        return found[0], found[1]

    def check_step(self, group_id: int, step: int, rank_code: str) -> None:
        steps = self.steps.get(group_id, set())
        if step not in steps:
            available = f"các bậc {min(steps)}–{max(steps)}" if steps else "chưa có bậc nào"
            raise BadCell(f"Ngạch {rank_code} không có bậc {step} ({available}).")


# ---- administrative areas -----------------------------------------------------------------------------

_AREA_PREFIXES = ("thanh pho ", "tinh ", "tp ", "xa ", "phuong ", "thi tran ", "dac khu ", "quan ", "huyen ", "thi xa ")


def _area_key(name: str) -> str:
    key = header_key(name)
    for prefix in _AREA_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


@dataclass(frozen=True, slots=True)
class AreaInfo:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    current: bool


class AreaIndex:
    """Provinces and communes by code and by name ("Tỉnh", "Xã" … prefixes optional).

    A place is written "Xã A, Tỉnh B" (any middle parts, such as an old district, are ignored) or just
    a province, or a code. Areas in force today win over pre-2025 ones of the same name.
    """

    def __init__(self, areas: Iterable[AreaInfo]):
        self.by_id: dict[int, AreaInfo] = {}
        self.by_code: dict[str, AreaInfo] = {}
        self.provinces: dict[str, AreaInfo] = {}
        self.communes: dict[tuple[int | None, str], AreaInfo] = {}
        self.communes_anywhere: dict[str, list[AreaInfo]] = {}
        ordered = sorted(areas, key=lambda a: (not a.current, len(a.code), a.id))
        for area in ordered:
            self.by_id[area.id] = area
            self.by_code.setdefault(area.code, area)
            key = _area_key(area.name)
            if area.level == AdminArea.Level.PROVINCE:
                self.provinces.setdefault(key, area)
                self.provinces.setdefault(header_key(area.name), area)
            else:
                self.communes.setdefault((area.parent_id, key), area)
                self.communes_anywhere.setdefault(key, []).append(area)

    @classmethod
    def load(cls) -> AreaIndex:
        rows = AdminArea.objects.order_by().values_list("id", "code", "name", "level", "parent_id", "valid_to")
        return cls(AreaInfo(pk, code, name, level, parent, valid_to is None) for pk, code, name, level, parent, valid_to in rows)

    def resolve(self, ref: str) -> tuple[int, bool]:
        """(area id, partial): partial when a commune was named but only its province was found."""
        if not self.by_id:
            raise BadCell("Danh mục đơn vị hành chính chưa được nạp nên không đối chiếu được địa danh.")
        parts = [p.strip() for p in nfc(ref).split(",") if p.strip()]
        if not parts:
            raise BadCell("Địa danh trống.")
        if len(parts) == 1:
            part = parts[0]
            area = self.by_code.get(part) or self.provinces.get(_area_key(part)) or self.provinces.get(header_key(part))
            if area is None:
                communes = self.communes_anywhere.get(_area_key(part), [])
                area = communes[0] if len(communes) == 1 else None
            if area is None:
                raise BadCell(f"Không tìm thấy «{part}» trong danh mục tỉnh, xã; ghi «Xã …, Tỉnh …».")
            return area.id, False
        province = self.provinces.get(_area_key(parts[-1])) or self.provinces.get(header_key(parts[-1]))
        if province is None:
            raise BadCell(f"Không tìm thấy tỉnh/thành phố «{parts[-1]}» trong danh mục đơn vị hành chính.")
        commune = self.communes.get((province.id, _area_key(parts[0])))
        return (commune.id, False) if commune is not None else (province.id, True)

    def reference(self, area_id: int) -> str:
        area = self.by_id[area_id]
        if area.level == AdminArea.Level.COMMUNE and area.parent_id is not None:
            text = f"{area.name}, {self.by_id[area.parent_id].name}"
        else:
            text = area.name
        try:
            resolved, partial = self.resolve(text)
        except BadCell:
            return area.code
        return text if resolved == area_id and not partial else area.code
