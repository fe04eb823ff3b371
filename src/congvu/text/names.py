"""Vietnamese personal names: họ (family), chữ đệm (middle), tên (given).

A Vietnamese name is written family-first: "Nguyễn Thị Thu Hà" is họ "Nguyễn", chữ đệm "Thị Thu",
tên "Hà". People are addressed and sorted by the **given** name, the last word.

Which words are the family name
-------------------------------
The family name is normally **one** word, and that is the default rule: first word = family, last
word = given, everything between = middle. A one-word name is a given name only.

A very small set of multi-word family names is recognised, listed in :data:`COMPOUND_FAMILY_NAMES`:
the Nguyễn royal clan's "Tôn Thất" (men) and "Tôn Nữ" / "Công Tằng Tôn Nữ" / "Huyền Tôn Nữ" (women),
where the whole prefix functions as the family name ("Tôn Thất Tùng" is Dr. Tùng of the Tôn Thất
clan, not Mr. Tôn with middle name Thất). They were chosen because their second word is practically
never an ordinary middle name, so the rule cannot misfire on common names.

Deliberately **not** listed, because the same words are common one-word surnames followed by a
common middle name, so a rule would split ordinary people wrongly: "Nguyễn Phúc" (royal, but
"Nguyễn Phúc Thịnh" is usually Mr. Nguyễn), "Âu Dương", "Hoàng Phủ", "Tư Mã", "Gia Cát".

Records that need a different split should keep the three fields as entered: the split only
matters for forms and for tie-breaking in sorting (sorting is by tên first, which never changes).
Pass ``compound_family_names=()`` for the strict one-word rule. Matching is case-insensitive
and after :func:`~congvu.text.normalize.nfc`.

Case is kept as given; :func:`title_case_name` is there for callers that want "Nguyễn Văn An" out
of "NGUYỄN VĂN AN".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from congvu.text.normalize import nfc

__all__ = [
    "COMMON_NAME_SYLLABLES",
    "COMPOUND_FAMILY_NAMES",
    "NameParts",
    "join_name",
    "split_full_name",
    "title_case_name",
]

#: Multi-word family names recognised by :func:`split_full_name`. See the module docstring.
COMPOUND_FAMILY_NAMES: tuple[str, ...] = (
    "Công Tằng Tôn Nữ",
    "Huyền Tôn Nữ",
    "Tôn Thất",
    "Tôn Nữ",
)


_FAMILY_SYLLABLES = (
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trịnh lương mai cao "
    "tạ lâm quách đoàn vương trương hà kiều châu tôn lưu thái khúc ứng đàm đào tăng tô la lại lò mạc "
    "mẫn nghiêm ninh nông phùng quan tống triệu từ văn vi âu an bạch bế cù chu diệp doãn giang giáp "
    "hàn hầu hứa khổng khương kim lạc lục mã mông phó phí sầm thân thạch thiều tiêu trà đồng đường"
)
_MIDDLE_AND_GIVEN_SYLLABLES = (
    "văn thị hữu đức minh thu ngọc thanh quốc xuân hồng kim bảo gia thúy thuý diệu mỹ công đình duy "
    "quang trọng thế tuấn mạnh phương khánh hoài bích nhật thiên như tố cẩm hải trung phúc tiến bá "
    "an anh ánh ảnh ân bình chi dũng đào hạnh hiếu hoa huệ hùng hương khoa lan linh loan long nam nga "
    "nghĩa nhung oanh phong quân quyên sơn tâm thảo thắng thủy thuỷ trang tú tùng uyên vân việt vinh "
    "yến khuê nguyệt tuyết huyền cường ngữ hiền ý cúc duyên dung hạ hằng hân hậu hiển hiệp hòa hoà "
    "hoàn hoàng huy huyên hưng kha khải khang khôi kiên kiệt lam lệ liên liễu lộc lợi luân lực ly "
    "mi my na nguyên nhàn nhân nhi nhiên phát phi phú phụng quế quý quyết quỳnh sang sáng sinh tài "
    "tân tín thành thi thịnh thoa thông thơ thư thương tiên toàn trâm trí trinh trúc tuệ tường viên "
    "vĩnh vy yên đạt đông đăng định điệp"
)

#: Lowercase syllables frequent in Vietnamese names (family, middle and given), both tone placements
#: where they differ (hòa/hoà). Not a validity test: :mod:`congvu.text.legacy` uses it to choose
#: between two readings of a legacy string that are both well-formed.
COMMON_NAME_SYLLABLES: frozenset[str] = frozenset(
    (_FAMILY_SYLLABLES + " " + _MIDDLE_AND_GIVEN_SYLLABLES).split()
)


def join_name(family: str, middle: str, given: str) -> str:
    """Join the parts family-first, skipping empty parts; NFC with single spaces.

    >>> join_name("Nguyễn", "", "An")
    'Nguyễn An'
    """
    return " ".join(part for part in (nfc(family), nfc(middle), nfc(given)) if part)


@dataclass(frozen=True)
class NameParts:
    """A name split into họ / chữ đệm / tên. Each part is NFC; missing parts are ``""``."""

    family: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        """The full name, family first, single-spaced."""
        return join_name(self.family, self.middle, self.given)


def _words_key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(w.casefold() for w in words)


def split_full_name(full: str, *, compound_family_names: Iterable[str] = COMPOUND_FAMILY_NAMES) -> NameParts:
    """Split a full name, family first, into :class:`NameParts`.

    - one word: given only ("An" → ("", "", "An"));
    - two words: family + given;
    - more: family = first word (or a recognised compound family name), given = last word,
      middle = the words between.

    A compound family name is used only if at least one word is left for the given name.
    Case is preserved; comparison with ``compound_family_names`` ignores case.

    >>> split_full_name("Nguyễn Thị Thu Hà")
    NameParts(family='Nguyễn', middle='Thị Thu', given='Hà')
    >>> split_full_name("Tôn Nữ Thị Ninh")
    NameParts(family='Tôn Nữ', middle='Thị', given='Ninh')
    """
    cleaned = nfc(full)
    words = cleaned.split(" ") if cleaned else []
    if not words:
        return NameParts("", "", "")
    if len(words) == 1:
        return NameParts("", "", words[0])

    family_len = 1
    for compound in compound_family_names:
        compound_words = nfc(compound).split(" ")
        n = len(compound_words)
        if n > family_len and n < len(words) and _words_key(words[:n]) == _words_key(compound_words):
            family_len = n
    return NameParts(
        family=" ".join(words[:family_len]),
        middle=" ".join(words[family_len:-1]),
        given=words[-1],
    )


# A run of letters (and the combining marks that belong to them); apostrophes and hyphens inside a
# word ("H'Hen", "Y-Moan") start a new run, so each part is capitalised.
_LETTER_RUN = re.compile(r"[^\W\d_]+", re.UNICODE)


def title_case_name(s: str) -> str:
    """Capitalise the first letter of each word and lowercase the rest, Vietnamese-aware.

    Works on precomposed letters (ă, đ, ư, ễ …) because it runs on NFC text; the first letter
    after an apostrophe or hyphen is capitalised too (ethnic-minority names such as "H'Hen Niê").

    >>> title_case_name("NGUYỄN THỊ ĐÀO")
    'Nguyễn Thị Đào'
    >>> title_case_name("h'hen niê")
    "H'Hen Niê"
    """
    return _LETTER_RUN.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), nfc(s))
