"""Template context shared by every page: the navigation for the user's roles.

Values are lazy so that pages which never show the navigation (admin, errors for anonymous users) pay
no query for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from congvu.access import access
from congvu.access.models import RoleAssignment
from congvu.access.policy import Right
from congvu.web import consequences, evaluation, evaluation_annual

# Pages under a person's record, so "Cán bộ, công chức" stays marked while the user is on them.
RECORD_PAGES = ("employment_add", "discipline_add", "reward_add", "leave_add")
# Annual classification and summary pages under "Xếp loại năm"; catalogue pages under "Danh mục sản phẩm".
ANNUAL_PAGES = ("annual_index", "annual_run", "annual_person", "summary")
CATALOGUE_PAGES = ("catalogue_index", "catalogue_list")
# Evaluation pages under "Đánh giá đơn vị" (a sheet, its lines and its explanation, the approval page).
EVALUATION_PAGES = ("eval_team", "eval_approve", "eval_approve_confirm", "eval_sheet", "eval_explain",
                    "eval_line_report", "eval_line_findings", "eval_line_remove")
# The consequence pages under "Sử dụng kết quả".
CONSEQUENCE_PAGES = ("cq_index", "cq_board", "cq_entry", "cq_cost")


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    names: tuple[str, ...]  # url names under this item, to mark it current
    active: bool = False


@dataclass(frozen=True)
class RoleLabel:
    role: str
    unit: str


def nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    current = request.resolver_match.url_name if request.resolver_match else ""
    items = [NavItem(_("Trang chủ"), reverse("home"), ("home",))]
    if not access.scope_for(user, Right.READ_PEOPLE).empty:
        items.append(NavItem(_("Cơ cấu tổ chức"), reverse("org_tree"), ("org_tree", "org_children", "unit_detail")))
        items.append(NavItem(_("Cán bộ, công chức"), reverse("people_list"), ("people_list", "person_detail", "person_edit", *RECORD_PAGES)))
    own = own_person_id(request)
    if own is not None:
        items.append(NavItem(_("Hồ sơ của tôi"), reverse("person_detail", args=[own]), ()))
    if own is not None and evaluation.has_own_sheet(user):
        items.append(NavItem(_("Đánh giá của tôi"), reverse("eval_my"), ("eval_my",)))
    if not access.scope_for(user, Right.READ_EVALUATIONS).empty:
        items.append(NavItem(_("Đánh giá đơn vị"), reverse("eval_team"), EVALUATION_PAGES))
    if not access.scope_for(user, Right.READ_EVALUATIONS).empty or evaluation_annual.has_own_result(user):
        items.append(NavItem(_("Xếp loại năm"), reverse("annual_index"), ANNUAL_PAGES))
    if not access.scope_for(user, Right.READ_EVALUATIONS).empty:
        items.append(NavItem(_("Danh mục sản phẩm"), reverse("catalogue_index"), CATALOGUE_PAGES))
    if consequences.may_read_any(user):
        items.append(NavItem(_("Sử dụng kết quả"), reverse("cq_index"), CONSEQUENCE_PAGES))
    if not access.write_scope(user).empty:
        items.append(NavItem(_("Nhập, xuất dữ liệu"), reverse("import_people"), ("import_people",)))
    if getattr(user, "is_staff", False):
        items.append(NavItem(_("Quản trị hệ thống"), reverse("admin:index"), ()))
    return [NavItem(i.label, i.url, i.names, current in i.names) for i in items]


def own_person_id(request: HttpRequest) -> int | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return access.people_visible(user).filter(user_id=user.pk).values_list("pk", flat=True).first()


def role_labels(request: HttpRequest) -> list[RoleLabel]:
    user = request.user
    if not user.is_authenticated:
        return []
    rows = RoleAssignment.objects.filter(user_id=user.pk).select_related("unit").order_by("unit__path", "role")
    labels = [RoleLabel(_(row.get_role_display()), row.unit.name) for row in rows]
    if getattr(user, "is_superuser", False):
        labels.insert(0, RoleLabel(_("Quản trị toàn quốc"), ""))
    return labels


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {
        "nav_items": SimpleLazyObject(lambda: nav_items(request)),
        "user_roles": SimpleLazyObject(lambda: role_labels(request)),
    }
