"""Vietnamese sort keys that a database can ORDER BY.

Neither SQLite nor PostgreSQL ships a Vietnamese collation we can rely on everywhere, so the
order is computed here and stored: :func:`person_sort_key` goes into an indexed text column and the
list pages simply ``ORDER BY sort_key``.

The letters come from ``vn_collate`` (weights read out of ICU's ``vi`` collation): letters first,
tones second, case third, with the Vietnamese alphabet a < ă < â < b < c < d < đ < e < ê < … <
o < ô < ơ < … < u < ư < … and the tones in dictionary order ngang < huyền < hỏi < ngã < sắc < nặng.

Why the stored key is ASCII hex
-------------------------------
``vn_collate.collate_key`` emits lowercase hexadecimal, ``[0-9a-f]``; :func:`person_sort_key`
adds only :data:`SEPARATOR` (``"."``). Such a string sorts the same way under every ordinary
collation, so SQLite (``BINARY``) and PostgreSQL (``"C"``, ``en_US.UTF-8``, ICU ``und``…) agree
with Python's ``sorted``:

- the ten digits and six lowercase letters are ordered 0 < … < 9 < a < … < f by byte value and
  by every common locale;
- there is no case and no accent, so locale rules for those never come into play;
- a key never is a proper prefix of another key (see :func:`collation_key`), so the comparison is
  always decided on a hex character before either key ends, and the separator never decides it.
  That is why a locale that ignores punctuation (glibc ``en_US`` skips "." at its first level) still
  gives the same order.

Not supported: collations with numeric ordering (ICU ``kn-true``/"natural sort"), which compare the
digit runs inside the hex as numbers. Raw bytes in a ``bytea`` column would avoid even that, but
would not be portable to SQLite text columns or readable in a dump.

Key length
----------
``len(collation_key(s)) == 6 * n + 6`` where ``n`` is the number of characters (base letter plus
its marks) in ``s``; :func:`person_sort_key` is ``6 * (n_family + n_middle + n_given) + 20``
characters, spaces inside a part included. "Nguyễn Thị Thu Hà" → 6 × 15 + 20 = 110.
"""

from __future__ import annotations

from vn_collate import collate_key

from congvu.text.normalize import nfc

__all__ = ["SEPARATOR", "collation_key", "person_sort_key"]

#: Separates the given / middle / family keys. Below every hex digit in ASCII (0x2E < 0x30).
SEPARATOR = "."


def collation_key(s: str) -> str:
    """Return the Vietnamese collation key of ``s`` (after :func:`~congvu.text.normalize.nfc`).

    The key is ``vn_collate.collate_key``: all primary weights (letters), then all secondary
    weights (tones), then all tertiary weights (case), each level ended by ``00`` (``TERMINATOR``).
    Every primary weight is non-zero, so when one string is a prefix of another its primary level
    ends first and ``00`` sorts below any letter: "An" < "Anh", "Hà" < "Hải". When the primary levels
    are equal, both keys have the same length. Hence no key is a proper prefix of another.

    >>> collation_key("An") < collation_key("Anh") < collation_key("Ánh") < collation_key("Ba")
    True
    """
    return collate_key(nfc(s))


def person_sort_key(family: str, middle: str, given: str) -> str:
    """Return one ASCII string that sorts people the Vietnamese HR way: tên → chữ đệm → họ.

    ``collation_key(given) + "." + collation_key(middle) + "." + collation_key(family)``.

    Each part is compared completely (letters, then tones, then case) before the next part is
    looked at, so all the "Anh"s come before all the "Ánh"s whatever their middle and family names,
    and people with the same given name are ordered by middle name, then by family name. An empty
    middle name sorts before any middle name.

    >>> person_sort_key("Trần", "Văn", "An") < person_sort_key("Lê", "", "Anh")
    True
    """
    return SEPARATOR.join((collation_key(given), collation_key(middle), collation_key(family)))
