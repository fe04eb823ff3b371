"""SQL builders for the normalisation rules of :mod:`congvu.matching.normalise`, one per engine.

The pipeline's SQL is written once, in the subset DuckDB and Spark SQL share (CASE, COALESCE, ``||``,
``concat_ws``, ``levenshtein``, ``lpad``, ``substring``, ``regexp_extract``, ``try_cast``, window
functions), and asks a :class:`Dialect` for the few things the two spell differently: global regex
replacement, regex tests, 64-bit hashes, accent folding (DuckDB ``strip_accents``; Spark ``translate``)
and NFC (DuckDB ``nfc_normalize``; Spark a vectorised Python UDF running :func:`canon_name`).

Patterns avoid features the two regex engines (RE2, java.util.regex) disagree on: no look-around, no
``\\d`` (``[0-9]``), code points as ``\\x{...}``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from congvu.matching.normalise import TONE_MOVES
from congvu.rules.personal_id import PRE_2025_PROVINCES

__all__ = ["Dialect", "DuckDBDialect", "SparkDialect"]

# Whitespace as Python's ``str.split``/``re`` ``\s`` sees it, and the invisible characters ``nfc`` drops.
WHITESPACE = r"[\s\x{000B}\x{001C}-\x{001F}\x{0085}\x{00A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]+"
INVISIBLE = r"[\x{200B}\x{200C}\x{200D}\x{2060}\x{FEFF}]"
COMBINING = r"[\x{0300}-\x{036F}]"

VN_LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VN_BASE = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"

DMY = r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$"
YMD = r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})([ T].*)?$"
YEAR = r"^([0-9]{4})$"
MONTH_YEAR = r"^[0-9]{1,2}[/.-]([0-9]{4})$"
SERIAL = r"^([0-9]{5})([.]0+)?$"

PROVINCE_LIST = ", ".join(f"'{code}'" for code in sorted(PRE_2025_PROVINCES))


def tone_moves_by_replace(text: str) -> str:
    """:data:`~congvu.matching.normalise.TONE_MOVES` with plain ``replace`` (no regex: much faster).

    The text is padded with spaces so "syllable-final" is "followed by a space"; "qu" is hidden behind a
    control character while the ``uy`` moves run, because in "quý" the u belongs to the consonant.
    """
    padded = f"replace(' ' || {text} || ' ', 'qu', 'q' || chr(1))"
    for src, dst in TONE_MOVES:
        padded = f"replace({padded}, '{src} ', '{dst} ')"
    return f"trim(replace({padded}, 'q' || chr(1), 'qu'))"


class Dialect(ABC):
    """Expression builders. Every method takes and returns SQL text."""

    name: str

    @staticmethod
    def lit(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    @abstractmethod
    def regex(self, pattern: str) -> str:
        """A string literal holding ``pattern`` for this engine's regex functions."""

    @abstractmethod
    def re_replace(self, expr: str, pattern: str, replacement: str) -> str:
        """Replace every match; ``replacement`` refers to groups as ``\\1``."""

    @abstractmethod
    def matches(self, expr: str, pattern: str) -> str:
        """True when ``pattern`` matches somewhere in ``expr`` (anchor it for a full match)."""

    def re_extract(self, expr: str, pattern: str, group: int = 0) -> str:
        return f"regexp_extract({expr}, {self.regex(pattern)}, {group})"

    @abstractmethod
    def hash(self, *exprs: str) -> str:
        """A 64-bit hash of the values (used as a blocking key; collisions only add candidates)."""

    @abstractmethod
    def fold(self, expr: str) -> str:
        """:func:`congvu.matching.normalise.fold_name` ('' for an empty name)."""

    @abstractmethod
    def canon(self, expr: str) -> str:
        """:func:`congvu.matching.normalise.canon_name` ('' for an empty name)."""

    @abstractmethod
    def add_days(self, date_expr: str, days_expr: str) -> str: ...

    # --- built from the primitives above -----------------------------------------------------------

    def key(self, *exprs: str) -> str:
        """A hash of the values, NULL when any of them is NULL (so the row blocks with nothing)."""
        nulls = " OR ".join(f"({e}) IS NULL" for e in exprs)
        return f"CASE WHEN {nulls} THEN NULL ELSE {self.hash(*exprs)} END"

    def collapse_ws(self, expr: str) -> str:
        return f"trim({self.re_replace(expr, WHITESPACE, ' ')})"

    def digits(self, expr: str) -> str:
        return self.re_replace(f"coalesce({expr}, '')", "[^0-9]", "")

    def personal_id_key(self, digits: str) -> str:
        """:func:`~congvu.matching.normalise.personal_id_key` of an expression already reduced to digits."""
        padded = f"lpad({digits}, 12, '0')"
        return (
            f"CASE WHEN length({digits}) = 12 THEN {digits} "
            f"WHEN length({digits}) IN (10, 11) AND substring({padded}, 1, 3) IN ({PROVINCE_LIST}) "
            f"THEN {padded} END"
        )

    @staticmethod
    def old_id_key(digits: str) -> str:
        return f"CASE WHEN length({digits}) = 9 THEN {digits} WHEN length({digits}) = 8 THEN '0' || {digits} END"

    def _ymd(self, y: str, m: str, d: str) -> str:
        return f"try_cast({y} || '-' || lpad({m}, 2, '0') || '-' || lpad({d}, 2, '0') AS DATE)"

    def birth_date(self, s: str) -> str:
        """DATE of a trimmed birth-date text (NULL when only the year is known or it is unreadable)."""
        x = self.re_extract
        return (
            f"CASE WHEN {self.matches(s, DMY)} THEN {self._ymd(x(s, DMY, 3), x(s, DMY, 2), x(s, DMY, 1))} "
            f"WHEN {self.matches(s, YMD)} THEN {self._ymd(x(s, YMD, 1), x(s, YMD, 2), x(s, YMD, 3))} "
            f"WHEN {self.matches(s, SERIAL)} "
            f"THEN {self.add_days('DATE ' + self.lit('1899-12-30'), f'try_cast({x(s, SERIAL, 1)} AS INT)')} END"
        )

    def birth_year(self, s: str, dob: str) -> str:
        """Year of birth from the parsed DATE ``dob`` or a year-only text; NULL outside 1900–2100."""
        year = (
            f"CASE WHEN {dob} IS NOT NULL THEN year({dob}) "
            f"WHEN {self.matches(s, YEAR)} THEN try_cast({s} AS INT) "
            f"WHEN {self.matches(s, MONTH_YEAR)} THEN try_cast({self.re_extract(s, MONTH_YEAR, 1)} AS INT) END"
        )
        return f"CASE WHEN ({year}) BETWEEN 1900 AND 2100 THEN ({year}) END"

    def sex(self, expr: str) -> str:
        """'M', 'F', NULL for empty, '?' for a value that is neither."""
        k = f"replace({self.fold(f'coalesce({expr}, {chr(39)}{chr(39)})')}, ' ', '')"
        return (
            f"CASE WHEN {k} = '' THEN NULL WHEN {k} IN ('nam', 'm', 'male', '1') THEN 'M' "
            f"WHEN {k} IN ('nu', 'f', 'female', '2') THEN 'F' ELSE '?' END"
        )

    def place_key(self, expr: str) -> str:
        """The lookup key of a hometown: the digits of a code, or :func:`~congvu.matching.provinces.place_key`."""
        t = f"trim(coalesce({expr}, ''))"
        compact = self.re_replace(self.fold(self.re_replace(t, "^.*,", "")), "[^a-z0-9]", "")
        name_key = self.re_replace(compact, "^(tinh|thanhpho|tp)([a-z])", r"\2")
        return f"CASE WHEN {self.matches(t, '^[0-9]+$')} THEN {t} ELSE {name_key} END"

    def given(self, folded: str) -> str:
        return self.re_extract(folded, "[^ ]+$", 0)

    def family(self, folded: str) -> str:
        return f"CASE WHEN {folded} LIKE '% %' THEN {self.re_extract(folded, '^[^ ]+', 0)} ELSE '' END"

    def middle(self, folded: str) -> str:
        return self.re_extract(folded, "^[^ ]+ (.+) [^ ]+$", 1)


