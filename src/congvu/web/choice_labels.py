"""The models' choice labels, which are Vietnamese (the source language), marked here so that the English
catalogue carries them. Pages pass them through gettext at display time (the ``tr`` template filter,
:func:`translated_choices` for forms); a label missing from the catalogue simply shows in Vietnamese.
tests/integration/test_pages_i18n.py checks that this list covers every model choice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

LABELS = (
    # Sex, Category, Role
    gettext_noop("Nam"), gettext_noop("Nữ"),
    gettext_noop("Cán bộ"), gettext_noop("Công chức"), gettext_noop("Viên chức"), gettext_noop("Người lao động"),
    gettext_noop("Lãnh đạo phòng"), gettext_noop("Thủ trưởng"), gettext_noop("Tổ chức cán bộ"),
    gettext_noop("Thanh tra (chỉ xem)"), gettext_noop("Quản trị"),
    # EducationLevel, PoliticalTheoryLevel
    gettext_noop("Trung học phổ thông"), gettext_noop("Trung cấp"), gettext_noop("Cao đẳng"), gettext_noop("Đại học"),
    gettext_noop("Thạc sĩ"), gettext_noop("Tiến sĩ"), gettext_noop("Sơ cấp"), gettext_noop("Cao cấp"),
    gettext_noop("Cử nhân"),
    # Discipline.Form, Leave.Kind
    gettext_noop("Khiển trách"), gettext_noop("Cảnh cáo"), gettext_noop("Giáng chức"), gettext_noop("Cách chức"),
    gettext_noop("Buộc thôi việc"), gettext_noop("Ốm đau"), gettext_noop("Thai sản"), gettext_noop("Không lương"),
    # OrgUnit.Kind, JobPosition.Group
    gettext_noop("Cấp quốc gia"), gettext_noop("Bộ"), gettext_noop("Cơ quan ngang bộ"),
    gettext_noop("Cơ quan thuộc Chính phủ"), gettext_noop("Tỉnh/thành phố"), gettext_noop("Sở và tương đương"),
    gettext_noop("Tổng cục/Cục/Vụ"), gettext_noop("Phòng"), gettext_noop("Xã/phường/đặc khu"),
    gettext_noop("Đơn vị sự nghiệp công lập"), gettext_noop("Lãnh đạo, quản lý"),
    gettext_noop("Chuyên môn, nghiệp vụ"), gettext_noop("Hỗ trợ, phục vụ"),
)


def translated_choices(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str | Promise]]:
    """Model choices with labels translated when the form is rendered (not when it is defined)."""
    return [(value, gettext_lazy(label) if label != "—" else label) for value, label in choices]
