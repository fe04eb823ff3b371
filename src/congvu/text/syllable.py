"""Is this word a well-formed Vietnamese syllable?

Used by :mod:`congvu.text.legacy` to tell real Vietnamese from legacy-encoded gibberish
("NguyÔn", "Nguyeãn") and from mis-decoded text. It checks the written shape of a syllable, not
whether the syllable is a real word:

    syllable = onset? + vowel nucleus + coda?, with at most one tone mark

- onset: b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x;
- nucleus: one of the vowel sequences in :data:`NUCLEI` (a, ă, â, …, oa, uyê, ươi …);
- coda: c ch m n ng nh p t, and k (Đắk Lắk, from minority languages);

plus the spelling rules that hold in standard orthography:

- ă, â, oo and the diphthongs iê/yê/uô/ươ/uyê/oă/uâ need a coda (tiên, muốn, xoong; never "tiê");
- nuclei that already end in a glide (ai, ao, âu, oi, uôi, ươu …) and ia/ua/ưa/uya take no coda;
- the stop codas c/ch/k/p/t carry only the sắc or nặng tone (các, học, but never "càc");
- the tone mark sits on the main vowel: the modified vowel if there is one (muốn, người), else the
  last vowel before a coda (hoàn, huỳnh), else the first of ai/ao/au/ay/eo/ia/iu/oi/ua/ui (mèo,
  mùa), the middle one of oai/oay/oeo/uya/uyu; oa/oe/uy without coda take either (hòa, hoà);
- gh and ngh only before i/y/e/ê; c and ng never before them; g never before e/ê (but "gì");
  a syllable without onset writes yê, not iê. k is allowed before any vowel because place names
  keep it (Bắc Kạn, Kon Tum).

Limits: loanwords and the names of some ethnic minorities ("Ksor", "Niê", "Mlô", "Byă") are not
standard syllables and return ``False``; so do words with digits or punctuation.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NUCLEI", "is_vietnamese_syllable"]

#: Tone marks as combining characters: huyền, sắc, ngã, hỏi, nặng.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_STOP_TONES = frozenset("\u0301\u0323")  # sắc, nặng

_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip

#: Vowel nuclei (with their on- and off-glides), written without tone.
NUCLEI: frozenset[str] = frozenset(
    {
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu",
        "oa", "oă", "oe", "oi", "oo", "ôi", "ơi",
        "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
        "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
    }
)  # fmt: skip

_NEEDS_CODA = frozenset({"ă", "â", "iê", "yê", "uô", "ươ", "uyê", "oă", "uâ", "oo"})
_NO_CODA = frozenset(
    {
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi",
        "ua", "ui", "uơ", "ưa", "ưi", "ưu",
        "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu", "yêu",
    }
)  # fmt: skip
_STOP_CODAS = frozenset({"c", "ch", "k", "p", "t"})

_SYLLABLE = re.compile(
    "(?P<onset>{onsets})?(?P<nucleus>{nuclei})(?P<coda>ch|ng|nh|c|k|m|n|p|t)?".format(
        onsets="|".join(_ONSETS),
        nuclei="|".join(sorted(NUCLEI, key=len, reverse=True)),
    )
)
_FRONT = frozenset("ieêy")


_MODIFIED = frozenset("ăâêôơư")
# Nuclei without a modified vowel and without a coda where the tone does not go on the only or the
# last vowel. "oa", "oe", "uy" allow both the old (hòa, thủy) and the new (hoà, thuỷ) placement.
_TONE_SLOTS_OPEN: dict[str, frozenset[int]] = {
    "oa": frozenset({0, 1}),
    "oe": frozenset({0, 1}),
    "uy": frozenset({0, 1}),
    "ai": frozenset({0}),
    "ao": frozenset({0}),
    "au": frozenset({0}),
    "ay": frozenset({0}),
    "eo": frozenset({0}),
    "ia": frozenset({0}),
    "iu": frozenset({0}),
    "oi": frozenset({0}),
    "ua": frozenset({0}),
    "ui": frozenset({0}),
    "oai": frozenset({1}),
    "oao": frozenset({1}),
    "oay": frozenset({1}),
    "oeo": frozenset({1}),
    "uya": frozenset({1}),
    "uyu": frozenset({1}),
}


def _tone_slots(nucleus: str, coda: str) -> frozenset[int]:
    """Where in the nucleus the tone mark may stand."""
    modified = [i for i, ch in enumerate(nucleus) if ch in _MODIFIED]
    if modified:
        return frozenset({modified[-1]})  # the (last) modified vowel: muốn, người, khuấy
    if coda or len(nucleus) == 1:
        return frozenset({len(nucleus) - 1})  # the last vowel: hoàn, huỳnh
    return _TONE_SLOTS_OPEN.get(nucleus, frozenset({len(nucleus) - 1}))


def _spelling_ok(onset: str, nucleus: str, coda: str, tone: str) -> bool:
    if nucleus in _NEEDS_CODA and not coda:
        return False
    if nucleus in _NO_CODA and coda:
        return False
    if coda in _STOP_CODAS and tone not in _STOP_TONES:
        return False
    if not onset and nucleus.startswith("iê"):
        return False  # written yê: yên, yêu
    first = nucleus[0]
    if onset in {"gh", "ngh"} and first not in _FRONT:
        return False
    if onset in {"c", "ng"} and first in _FRONT:
        return False
    return not (onset == "g" and first in {"e", "ê"})


def is_vietnamese_syllable(word: str) -> bool:
    """Return True if ``word`` (any case, NFC or NFD) is spelled like a Vietnamese syllable.

    >>> [is_vietnamese_syllable(w) for w in ("Nguyễn", "NGHIÊNG", "quốc", "NguyÔn", "Nguyeãn")]
    [True, True, True, False, False]
    """
    letters: list[str] = []
    tone = ""
    tone_at = -1
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in TONE_MARKS:
            if tone or not letters:
                return False  # two tones, or a tone with no letter under it
            tone, tone_at = ch, len(letters) - 1
        elif unicodedata.combining(ch):
            if not letters:
                return False
            letters[-1] += ch
        else:
            letters.append(ch)
    base = "".join(unicodedata.normalize("NFC", letter) for letter in letters)
    if len(base) != len(letters):
        return False  # a mark that does not combine into a Vietnamese letter
    match = _SYLLABLE.fullmatch(base)
    if match is None:
        return False
    onset, nucleus, coda = match.group("onset") or "", match.group("nucleus"), match.group("coda") or ""
    if tone and tone_at - match.start("nucleus") not in _tone_slots(nucleus, coda):
        return False
    return _spelling_ok(onset, nucleus, coda, tone)