class DuckDBDialect(Dialect):
    name = "duckdb"

    def regex(self, pattern: str) -> str:
        return self.lit(pattern)

    def re_replace(self, expr: str, pattern: str, replacement: str) -> str:
        return f"regexp_replace({expr}, {self.regex(pattern)}, {self.lit(replacement)}, 'g')"

    def matches(self, expr: str, pattern: str) -> str:
        return f"regexp_matches({expr}, {self.regex(pattern)})"

    def hash(self, *exprs: str) -> str:
        return f"hash({', '.join(exprs)})"

    def fold(self, expr: str) -> str:
        stripped = f"replace(strip_accents(lower({self.re_replace(expr, INVISIBLE, '')})), 'đ', 'd')"
        return self.collapse_ws(stripped)

    def canon(self, expr: str) -> str:
        text = self.collapse_ws(f"lower(nfc_normalize({self.re_replace(expr, INVISIBLE, '')}))")
        return tone_moves_by_replace(text)

    def add_days(self, date_expr: str, days_expr: str) -> str:
        return f"CAST({date_expr} + {days_expr} AS DATE)"


class SparkDialect(Dialect):
    """Spark SQL. ``canon`` calls the ``vn_canon`` UDF that :mod:`congvu.matching.spark` registers."""

    name = "spark"

    def regex(self, pattern: str) -> str:
        return "r" + self.lit(pattern)  # raw literal: Spark would otherwise unescape the backslashes

    def re_replace(self, expr: str, pattern: str, replacement: str) -> str:
        java = replacement.replace("\\1", "$1").replace("\\2", "$2")
        return f"regexp_replace({expr}, {self.regex(pattern)}, {self.lit(java)})"

    def matches(self, expr: str, pattern: str) -> str:
        return f"({expr} RLIKE {self.regex(pattern)})"

    def hash(self, *exprs: str) -> str:
        return f"xxhash64({', '.join(exprs)})"

    def fold(self, expr: str) -> str:
        no_marks = self.re_replace(self.re_replace(f"lower({expr})", COMBINING, ""), INVISIBLE, "")
        return self.collapse_ws(f"translate({no_marks}, {self.lit(VN_LOWER)}, {self.lit(VN_BASE)})")

    def canon(self, expr: str) -> str:
        return f"coalesce(vn_canon({expr}), '')"

    def add_days(self, date_expr: str, days_expr: str) -> str:
        return f"date_add({date_expr}, {days_expr})"
