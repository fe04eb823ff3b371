"""Legacy Vietnamese 8-bit encodings (TCVN3 / VNI) as they turn up in old spreadsheets.

Before Unicode, Vietnamese was typed in Windows with special fonts: the TCVN3 "ABC" fonts
(``.VnTime``, ``.VnArial``; capitals in ``.VnTimeH``) or the VNI fonts (``VNI-Times``). The file
stores ordinary Windows-1252 bytes and the *font* draws them as Vietnamese letters. Opened today,
the cell's Unicode text is what those bytes mean in Windows-1252: "NguyÔn V¨n An" (TCVN3) or
"Nguyeãn Vaên An" (VNI) instead of "Nguyễn Văn An".

Tables
------
TCVN3 is TCVN 5712:1993. The table below is the full "VN1" repertoire as implemented by glibc's
``TCVN5712-1`` converter (checked byte by byte with ``iconv -f TCVN5712-1``); its lowercase part is
the "VN3" subset the ABC fonts use and agrees with the public converters we compared (e.g. the
TCVN3 tables in github.com/duydev/vietnamese-conversion ``src/charsets.ts`` and
github.com/backupvietsoft/HRM ``ConvertVNI/XtraForm1.cs``). VN1 also has the toned capitals, at
0x01–0x17, 0x80–0x9F and some places above 0xA0; VN3 fonts have none, so in real files toned
capitals were typed with the lowercase code in a ``…H`` font. See :func:`fix_legacy_text` for how
those are recovered.

VNI (VNI-Windows) writes a letter as a base plus a modifier byte: "ễ" = "e" + "ã" (circumflex
with tilde), "ă" = "a" + "ê" (breve), and has single bytes for đ (ñ), ơ (ô), ư (ö), the toned i's
and ỵ. The table is built from those rules below and matches github.com/lamdao/xvnkb ``vni.h``
and the VNI table of duydev/vietnamese-conversion.

Bytes 0x80–0x9F appear as their Windows-1252 characters ("€", "…", "–") or, from some readers, as
the C1 control characters U+0080–U+009F; both are decoded.

Detection (:func:`fix_legacy_text`)
-----------------------------------
1. Text containing any character a legacy byte cannot become (anything above U+00FF other than the
   27 Windows-1252 punctuation/letters) is Unicode already: returned as NFC, encoding ``None``.
   Real Unicode Vietnamese nearly always has such a character (ă, đ, ơ, ư, ạ, ả, ễ …). Pure ASCII
   is also returned unchanged.
2. The words that contain non-ASCII characters are checked with
   :func:`~congvu.text.syllable.is_vietnamese_syllable` (and must be lower, Title or UPPER case),
   as they are, decoded as TCVN3 and decoded as VNI.
3. A decoding is accepted if it turns at least one implausible word of two or more characters into
   a plausible one, turns no plausible word into an implausible one, and leaves more plausible than
   implausible words. If both decodings qualify, the one that fixes more words wins, then the one
   with more syllables common in names (:data:`~congvu.text.names.COMMON_NAME_SYLLABLES`: VNI
   "VUÕ" is "VŨ", not TCVN3 "VUẾ"). A remaining tie goes to VNI when the text contains VN1
   capital codes above 0xA0 (VN1 "Ù" = Ễ is also VNI's capital sắc modifier, and real TCVN3
   files, typed in VN3 fonts, never contain those codes); any other tie returns the text unchanged.

Limits of the heuristic:

- A legacy string whose words are *also* valid Unicode Vietnamese is left alone. It happens for a few
  short TCVN3 words: "Vò" is TCVN3 for "Vũ", "Tó" for "Tú", "Sè" for "Số". "Vò Thanh Hµ" is fixed
  (because of "Hµ"); "Vò Tó" alone is not. Pass ``assume=`` when the whole column/file is known to be
  legacy (see :func:`detect_legacy_encoding`).
- One-character words are never evidence (a TCVN3 "ë" = "ở" alone is not detected; a lone "–"
  is not read as TCVN3 "Ọ").
- Words that are not Vietnamese syllables (foreign names, some ethnic-minority names) neither help
  nor, as long as they are a minority, hurt.
- Latin-1 foreign words that happen to be well-formed VNI are decoded: the French name "Loïc" reads
  as VNI "Lọc", Spanish "Ñu" as "Đu". Accented European names in general ("José", "Hélène",
  "Müller") are left alone.
- TCVN3 text written with VN1 capitals above 0xA0 (only our own :func:`encode_tcvn3` does that by
  default) can be read as VNI when both readings are equally plausible and name-like.
- TCVN3 capitals typed in a ``.VnTimeH`` font arrive as lowercase codes. A word with at least two
  capitals whose lowercase letters are all toned vowels is upper-cased ("NGUYễN" → "NGUYỄN"); when
  every word is in capitals that way, the single-capital words are too ("Hà NộI" → "HÀ NỘI",
  "Đỗ AN" → "ĐỖ AN"; also "UBND Hà" → "UBND HÀ"). In title-case text a lowercase word starting
  with a toned vowel gets its capital back ("Vũ Thị ánh" → "Vũ Thị Ánh"). A title-case name cannot
  be told from an all-caps one when every word has a single capital ("§ç Hµ" → "Đỗ Hà", even if it
  was typed as "ĐỖ HÀ"). Nothing is changed when the text uses VN1 capital codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

from congvu.text.names import COMMON_NAME_SYLLABLES
from congvu.text.syllable import is_vietnamese_syllable

__all__ = [
    "LegacyEncoding",
    "decode_tcvn3",
    "decode_vni",
    "detect_legacy_encoding",
    "encode_tcvn3",
    "encode_vni",
    "fix_legacy_text",
]

LegacyEncoding = Literal["tcvn3", "vni"]
_ENCODINGS: tuple[LegacyEncoding, ...] = ("tcvn3", "vni")

# --------------------------------------------------------------------------------------------------
# TCVN3 (TCVN 5712:1993, VN1 repertoire; glibc TCVN5712-1). Bytes not listed are ASCII / themselves.
# 0xB0–0xB4 are combining tone marks (for tones on letters that have no precomposed form).
_TCVN3_BYTES: dict[int, str] = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ",
    0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ", 0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á",
    0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È", 0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ",
    0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ", 0x90: "Í", 0x91: "Ị", 0x92: "Ò", 0x93: "Ỏ",
    0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ", 0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ",
    0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô",
    0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ",
    0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ", 0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301",
    0xB4: "\u0323", 0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ", 0xBB: "ằ",
    0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ",
    0xC4: "Ấ", 0xC5: "Ề", 0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCD: "Ể", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể",
    0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ",
    0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò", 0xE0: "Ổ", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó",
    0xE4: "ọ", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở",
    0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ", 0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú",
    0xF4: "ụ", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ",
    0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ", 0xFF: "Ố",
}  # fmt: skip


def _cell_char(byte: int) -> str:
    """The character a legacy byte shows up as in a spreadsheet cell (Windows-1252 reading)."""
    if 0x80 <= byte <= 0x9F:
        try:
            return bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined, kept as C1 controls
            return chr(byte)
    return chr(byte)


#: Every character a legacy byte can turn into: Latin-1 plus the Windows-1252 extras.
_LEGACY_REPERTOIRE = frozenset(chr(b) for b in range(0x100)) | frozenset(
    _cell_char(b) for b in range(0x80, 0xA0)
)

_TCVN3_DECODE: dict[str, str] = {}
for _byte, _char in _TCVN3_BYTES.items():
    _TCVN3_DECODE[chr(_byte)] = _char
    _TCVN3_DECODE[_cell_char(_byte)] = _char

_TCVN3_ENCODE: dict[str, str] = {char: _cell_char(byte) for byte, char in _TCVN3_BYTES.items()}

#: Capitals that exist only in VN1: toned capital vowels. VN3 (the ABC fonts) has just Ă Â Ê Ô Ơ Ư Đ.
_VN1_ONLY_CAPITALS = frozenset(c for c in _TCVN3_ENCODE if c.isupper() and c not in "ĂÂÊÔƠƯĐ")
_VN1_CAPITAL_CODES = frozenset(code for code, char in _TCVN3_DECODE.items() if char in _VN1_ONLY_CAPITALS)
#: The VN1 capital codes that are Latin-1 letters ("Ù" = Ễ): VNI uses the same characters.
_VN1_HIGH_CAPITAL_CODES = frozenset(c for c in _VN1_CAPITAL_CODES if "\u00a0" <= c <= "\u00ff")
#: Lowercase letters whose capital has no VN3 code (the toned vowels).
_VN3_LOWER_ONLY = frozenset(c.lower() for c in _VN1_ONLY_CAPITALS)
#: Byte values VN1 uses for capitals inside the C0 control range: never passed through by encode.
_TCVN3_CONTROL_CODES = frozenset(chr(b) for b in _TCVN3_BYTES if b < 0x20)


def decode_tcvn3(s: str) -> str:
    """Decode text typed in a TCVN3 (ABC, ``.VnTime``) font; result is NFC.

    Exact inverse of :func:`encode_tcvn3`. Characters without a TCVN3 meaning pass through.
    Capitals typed with a ``.VnTimeH`` font come out lowercase here; :func:`fix_legacy_text`
    restores them.

    >>> decode_tcvn3("NguyÔn V¨n An")
    'Nguyễn Văn An'
    """
    return unicodedata.normalize("NFC", "".join(_TCVN3_DECODE.get(ch, ch) for ch in s))


def encode_tcvn3(s: str, *, capitals: Literal["vn1", "vn3"] = "vn1") -> str:
    """Encode ``s`` as a TCVN3 spreadsheet cell would show it (Windows-1252 characters).

    ``capitals="vn1"`` (default) uses the VN1 codes for toned capitals, so that
    ``decode_tcvn3(encode_tcvn3(s)) == s``. ``capitals="vn3"`` writes them with the lowercase
    code, as people did with the ``.VnTimeH`` capitals font: use it to generate realistic files.

    Raises ``ValueError`` for a character TCVN3 cannot represent.

    >>> encode_tcvn3("Nguyễn Văn An")
    'NguyÔn V¨n An'
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", s):
        if capitals == "vn3" and ch in _VN1_ONLY_CAPITALS:
            out.append(_TCVN3_ENCODE[ch.lower()])
        elif ch in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch])
        elif (ch.isascii() and ch not in _TCVN3_CONTROL_CODES) or ch == "\u00a0":
            out.append(ch)
        else:
            raise ValueError(f"{ch!r} (U+{ord(ch):04X}) has no TCVN3 code")
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# VNI-Windows. Modifier bytes, lowercase; the capital forms are their .upper().
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng
_VNI_TONE = dict(zip(_TONES, ("", "ù", "ø", "û", "õ", "ï"), strict=True))
_VNI_CIRCUMFLEX = dict(zip(_TONES, ("â", "á", "à", "å", "ã", "ä"), strict=True))
_VNI_BREVE = dict(zip(_TONES, ("ê", "é", "è", "ú", "ü", "ë"), strict=True))
_VNI_I = dict(zip(_TONES, ("i", "í", "ì", "æ", "ó", "ò"), strict=True))


