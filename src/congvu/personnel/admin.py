"""Django admin for people: read-only, and without the sensitive fields.

Personnel records change only through ``congvu.personnel.services`` (audit, optimistic lock, scope), and
sensitive data (ethnicity, religion, party membership) is shown only where the access policy allows it,
so the admin lists identification and employment facts and nothing else.
"""

from __future__ import annotations

from django.contrib import admin

from congvu.org.admin import ReadOnlyAdmin
from congvu.personnel.models import Discipline, Employment, Leave, Person, Reward


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "personal_id", "birth_year", "sex", "category", "current_unit")
    list_filter = ("category", "sex")
    search_fields = ("personal_id", "search_name")
    list_select_related = ("current_unit",)
    fields = (
        "personal_id", "old_id", "family_name", "middle_name", "given_name", "birth_date", "birth_year", "sex",
        "category", "education_level", "current_unit", "org_path", "version", "created_at", "updated_at",
    )
    list_per_page = 50


@admin.register(Employment)
class EmploymentAdmin(ReadOnlyAdmin):
    list_display = ("person", "unit", "position", "title", "rank", "salary_step", "start_date", "end_date")
    list_select_related = ("person", "unit", "position", "rank")
    search_fields = ("person__personal_id", "person__search_name", "decision_number")
    date_hierarchy = "start_date"


@admin.register(Discipline)
class DisciplineAdmin(ReadOnlyAdmin):
    list_display = ("person", "form", "decided_on", "effective_from", "effective_to", "decision_number")
    list_filter = ("form",)
    list_select_related = ("person",)


@admin.register(Reward)
class RewardAdmin(ReadOnlyAdmin):
    list_display = ("person", "title", "level", "decided_on", "decision_number")
    list_select_related = ("person",)


@admin.register(Leave)
class LeaveAdmin(ReadOnlyAdmin):
    list_display = ("person", "kind", "start_date", "end_date")
    list_filter = ("kind",)
    exclude = ("note",)  # free text that may describe health
    list_select_related = ("person",)
