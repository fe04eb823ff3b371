"""What is wrong with a register's personal ID, as SQL (Circular 59/2021/TT-BCA, Art 4).

The same checks as :func:`congvu.rules.personal_id.check_personal_id` (a unit test runs both on the same
values): 12 digits and nothing else, a pre-2025 province prefix, the 4th digit agreeing with the recorded
sex and century of birth, digits 5–6 with the year of birth. When the value is not 12 digits nothing else
is checked. Two values the rules module does not have: ``missing`` (an empty cell) and, from the matching
stages, ``belongs_to_other_person`` and ``not_in_population`` (:data:`ID_PROBLEMS`).
"""

from __future__ import annotations

from congvu.matching.sql import PROVINCE_LIST, Dialect

__all__ = ["ID_PROBLEMS", "format_problem_sql", "structure_problems_sql"]

#: Every id_problem value, in the order they are listed in a cell.
ID_PROBLEMS = (
    "missing",
    "not_12_digits",
    "bad_province_prefix",
    "sex_century_digit",
    "birth_year_digits",
    "belongs_to_other_person",
    "not_in_population",
)

_TWELVE = "^[0-9]{12}$"


def format_problem_sql(d: Dialect, raw: str) -> str:
    """'missing', 'not_12_digits' or NULL for a trimmed raw value."""
    return f"CASE WHEN {raw} = '' THEN 'missing' WHEN NOT {d.matches(raw, _TWELVE)} THEN 'not_12_digits' END"


def structure_problems_sql(d: Dialect, raw: str, sex: str, yob: str) -> str:
    """Semicolon-separated structural problems of a 12-digit value ('' when none or not 12 digits)."""
    digit = f"try_cast(substring({raw}, 4, 1) AS INT)"
    id_sex = f"(CASE WHEN {digit} % 2 = 1 THEN 'F' ELSE 'M' END)"
    century = f"(1900 + 100 * CAST(floor({digit} / 2) AS INT))"
    fourth_ok = (
        f"(({sex}) IS NULL OR ({sex}) = {id_sex}) AND "
        f"(({yob}) IS NULL OR ({yob}) BETWEEN {century} AND {century} + 99)"
    )
    twelve = d.matches(raw, _TWELVE)
    return (
        "concat_ws(';', "
        f"CASE WHEN {twelve} AND substring({raw}, 1, 3) NOT IN ({PROVINCE_LIST}) THEN 'bad_province_prefix' END, "
        f"CASE WHEN {twelve} AND (({sex}) IS NOT NULL OR ({yob}) IS NOT NULL) AND NOT ({fourth_ok}) "
        "THEN 'sex_century_digit' END, "
        f"CASE WHEN {twelve} AND ({yob}) IS NOT NULL AND substring({raw}, 5, 2) <> "
        f"lpad(CAST(({yob}) % 100 AS STRING), 2, '0') THEN 'birth_year_digits' END)"
    )