def _vni_code(base: str, tone: str) -> str:
    """VNI code for a lowercase base vowel (a ă â e ê i o ô ơ u ư y) carrying ``tone``."""
    if base in "âêô":
        return {"â": "a", "ê": "e", "ô": "o"}[base] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == "\u0323":
        return "î"
    return {"ơ": "ô", "ư": "ö"}.get(base, base) + _VNI_TONE[tone]


_VNI_ENCODE: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}
for _base in "aăâeêioôơuưy":
    for _tone in _TONES:
        _letter = unicodedata.normalize("NFC", _base + _tone)
        _code = _vni_code(_base, _tone)
        _VNI_ENCODE[_letter] = _code
        _VNI_ENCODE[_letter.upper()] = _code.upper()

_VNI_DECODE: dict[str, str] = {code: letter for letter, code in _VNI_ENCODE.items() if code != letter}
# Lenient: a base and a modifier typed in different case still combine; the base decides the case.
for _code, _letter in list(_VNI_DECODE.items()):
    if len(_code) == 2:
        _VNI_DECODE.setdefault(_code[0] + _code[1].swapcase(), _letter)


def decode_vni(s: str) -> str:
    """Decode text typed in a VNI (``VNI-Times``) font; result is NFC.

    Exact inverse of :func:`encode_vni`. A modifier byte that does not follow a vowel it can modify
    is left as it is.

    >>> decode_vni("Nguyeãn Vaên An")
    'Nguyễn Văn An'
    """
    out: list[str] = []
    i = 0
    while i < len(s):
        pair = s[i : i + 2]
        if len(pair) == 2 and pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            i += 2
        else:
            out.append(_VNI_DECODE.get(s[i], s[i]))
            i += 1
    return unicodedata.normalize("NFC", "".join(out))


