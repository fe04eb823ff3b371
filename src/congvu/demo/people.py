"""The stream of synthetic people: plain rows, no database.

:func:`people_stream` walks the planned job positions (:class:`Slot`) and yields one
:class:`PersonDraft` per person placed, with their employment spells, discipline, rewards and leave.
Writers turn the drafts into rows: the demo with ``bulk_create`` (:mod:`congvu.demo.generate`), the
2.5-million-row benchmark with PostgreSQL ``COPY`` (``bench/load_people.py``). Everything is drawn from
one seeded :class:`random.Random`, so the same seed and plan give the same people.

Careers follow the rules the application checks later:

- first appointment at 21–28 (19–24 for support staff), never in the future;
- a salary step every ``months_per_step`` months (36 for A0 and above, 24 for B) from the day the
  current rank was reached, capped at the group's last step; 3 years at the last step give the 5 %
  seniority allowance (vượt khung), then 1 % a year;
- ranks only go up: Chuyên viên → Chuyên viên chính (9–13 years after the first appointment) →
  Chuyên viên cao cấp (6–10 years later); each promotion opens a new spell;
- the province's units exist from 01/07/2025 (the merger), so everyone appointed before then has a
  spell that ends on 30/06/2025 in a unit of a pre-merger province, and a spell from 01/07/2025 with the
  arrangement decision; earlier spells always end the day before the next starts (1–4 spells, one current).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from congvu.demo.names import NameGenerator, WeightedChoice
from congvu.rules.personal_id import make_personal_id
from congvu.text import fold, person_sort_key

MERGER_DAY = dt.date(2025, 7, 1)
#: The day the synthetic data describes: the demo's "today". Fixed so a seed always gives the same data.
AS_OF = dt.date(2026, 1, 1)
PUBLIC_SERVICE_ALLOWANCE = Decimal("25")  # phụ cấp công vụ, Decree 34/2012
# The serial digits of personal IDs are a bijection of a per-(prefix, sex, year) counter modulo 10⁶:
# unique without remembering the IDs already issued, and not in visible order.
_SERIAL_MULTIPLIER = 7919  # prime, coprime with 10⁶
_SERIAL_SPACE = 1_000_000

# 9-digit CMND prefixes of the old provinces the demo province was merged from (others get a generic one).
OLD_ID_PREFIX = {"035": "168", "036": "162", "037": "164", "034": "151", "038": "172", "001": "012",
                 "030": "142", "033": "145", "031": "031", "022": "100", "040": "186"}

ETHNICITY = WeightedChoice({"Kinh": 90.0, "Mường": 6.0, "Tày": 1.2, "Thái": 1.0, "Nùng": 0.6, "Dao": 0.6,
                            "Hoa": 0.6})
RELIGION = WeightedChoice({"Không": 78.0, "Công giáo": 15.0, "Phật giáo": 6.0, "Tin lành": 1.0})
EDUCATION = {
    "leader": WeightedChoice({"master": 60.0, "bachelor": 35.0, "doctor": 5.0}),
    "professional": WeightedChoice({"bachelor": 70.0, "master": 25.0, "doctor": 1.5, "college": 3.5}),
    "officer": WeightedChoice({"college": 60.0, "intermediate": 30.0, "bachelor": 10.0}),
    "support": WeightedChoice({"upper_secondary": 40.0, "intermediate": 40.0, "college": 20.0}),
}
THEORY = {
    "head": WeightedChoice({"advanced": 85.0, "bachelor": 15.0}),
    "deputy": WeightedChoice({"advanced": 70.0, "intermediate": 30.0}),
    "senior": WeightedChoice({"intermediate": 70.0, "advanced": 20.0, "elementary": 10.0}),
    "professional": WeightedChoice({"": 40.0, "elementary": 40.0, "intermediate": 20.0}),
    "support": WeightedChoice({"": 90.0, "elementary": 10.0}),
}
REWARDS = (
    ("Giấy khen", "Thủ trưởng cơ quan", 50.0),
    ("Lao động tiên tiến", "Cơ sở", 25.0),
    ("Chiến sĩ thi đua cơ sở", "Cơ sở", 12.0),
    ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "Tỉnh", 10.0),
    ("Bằng khen của Bộ trưởng Bộ Nội vụ", "Bộ", 2.0),
    ("Bằng khen của Thủ tướng Chính phủ", "Nhà nước", 1.0),
)
DISCIPLINE_FORMS = WeightedChoice({"reprimand": 65.0, "warning": 30.0, "demotion": 5.0})
DISCIPLINE_REASONS = (
    "Vi phạm quy định về thời giờ làm việc",
    "Chậm thực hiện nhiệm vụ được giao, gây ảnh hưởng đến kết quả chung",
    "Vi phạm quy chế làm việc của cơ quan",
    "Thiếu trách nhiệm trong thẩm định hồ sơ",
)
#: The rank held before a promotion to this one (Chuyên viên → chính → cao cấp).
RANK_BELOW = {"01.001": "01.002", "01.002": "01.003"}
LEAVE_NOTES = {"sick": "Nghỉ ốm có giấy xác nhận", "maternity": "Nghỉ thai sản theo Luật BHXH"}


@dataclass(frozen=True)
class RankInfo:
    id: int
    code: str
    max_step: int
    months_per_step: int


@dataclass(frozen=True)
class LegacyUnits:
    """Units of a pre-merger province (all ended 30/06/2025) where earlier spells took place."""

    province_unit_id: int
    department_ids: tuple[int, ...]


@dataclass(frozen=True)
class ProvincePlan:
    """What the stream needs to know about one (2025) province."""

    code: str
    id_prefixes: WeightedChoice  # birth-registration province codes (3 digits)
    legacy: dict[str, LegacyUnits]  # pre-merger province code → its units
    legacy_choice: WeightedChoice  # which pre-merger province someone came from, when not their birthplace


@dataclass(frozen=True)
class Slot:
    """A job position and how many people the demo places in it."""

    position_id: int
    unit_id: int
    unit_path: str
    province: int  # index into the list of ProvincePlan
    key: str  # head, deputy, senior, expert, clerk, driver
    group: str
    title: str
    category: str
    ranks: WeightedChoice  # rank code ("" = no rank, contract staff)
    allowance: Decimal
    birth_years: tuple[int, int]
    placed: int
    in_commune: bool
    decision_suffix: str  # "QĐ-UBND", "QĐ-SNV"


@dataclass(slots=True)
class SpellDraft:
    unit_id: int
    position_id: int | None
    title: str
    rank_id: int | None
    salary_step: int | None
    step_since: dt.date | None
    position_allowance: Decimal
    seniority_pct: Decimal
    percent_allowances: Decimal
    start_date: dt.date
    end_date: dt.date | None
    decision_number: str
    end_reason: str


@dataclass(slots=True)
class PersonDraft:
    personal_id: str
    old_id: str
    family_name: str
    middle_name: str
    given_name: str
    search_name: str
    sort_key: str
    birth_date: dt.date
    birth_year: int
    sex: str
    ethnicity: str
    religion: str
    party_member: bool
    party_joined_on: dt.date | None
    birthplace_code: str  # 3-digit pre-2025 province code (the ID prefix)
    hometown_code: str
    education_level: str
    political_theory_level: str
    category: str
    current_unit_id: int
    org_path: str
    insured_months: int
    spells: list[SpellDraft] = field(default_factory=list)
    disciplines: list[tuple[str, dt.date, dt.date, dt.date, str, str]] = field(default_factory=list)
    rewards: list[tuple[str, str, dt.date, str]] = field(default_factory=list)
    leaves: list[tuple[str, dt.date, dt.date, str]] = field(default_factory=list)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end < start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def step_on(rank: RankInfo, rank_start: dt.date, day: dt.date) -> tuple[int, dt.date, Decimal]:
    """Salary step, the date it was reached and the vượt khung % on ``day`` for a rank held since ``rank_start``."""
    step = min(rank.max_step, 1 + months_between(rank_start, day) // rank.months_per_step)
    since = add_months(rank_start, (step - 1) * rank.months_per_step)
    seniority = Decimal(0)
    if step == rank.max_step:
        extra = months_between(since, day) - 36
        if extra >= 0:
            seniority = Decimal(5 + extra // 12)
    return step, since, seniority


@lru_cache(maxsize=65_536)
def _name_keys(family: str, middle: str, given: str) -> tuple[str, str]:
    full = " ".join(p for p in (family, middle, given) if p)
    return fold(full), person_sort_key(family, middle, given)


class _Ids:
    """Unique personal IDs (and old CMND numbers) in a deterministic, non-sequential order."""

    def __init__(self) -> None:
        self.counters: dict[tuple[str, str, int], int] = {}
        self.old_counters: dict[str, int] = {}

    def personal_id(self, prefix: str, sex: str, birth_year: int) -> str:
        key = (prefix, sex, birth_year)
        n = self.counters.get(key, 0)
        if n >= _SERIAL_SPACE:
            raise ValueError(f"more than {_SERIAL_SPACE} people for prefix {prefix}, sex {sex}, year {birth_year}")
        self.counters[key] = n + 1
        offset = (int(prefix) * 1009 + birth_year * 31 + (sex == "F") * 500_000) % _SERIAL_SPACE
        return make_personal_id(prefix, sex, birth_year, (n * _SERIAL_MULTIPLIER + offset) % _SERIAL_SPACE)

    def old_id(self, prefix: str) -> str:
        head = OLD_ID_PREFIX.get(prefix, "1" + prefix[1:])
        n = self.old_counters.get(head, 0)
        self.old_counters[head] = n + 1
        return f"{head}{(n * _SERIAL_MULTIPLIER + 12345) % _SERIAL_SPACE:06d}"


class PeopleStream:
    """Draws people for a plan. One instance per build; call :meth:`people` once."""

    def __init__(self, slots: Sequence[Slot], provinces: Sequence[ProvincePlan], ranks: dict[str, RankInfo],
                 *, seed: int, as_of: dt.date = AS_OF):
        self.slots = slots
        self.provinces = provinces
        self.ranks = ranks
        self.as_of = as_of
        self.rng = random.Random(seed)
        self.names = NameGenerator(self.rng)
        self.ids = _Ids()

    def people(self) -> Iterator[PersonDraft]:
        for slot in self.slots:
            for _ in range(slot.placed):
                yield self.person(slot)

    # ---- one person ----------------------------------------------------------------------------------

    def _day_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        if span <= 0:
            return start
        return start + dt.timedelta(days=int(self.rng.random() * (span + 1)))  # randint is 3x slower

    def person(self, slot: Slot) -> PersonDraft:
        rng = self.rng
        province = self.provinces[slot.province]
        sex = "M" if rng.random() < 0.5 else "F"
        lo, hi = slot.birth_years
        if sex == "F":
            lo = max(lo, 1969)  # women retire at 57 in 2026 (Decree 135/2020)
        birth_year = rng.randint(lo, max(lo, hi))
        birth_date = self._day_between(dt.date(birth_year, 1, 1), dt.date(birth_year, 12, 31))
        ethnicity = ETHNICITY.draw(rng)
        name = self.names.name(sex, birth_year, ethnicity)
        search_name, sort_key = _name_keys(name.family, name.middle, name.given)
        prefix = province.id_prefixes.draw(rng)
        rank_code = slot.ranks.draw(rng)
        support = slot.group == "support"
        first_age = rng.randint(19, 24) if support else rng.randint(21, 28)
        first = self._day_between(add_months(birth_date, 12 * first_age), add_months(birth_date, 12 * first_age + 11))
        first = min(first, self.as_of - dt.timedelta(days=30))
        spells = self._spells(slot, province, prefix, rank_code, first)
        leader = slot.group == "leadership"
        education_key = "leader" if leader else "officer" if rank_code == "01.004" else "support" if support else "professional"
        theory_key = slot.key if slot.key in ("head", "deputy", "senior") else "support" if support else "professional"
        party = leader or rng.random() < (0.15 if support else 0.55)
        draft = PersonDraft(
            personal_id=self.ids.personal_id(prefix, sex, birth_year),
            old_id=self.ids.old_id(prefix) if birth_year <= 1998 and rng.random() < 0.5 else "",
            family_name=name.family, middle_name=name.middle, given_name=name.given,
            search_name=search_name, sort_key=sort_key, birth_date=birth_date, birth_year=birth_year, sex=sex,
            ethnicity=ethnicity, religion=RELIGION.draw(rng), party_member=party,
            party_joined_on=self._day_between(first + dt.timedelta(days=365), self.as_of - dt.timedelta(days=90))
            if party else None,
            birthplace_code=prefix,
            hometown_code=prefix if rng.random() < 0.85 else province.id_prefixes.draw(rng),
            education_level=EDUCATION[education_key].draw(rng),
            political_theory_level=THEORY[theory_key].draw(rng),
            category=slot.category, current_unit_id=slot.unit_id, org_path=slot.unit_path,
            insured_months=months_between(first, self.as_of), spells=spells,
        )
        self._events(draft, first)
        return draft

    def _rank_history(self, rank_code: str, first: dt.date) -> list[tuple[dt.date, str]]:
        """(date, rank) of the first appointment and each promotion, oldest first.

        Chuyên viên chính comes 9–13 years after the first appointment, Chuyên viên cao cấp 6–10 years
        after that; a promotion that would fall after the demo's "today" has not happened yet.
        """
        path = [rank_code]
        while path[0] in RANK_BELOW:
            path.insert(0, RANK_BELOW[path[0]])
        history = [(first, path[0])]
        day = first
        for code in path[1:]:
            years = (9, 13) if code == "01.002" else (6, 10)
            day = add_months(day, self.rng.randint(12 * years[0], 12 * years[1]))
            if day > self.as_of - dt.timedelta(days=30):
                break
            history.append((day, code))
        return history

    def _spells(self, slot: Slot, province: ProvincePlan, prefix: str, rank_code: str, first: dt.date
                ) -> list[SpellDraft]:
        """Earlier spells (pre-merger units until 30/06/2025, then the current unit) and the current one.

        A new spell starts at each promotion (a new decision), on 01/07/2025 (the merger) and, for some
        people, on a transfer between two pre-merger departments.
        """
        rng = self.rng
        history = self._rank_history(rank_code, first)
        starts = {day for day, _ in history}
        if first < MERGER_DAY:
            starts.add(MERGER_DAY)
            if len(history) == 1 and (MERGER_DAY - first).days > 4 * 365 and rng.random() < 0.6:
                starts.add(self._day_between(add_months(first, 24), add_months(MERGER_DAY, -24)))
        boundaries = sorted(starts)
        legacy = province.legacy.get(prefix) or province.legacy[province.legacy_choice.draw(rng)]
        legacy_unit = legacy.province_unit_id if slot.in_commune or not legacy.department_ids else (
            rng.choice(legacy.department_ids))
        spells: list[SpellDraft] = []
        for i, start in enumerate(boundaries):
            end = boundaries[i + 1] - dt.timedelta(days=1) if i + 1 < len(boundaries) else None
            rank_start, code = [h for h in history if h[0] <= start][-1]  # history is oldest first
            rank = self.ranks.get(code) if code else None
            step: int | None = None
            since: dt.date | None = None
            seniority = Decimal(0)
            if rank is not None:
                step, since, seniority = step_on(rank, rank_start, end or self.as_of)
            if start >= MERGER_DAY or first >= MERGER_DAY:
                unit_id, position_id, title, allowance = slot.unit_id, slot.position_id, slot.title, slot.allowance
            else:
                if i > 0 and boundaries[i] not in {h[0] for h in history}:
                    legacy_unit = rng.choice(legacy.department_ids) if not slot.in_commune and legacy.department_ids \
                        else legacy_unit
                unit_id, position_id, allowance = legacy_unit, None, Decimal(0)
                title = "Công chức cấp xã" if slot.in_commune else ""
            spells.append(SpellDraft(
                unit_id=unit_id, position_id=position_id, title=title,
                rank_id=rank.id if rank is not None else None, salary_step=step, step_since=since,
                position_allowance=allowance, seniority_pct=seniority,
                percent_allowances=PUBLIC_SERVICE_ALLOWANCE if slot.category != "contract" else Decimal(0),
                start_date=start, end_date=end,
                decision_number=f"{rng.randint(1, 3500)}/{slot.decision_suffix}",
                end_reason=self._end_reason(end, boundaries[i + 1] if end is not None else None, history),
            ))
        return spells

    @staticmethod
    def _end_reason(end: dt.date | None, next_start: dt.date | None, history: list[tuple[dt.date, str]]) -> str:
        if end is None:
            return ""
        if next_start in {day for day, _ in history}:
            return "Nâng ngạch"
        if next_start == MERGER_DAY:
            return "Sắp xếp tổ chức bộ máy (hợp nhất tỉnh)"
        return "Điều động"

    def _events(self, draft: PersonDraft, first: dt.date) -> None:
        """Discipline (~1 %), rewards (~35 %), sick and maternity leave in the last two years."""
        rng = self.rng
        as_of = self.as_of
        recent = max(first, as_of - dt.timedelta(days=3 * 365))
        if rng.random() < 0.01 and recent < as_of - dt.timedelta(days=30):
            form = DISCIPLINE_FORMS.draw(rng)
            decided = self._day_between(recent, as_of - dt.timedelta(days=30))
            months = 18 if form == "demotion" else 12  # Decree 112/2020 Art 6
            draft.disciplines.append((form, decided, decided, add_months(decided, months) - dt.timedelta(days=1),
                                      f"{rng.randint(1, 900)}/QĐ-KL", rng.choice(DISCIPLINE_REASONS)))
        if rng.random() < 0.35:
            for _ in range(rng.choice((1, 1, 2))):
                title, level, _weight = REWARDS[self._reward_index()]
                decided = self._day_between(add_months(first, 12), as_of - dt.timedelta(days=1))
                if decided < as_of:
                    draft.rewards.append((title, level, decided, f"{rng.randint(1, 4000)}/QĐ-KT"))
        window = max(first, as_of - dt.timedelta(days=730))
        if rng.random() < 0.06 and window < as_of - dt.timedelta(days=40):
            start = self._day_between(window, as_of - dt.timedelta(days=40))
            draft.leaves.append(("sick", start, start + dt.timedelta(days=rng.randint(3, 30)), LEAVE_NOTES["sick"]))
        age = as_of.year - draft.birth_year
        if draft.sex == "F" and 22 <= age <= 42 and rng.random() < 0.07 and window < as_of - dt.timedelta(days=200):
            start = self._day_between(window, as_of - dt.timedelta(days=200))
            draft.leaves.append(("maternity", start, add_months(start, 6) - dt.timedelta(days=1),
                                 LEAVE_NOTES["maternity"]))

    def _reward_index(self) -> int:
        weights = [w for _, _, w in REWARDS]
        return self.rng.choices(range(len(REWARDS)), weights=weights)[0]
