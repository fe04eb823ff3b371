"""Unicode normalisation and accent folding for Vietnamese text.

Two functions, two jobs:

- :func:`nfc` is what we *store*: NFC, trimmed, one space between words. Vietnamese text arrives
  as NFC (Windows, most web forms) or NFD (macOS file names, some PDF and Excel exports), and the
  two look identical but compare unequal, so everything is stored NFC (DESIGN §5 "NFC stored").
- :func:`fold` is what we *search on*: lowercase, no diacritics, đ → d. "Nguyễn Thị Thu Hà",
  "NGUYEN THI THU HA" and "nguyen thi thu ha" all fold to the same string.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nfc"]

# Characters that are invisible, are not whitespace to ``str.split`` and are commonly pasted in
# from Word/Excel/web pages: zero-width space, zero-width non-joiner/joiner, word joiner, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

_WHITESPACE_RUN = re.compile(r"\s+")

# U+0110/U+0111 have no canonical decomposition, so NFD + "drop combining marks" leaves them
# untouched ("Thị Đào" would fold to "thi đao"). They get an explicit rule.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(s: str) -> str:
    """Return ``s`` in Unicode NFC, trimmed, with every whitespace run collapsed to one space.

    Whitespace includes tabs, newlines, NBSP (U+00A0) and the ideographic space; zero-width
    characters and the BOM are removed.

    >>> nfc("  Nguye\\u0302\\u0303n\\u00a0\\tVăn   An ")
    'Nguyễn Văn An'
    """
    cleaned = unicodedata.normalize("NFC", s.translate(_INVISIBLE))
    return _WHITESPACE_RUN.sub(" ", cleaned).strip()


def fold(s: str) -> str:
    """Return the accent-insensitive search form of ``s``.

    NFC and whitespace as in :func:`nfc`, case-folded, every combining mark removed (tones,
    breve, circumflex, horn) and đ/Đ turned into d. Works on NFC and NFD input alike.

    >>> fold("Nguyễn Thị Thu Hà")
    'nguyen thi thu ha'
    >>> fold("ĐẶNG")
    'dang'
    """
    folded = nfc(s).casefold().translate(_D_STROKE)
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch))
    # A stray mark between two spaces ("a \u0301 b") leaves a double space behind: tidy again.
    return nfc(stripped)