def encode_vni(s: str) -> str:
    """Encode ``s`` as a VNI spreadsheet cell would show it. Inverse of :func:`decode_vni`.

    Raises ``ValueError`` for a character VNI cannot represent.

    >>> encode_vni("Nguyễn Văn An")
    'Nguyeãn Vaên An'
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", s):
        if ch in _VNI_ENCODE:
            out.append(_VNI_ENCODE[ch])
        elif ch.isascii() or ch == "\u00a0":
            out.append(ch)
        else:
            raise ValueError(f"{ch!r} (U+{ord(ch):04X}) has no VNI code")
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Detection.

# A "word": a run of characters that are neither whitespace, ASCII digits nor ASCII punctuation.
# Legacy codes such as "¨", "§" or "µ" are word characters, as they stand for letters.
_WORD = re.compile(r"[^\s!-@\[-`{-~]+")


def _plausible(word: str) -> bool:
    cased = word.islower() or word.isupper() or word.istitle()
    return cased and is_vietnamese_syllable(word)


def _caps_but_vn3(word: str) -> bool:
    """Every lowercase letter is a toned vowel, i.e. one that VN3 cannot write as a capital."""
    lowers = [ch for ch in word if ch.islower()]
    return bool(lowers) and all(ch in _VN3_LOWER_ONLY for ch in lowers)


def _uppercase_count(word: str) -> int:
    return sum(1 for ch in word if ch.isupper())


def _restore_vn3_capitals(words: Sequence[str]) -> list[str]:
    # A word with two or more capitals whose other letters are toned vowels: "NGUYễN", "ĐàO".
    fixed = [w.upper() if _caps_but_vn3(w) and _uppercase_count(w) >= 2 else w for w in words]
    lettered = [w for w in fixed if any(ch.isalpha() for ch in w)]
    in_capitals = all(not any(ch.islower() for ch in w) or _caps_but_vn3(w) for w in lettered) and any(
        _uppercase_count(w) >= 2 for w in lettered
    )
    if in_capitals:  # the whole text is in capitals: so are its single-capital words ("Hà NộI")
        return [w.upper() if _caps_but_vn3(w) else w for w in fixed]
    # A title-case text ("Vũ Thị ¸nh"): a lowercase word whose first letter VN3 cannot capitalise
    # lost its capital the same way.
    for i, w in enumerate(fixed):
        others = [o for o in lettered if o is not w]
        if w.islower() and w[:1] in _VN3_LOWER_ONLY and others and all(o.istitle() for o in others):
            fixed[i] = w[:1].upper() + w[1:]
    return fixed


def _decode_words(encoding: LegacyEncoding, words: Sequence[str], vn1_capitals: bool) -> list[str]:
    if encoding == "vni":
        return [decode_vni(w) for w in words]
    decoded = [decode_tcvn3(w) for w in words]
    return decoded if vn1_capitals else _restore_vn3_capitals(decoded)


def _is_legacy_candidate(s: str) -> bool:
    return not s.isascii() and all(ch in _LEGACY_REPERTOIRE for ch in s)


def _assess(s: str, assume: LegacyEncoding | None) -> LegacyEncoding | None:
    words = [w for w in _WORD.findall(s) if not w.isascii()]
    before = [_plausible(w) for w in words]
    vn1_capitals = any(ch in _VN1_CAPITAL_CODES for ch in s)
    scores: dict[LegacyEncoding, tuple[int, int]] = {}
    for encoding in _ENCODINGS:
        after_words = _decode_words(encoding, words, vn1_capitals)
        after = [_plausible(w) for w in after_words]
        gained = sum(1 for b, a, w in zip(before, after, words, strict=True) if a and not b and len(w) >= 2)
        lost = sum(1 for b, a in zip(before, after, strict=True) if b and not a)
        valid = sum(after)
        if lost:
            continue
        if encoding == assume and valid == len(after) and after_words != words:
            return encoding
        if gained >= 1 and valid > len(after) - valid:
            familiar = sum(1 for w in after_words if w.lower() in COMMON_NAME_SYLLABLES)
            scores[encoding] = (gained, familiar)
    if not scores:
        return None
    best = max(scores.values())
    winners = [enc for enc, score in scores.items() if score == best]
    if len(winners) == 1:
        return winners[0]
    # Still a tie. VN1 capital codes above 0xA0 ("Ù" = Ễ) are VNI's capital modifiers too, and real TCVN3
    # files were typed in VN3 fonts, which have no such codes: the text is VNI.
    return "vni" if any(ch in _VN1_HIGH_CAPITAL_CODES for ch in s) else None


def _decode_text(s: str, encoding: LegacyEncoding) -> str:
    if encoding == "vni":
        return decode_vni(s)
    decoded = decode_tcvn3(s)
    if any(ch in _VN1_CAPITAL_CODES for ch in s):
        return decoded
    matches = list(_WORD.finditer(decoded))
    fixed = _restore_vn3_capitals([m.group() for m in matches])
    out: list[str] = []
    last = 0
    for match, word in zip(matches, fixed, strict=True):
        out.append(decoded[last : match.start()])
        out.append(word)
        last = match.end()
    out.append(decoded[last:])
    return "".join(out)


def fix_legacy_text(s: str, *, assume: LegacyEncoding | None = None) -> tuple[str, LegacyEncoding | None]:
    """Detect TCVN3/VNI-encoded text and decode it; returns ``(NFC text, encoding or None)``.

    Unicode text and plain ASCII come back unchanged (as NFC) with ``None``. The heuristic and
    its limits are described in the module docstring.

    ``assume``: the caller knows the text comes from a file typed in that encoding (for instance
    :func:`detect_legacy_encoding` found it in most cells of the column). Then a string is decoded
    whenever every non-ASCII word decodes to a plausible Vietnamese syllable, even if it also looked
    plausible before ("Vò Tó" → "Vũ Tú"). Do not use it for files that mix Unicode and legacy cells:
    a Unicode "Lê Hà" would be decoded too.

    >>> fix_legacy_text("NguyÔn V¨n An")
    ('Nguyễn Văn An', 'tcvn3')
    >>> fix_legacy_text("Nguyeãn Vaên An")
    ('Nguyễn Văn An', 'vni')
    >>> fix_legacy_text("Nguyễn Văn An")
    ('Nguyễn Văn An', None)
    """
    if not _is_legacy_candidate(s):
        return unicodedata.normalize("NFC", s), None
    encoding = _assess(s, assume)
    if encoding is None:
        return unicodedata.normalize("NFC", s), None
    return _decode_text(s, encoding), encoding


def detect_legacy_encoding(texts: Iterable[str]) -> LegacyEncoding | None:
    """The legacy encoding found in the most of ``texts`` (e.g. a column's cells), or ``None``.

    ``None`` when no text is detected as legacy or when TCVN3 and VNI are found equally often.
    Use it to pass ``assume=`` to :func:`fix_legacy_text` for a whole column.
    """
    counts = Counter(found for _, found in map(fix_legacy_text, texts) if found is not None)
    ranked = counts.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]
