"""Loading reference data: administrative units, central agencies, salary tables, base salary, allowances.

Every loader is idempotent and set-based: it reads what is already there in one query, then creates the
missing rows with ``bulk_create`` and corrects changed ones with ``bulk_update``, inside one transaction,
and writes one audit entry when something changed. Running it twice creates nothing the second time.
The data and its sources are in :mod:`congvu.org.reference_data`; administrative units come from the pinned
``vietnam_provinces`` package, whose version is recorded on every row (``AdminArea.source``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import vietnam_provinces
from django.db import models, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad

from congvu.core import audit
from congvu.core.scope import Scope
from congvu.org import reference_data as data
from congvu.org.models import (
    PATH_SEGMENT_WIDTH,
    AdminArea,
    AllowanceType,
    BaseSalary,
    OrgUnit,
    Rank,
    SalaryGroup,
    SalaryStep,
)
from congvu.org.salary import ReferenceDataMissing
from congvu.org.services import create_unit
from congvu.rules.personal_id import PRE_2025_PROVINCES

LOADER_LABEL = "congvu load_reference"
DECISION_19 = "Quyết định 19/2025/QĐ-TTg"


def dataset_version() -> str:
    """The administrative-units dataset we load, e.g. "vietnam-provinces 2025.10.1 (data 2025-10-18)"."""
    return f"vietnam-provinces {vietnam_provinces.__version__} (data {vietnam_provinces.__data_version__})"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0

    def __add__(self, other: LoadResult) -> LoadResult:
        return LoadResult(self.created + other.created, self.updated + other.updated)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _upsert(
    model: type[models.Model], key: tuple[str, ...], rows: list[dict[str, Any]], existing_qs: models.QuerySet[Any]
) -> LoadResult:
    """Create rows whose key is missing from ``existing_qs`` and update those whose other values differ."""
    if not rows:
        return LoadResult()
    fields = [f for f in rows[0] if f not in key]
    existing = {tuple(r[k] for k in key): r for r in existing_qs.values("pk", *key, *fields)}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for row in rows:
        old = existing.get(tuple(row[k] for k in key))
        if old is None:
            to_create.append(model(**row))
        elif any(old[f] != row[f] for f in fields):
            to_update.append(model(pk=old["pk"], **row))
    model._default_manager.bulk_create(to_create, batch_size=1000)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=1000)
    return LoadResult(len(to_create), len(to_update))


def _audit_load(what: str, result: LoadResult, source: str) -> None:
    if result.changed:
        audit.record(
            None, "load_reference", object_type=what, object_id="*", actor_label=LOADER_LABEL,
            after={"created": result.created, "updated": result.updated, "source": source},
        )


# --- Administrative units --------------------------------------------------------------------------------


def _divisions() -> list[dict[str, Any]]:
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        divisions: list[dict[str, Any]] = json.load(fh)
    return divisions


@transaction.atomic
def load_admin_areas() -> LoadResult:
    """The 34 provinces (2-digit codes) and 3,321 communes (5-digit) in force from 01/07/2025."""
    source = dataset_version()
    divisions = _divisions()
    common = {"valid_from": data.AREAS_VALID_FROM, "valid_to": None, "source": source, "successor_id": None}
    provinces = [
        {"level": AdminArea.Level.PROVINCE, "code": f"{p['code']:02d}", "name": p["name"],
         "division_type": p["division_type"], "parent_id": None, **common}
        for p in divisions
    ]
    province_codes = [p["code"] for p in provinces]
    result = _upsert(AdminArea, ("level", "code"), provinces,
                     AdminArea.objects.filter(level=AdminArea.Level.PROVINCE, code__in=province_codes))
    province_ids = dict(
        AdminArea.objects.filter(level=AdminArea.Level.PROVINCE, code__in=province_codes).values_list("code", "pk")
    )
    communes = [
        {"level": AdminArea.Level.COMMUNE, "code": f"{w['code']:05d}", "name": w["name"],
         "division_type": w["division_type"], "parent_id": province_ids[f"{p['code']:02d}"], **common}
        for p in divisions
        for w in p["wards"]
    ]
    result += _upsert(AdminArea, ("level", "code"), communes, AdminArea.objects.filter(level=AdminArea.Level.COMMUNE))
    _audit_load("adminarea", result, source)
    return result


@transaction.atomic
def load_pre_2025_provinces() -> LoadResult:
    """The 63 provinces before 01/07/2025 (3-digit personal-ID codes), each linked to its 2025 successor."""
    unknown = sorted(set(PRE_2025_PROVINCES) ^ set(data.PRE_2025_SUCCESSOR))
    if unknown:
        raise ValueError(f"Mã tỉnh cũ không khớp giữa PRE_2025_PROVINCES và bảng sáp nhập: {', '.join(unknown)}")
    successors = dict(
        AdminArea.objects.filter(
            level=AdminArea.Level.PROVINCE, code__in=set(data.PRE_2025_SUCCESSOR.values())
        ).values_list("code", "pk")
    )
    if len(successors) != len(set(data.PRE_2025_SUCCESSOR.values())):
        raise ReferenceDataMissing("Chưa có 34 tỉnh mới: nạp đơn vị hành chính (load_admin_areas) trước.")
    rows = [
        {"level": AdminArea.Level.PROVINCE, "code": code, "name": name,
         "division_type": "thành phố trung ương" if code in data.PRE_2025_CITIES else "tỉnh",
         "parent_id": None, "valid_from": None, "valid_to": data.PRE_2025_VALID_TO,
         "source": data.PRE_2025_SOURCE, "successor_id": successors[data.PRE_2025_SUCCESSOR[code]]}
        for code, name in sorted(PRE_2025_PROVINCES.items())
    ]
    result = _upsert(AdminArea, ("level", "code"), rows,
                     AdminArea.objects.filter(level=AdminArea.Level.PROVINCE, code__in=list(PRE_2025_PROVINCES)))
    _audit_load("adminarea", result, data.PRE_2025_SOURCE)
    return result


# --- Organisation tree -----------------------------------------------------------------------------------

EVERYTHING = Scope(paths=(), everything=True)


def _fill_missing_paths(parent: OrgUnit) -> None:
    """Give every child of ``parent`` still without a path ``parent.path + path_segment(pk)``: one UPDATE."""
    OrgUnit.objects.filter(parent=parent, path="").update(
        path=Concat(
            Value(parent.path),
            LPad(Cast("pk", output_field=CharField()), PATH_SEGMENT_WIDTH, Value("0")),
            Value("."),
            output_field=CharField(),
        ),
        depth=parent.depth + 1,
    )


def nation_root() -> OrgUnit:
    """The root of the tree (kind NATION, "Chính phủ nước CHXHCN Việt Nam"), created on first use."""
    root = OrgUnit.objects.filter(kind=OrgUnit.Kind.NATION, parent__isnull=True).order_by("pk").first()
    if root is None:
        root = create_unit(None, EVERYTHING, name=data.NATION_NAME, kind=OrgUnit.Kind.NATION, parent=None,
                           source=LOADER_LABEL)
    return root


@transaction.atomic
def load_central_agencies() -> LoadResult:
    """The 14 ministries, 3 ministerial-level agencies and 5 Government agencies under the root."""
    root = nation_root()
    rows = [
        {"parent_id": root.pk, "kind": a.kind, "name": a.name, "agency_code": a.agency_code,
         "valid_from": data.CENTRAL_VALID_FROM, "valid_to": None, "legal_basis": data.CENTRAL_LEGAL_BASIS,
         "source": "regulations.md §6.3"}
        for a in data.CENTRAL_AGENCIES
    ]
    result = _upsert(OrgUnit, ("parent_id", "kind", "name"), rows, OrgUnit.objects.filter(parent=root))
    _fill_missing_paths(root)
    _audit_load("orgunit", result, data.CENTRAL_LEGAL_BASIS)
    return result


def _government_name(division_type: str, name: str) -> str:
    """ "Ủy ban nhân dân tỉnh Cao Bằng", "… thành phố Hà Nội", "… phường Hoàn Kiếm", "… đặc khu Côn Đảo"."""
    for prefix in ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Đặc khu "):
        if name.startswith(prefix):
            return f"Ủy ban nhân dân {prefix.lower()}{name[len(prefix):]}"
    return f"Ủy ban nhân dân {division_type} {name}"


@transaction.atomic
def create_province_tree(province_code: str, *, with_communes: bool = True) -> OrgUnit:
    """The OrgUnit of a province's government under the root, with its communes' governments below it.

    Idempotent: units already there (by kind and code) are kept. Set-based: the communes are one
    ``bulk_create`` and their paths one UPDATE. Needs the administrative units loaded.
    """
    code = province_code.strip().zfill(2)
    area = AdminArea.objects.filter(level=AdminArea.Level.PROVINCE, code=code, valid_to__isnull=True).first()
    if area is None:
        raise ReferenceDataMissing(f"Không có tỉnh mã {code!r} (chạy `congvu load_reference` trước).")
    province = OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, code=code).first()
    if province is None:
        province = create_unit(
            None, EVERYTHING, name=_government_name(area.division_type, area.name), kind=OrgUnit.Kind.PROVINCE,
            parent=nation_root(), code=code, valid_from=data.AREAS_VALID_FROM, legal_basis=DECISION_19,
            area_id=area.pk, source=area.source,
        )
    if with_communes:
        created = _create_commune_units(province, area)
        if created:
            audit.record(None, "create", province, actor_label=LOADER_LABEL, org_path=province.path,
                         after={"communes_created": created}, reason="create_province_tree")
    return province


def _create_commune_units(province: OrgUnit, area: AdminArea) -> int:
    communes = list(AdminArea.objects.filter(parent=area, level=AdminArea.Level.COMMUNE).order_by("code"))
    present = set(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE, code__in=[c.code for c in communes])
        .values_list("code", flat=True)
    )
    new = [
        OrgUnit(name=_government_name(c.division_type, c.name), kind=OrgUnit.Kind.COMMUNE, code=c.code,
                parent=province, area=c, valid_from=data.AREAS_VALID_FROM, legal_basis=DECISION_19, source=c.source)
        for c in communes
        if c.code not in present
    ]
    OrgUnit.objects.bulk_create(new, batch_size=1000)
    _fill_missing_paths(province)
    return len(new)


# --- Salary and allowances -------------------------------------------------------------------------------


@transaction.atomic
def load_salary_tables() -> LoadResult:
    """Salary groups A3.1 … C3 with every step's coefficient (Decree 204/2004) and the common ranks."""
    groups = [{"code": g.code, "name": g.name, "legal_basis": g.legal_basis, "notes": g.notes}
              for g in data.SALARY_GROUPS]
    result = _upsert(SalaryGroup, ("code",), groups, SalaryGroup.objects.all())
    group_ids = dict(SalaryGroup.objects.values_list("code", "pk"))
    steps = [
        {"group_id": group_ids[g.code], "step": n, "valid_from": data.SALARY_VALID_FROM,
         "coefficient": Decimal(c), "valid_to": None}
        for g in data.SALARY_GROUPS
        for n, c in enumerate(g.coefficients, start=1)
    ]
    result += _upsert(SalaryStep, ("group_id", "step", "valid_from"), steps, SalaryStep.objects.all())
    ranks = [{"code": r.code, "name": r.name, "salary_group_id": group_ids[r.group],
              "months_per_step": r.months_per_step, "legal_basis": data.RANK_LEGAL_BASIS} for r in data.RANKS]
    result += _upsert(Rank, ("code",), ranks, Rank.objects.all())
    _audit_load("salarygroup", result, data.SALARY_LEGAL_BASIS)
    return result


