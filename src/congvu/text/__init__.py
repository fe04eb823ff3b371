"""Vietnamese text: NFC normalisation, accent folding, name parts, collation keys, legacy encodings.

Pure functions: no Django, no I/O, no clock.
"""

from congvu.text.collation import SEPARATOR, collation_key, person_sort_key
from congvu.text.legacy import (
    LegacyEncoding,
    decode_tcvn3,
    decode_vni,
    detect_legacy_encoding,
    encode_tcvn3,
    encode_vni,
    fix_legacy_text,
)
from congvu.text.names import COMPOUND_FAMILY_NAMES, NameParts, join_name, split_full_name, title_case_name
from congvu.text.normalize import fold, nfc
from congvu.text.syllable import is_vietnamese_syllable

__all__ = [
    "COMPOUND_FAMILY_NAMES",
    "SEPARATOR",
    "LegacyEncoding",
    "NameParts",
    "collation_key",
    "decode_tcvn3",
    "decode_vni",
    "detect_legacy_encoding",
    "encode_tcvn3",
    "encode_vni",
    "fix_legacy_text",
    "fold",
    "is_vietnamese_syllable",
    "join_name",
    "nfc",
    "person_sort_key",
    "split_full_name",
    "title_case_name",
]
