"""The demo's name generator: Vietnamese names with realistic family-name shares (pure, no database)."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter

import pytest

from congvu.demo.names import FAMILY_WEIGHTS, NameGenerator, WeightedChoice

# (family names counted together, expected share, tolerance) on 5,000 names: ~3 standard errors.
EXPECTED_SHARES = (
    (("Nguyễn",), 0.384, 0.025),
    (("Trần",), 0.11, 0.015),
    (("Lê",), 0.095, 0.015),
    (("Phạm",), 0.07, 0.012),
    (("Hoàng", "Huỳnh"), 0.051, 0.01),
    (("Phan",), 0.045, 0.01),
    (("Vũ", "Võ"), 0.039, 0.009),
)


def names(n: int, seed: int = 1) -> list[tuple[str, str, str, str]]:
    rng = random.Random(seed)
    gen = NameGenerator(rng)
    out = []
    for _ in range(n):
        sex = rng.choice("MF")
        name = gen.name(sex, birth_year=rng.randint(1966, 2003))
        out.append((sex, name.family, name.middle, name.given))
    return out


def test_family_name_shares_on_5000_names_match_the_national_figures() -> None:
    counts = Counter(family for _, family, _, _ in names(5000))
    for families, share, tolerance in EXPECTED_SHARES:
        observed = sum(counts[f] for f in families) / 5000
        assert abs(observed - share) <= tolerance, (families, observed)


def test_family_name_weights_add_up_to_one_hundred_percent() -> None:
    assert sum(FAMILY_WEIGHTS.values()) == pytest.approx(100.0)


def test_thi_is_a_womans_middle_name_and_van_a_mans() -> None:
    sample = names(3000, seed=2)
    assert not any(middle.startswith("Thị") for sex, _, middle, _ in sample if sex == "M")
    assert not any(middle == "Văn" for sex, _, middle, _ in sample if sex == "F")
    women = [middle for sex, _, middle, _ in sample if sex == "F"]
    assert 0.2 < sum(m.startswith("Thị") for m in women) / len(women) < 0.6


def test_the_same_seed_gives_the_same_names_and_another_seed_others() -> None:
    assert names(200, seed=5) == names(200, seed=5)
    assert names(200, seed=5) != names(200, seed=6)


def test_every_name_part_is_stored_in_nfc_and_the_middle_differs_from_the_given_name() -> None:
    for _, family, middle, given in names(2000, seed=3):
        for part in (family, middle, given):
            assert part == unicodedata.normalize("NFC", part)
            assert part.strip() == part
            assert part
        assert middle != given


def test_minority_people_get_family_names_of_their_own_group() -> None:
    gen = NameGenerator(random.Random(4))
    families = {gen.name("M", 1980, ethnicity="Mường").family for _ in range(300)}
    assert families <= {"Đinh", "Quách", "Bạch", "Hà", "Bùi", "Phạm", "Xa"}


def test_a_weighted_choice_refuses_empty_or_non_positive_weights() -> None:
    with pytest.raises(ValueError, match="positive"):
        WeightedChoice({})
    with pytest.raises(ValueError, match="positive"):
        WeightedChoice({"a": 1.0, "b": 0.0})


def test_an_unknown_sex_is_refused() -> None:
    with pytest.raises(ValueError, match="sex"):
        NameGenerator(random.Random(1)).name("X")