@transaction.atomic
def load_base_salaries() -> LoadResult:
    """Base salary history: 1,490,000 (2019), 1,800,000 (2023), 2,340,000 (from 01/07/2024)."""
    rows = [{"valid_from": day, "amount": amount, "legal_basis": basis} for day, amount, basis in data.BASE_SALARIES]
    result = _upsert(BaseSalary, ("valid_from",), rows, BaseSalary.objects.all())
    _audit_load("basesalary", result, "Nghị định 38/2019, 24/2023, 73/2024")
    return result


@transaction.atomic
def load_allowance_types() -> LoadResult:
    """Percentage allowances (phụ cấp công vụ 25 %, thâm niên vượt khung, kiêm nhiệm)."""
    rows = [{"code": a.code, "name": a.name, "default_pct": a.default_pct, "legal_basis": a.legal_basis,
             "notes": a.notes} for a in data.ALLOWANCES]
    result = _upsert(AllowanceType, ("code",), rows, AllowanceType.objects.all())
    _audit_load("allowancetype", result, "Nghị định 34/2012, 204/2004")
    return result


def counts() -> dict[str, int]:
    """How many reference rows the database holds, by kind."""
    province = AdminArea.objects.filter(level=AdminArea.Level.PROVINCE)
    return {
        "provinces": province.filter(valid_to__isnull=True).count(),
        "communes": AdminArea.objects.filter(level=AdminArea.Level.COMMUNE).count(),
        "pre_2025_provinces": province.filter(valid_to=data.PRE_2025_VALID_TO).count(),
        "central_agencies": OrgUnit.objects.filter(
            kind__in=[OrgUnit.Kind.MINISTRY, OrgUnit.Kind.MINISTERIAL_AGENCY, OrgUnit.Kind.GOVERNMENT_AGENCY],
            parent__kind=OrgUnit.Kind.NATION,
        ).count(),
        "salary_groups": SalaryGroup.objects.count(),
        "salary_steps": SalaryStep.objects.count(),
        "ranks": Rank.objects.count(),
        "base_salaries": BaseSalary.objects.count(),
        "allowance_types": AllowanceType.objects.count(),
    }


LOADERS = (
    ("admin_areas", load_admin_areas),
    ("pre_2025_provinces", load_pre_2025_provinces),
    ("central_agencies", load_central_agencies),
    ("salary_tables", load_salary_tables),
    ("base_salaries", load_base_salaries),
    ("allowance_types", load_allowance_types),
)


class Writer(Protocol):
    def write(self, msg: str) -> Any: ...


def load_all(verbosity: int = 0, *, out: Writer | None = None) -> dict[str, int]:
    """Run every loader (each in its own transaction); return the row counts plus "created" and "updated"."""
    total = LoadResult()
    for name, loader in LOADERS:
        result = loader()
        total += result
        if verbosity >= 2 and out is not None:
            out.write(f"{name}: +{result.created} mới, {result.updated} cập nhật\n")
    return {**counts(), "created": total.created, "updated": total.updated}
