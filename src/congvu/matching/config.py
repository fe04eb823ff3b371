"""The named, documented parameters of a reconciliation run (docs/reconciliation.md explains the choices).

Thresholds are on the *posterior* probability that a candidate is the person, computed per record over
all its candidates (``probabilistic.posterior_sql``): two equally good namesakes each get about 0.5, so
"above the threshold" already means "clearly better than every other candidate".
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["IdEvidence", "MatchConfig"]


@dataclass(frozen=True)
class IdEvidence:
    """Fixed m/u probabilities of a comparison that the confirmed pairs cannot teach.

    Every confirmed pair agrees on its ID by construction, so the ID comparison of the probabilistic stage
    (how close the register's wrong ID is to a candidate's) is set from what wrong IDs look like:
    ``m`` = share among true matches left for that stage, ``u`` = share among non-matches (candidates
    share name or date of birth, so their IDs often share the 6-digit province/sex/year prefix; a serial
    one edit away from another is then about 6·9/10^6; ``u`` is kept above that, which errs on the side
    of weaker evidence).
    """

    m: tuple[float, ...]
    u: tuple[float, ...]


@dataclass(frozen=True)
class MatchConfig:
    #: Accept the best candidate automatically (MATCHED_PROBABILISTIC) at or above this posterior. The
    #: posteriors are conservative (independence of the fields, a 12 % share of people missing from the
    #: extract in the benchmark): on the 2 M × 100 M benchmark the candidates at or above 0.7 named the
    #: right person 99.84 % of the time and 97.4 % of the matchable records were accepted (at 0.9:
    #: 99.92 % and 95.3 %). docs/reconciliation.md has the whole curve.
    auto_accept: float = 0.7
    #: Below ``auto_accept`` but at or above this, the best candidate is proposed for review (PROBABLE).
    review_floor: float = 0.10
    #: Prior share of the records left for the probabilistic stage whose person is in the population
    #: extract at all (the rest are people the extract lacks: foreigners, errors, the not yet registered).
    prior_match_share: float = 0.90
    #: EM iterations re-estimating ``prior_match_share`` from the scores (0: keep the value above).
    prior_iterations: int = 20
    #: Share of true matches that the blocking rules would miss; it keeps a little probability for
    #: "the person is somewhere we did not look" in the posterior.
    blocking_miss_share: float = 0.01
    #: Confirmed pairs (ID found, fields agree) sampled to estimate m probabilities.
    training_pairs: int = 200_000
    #: Random pairs sampled to estimate u probabilities.
    u_sample_pairs: int = 2_000_000
    #: No level's m probability goes below this: the confirmed pairs never show "completely different
    #: name" (the exact stage rejected those), but a true match may still look like that (a name change).
    m_floor: float = 0.001
    #: Pairs whose Splink match weight is below this are dropped before the posterior (they would add
    #: less than 2^-10 of the prior odds).
    min_match_weight: float = -10.0
    #: Register ID vs candidate ID: exact, one edit, two edits (a transposition), anything else.
    personal_id: IdEvidence = field(
        default_factory=lambda: IdEvidence(m=(0.02, 0.60, 0.20, 0.18), u=(1e-7, 1e-4, 1e-3, 0.9989))
    )
    #: Register CMND vs candidate CMND: at most one edit, anything else.
    old_id: IdEvidence = field(default_factory=lambda: IdEvidence(m=(0.7, 0.3), u=(1e-4, 0.9999)))
    #: Engine settings (DuckDB): threads (None: all cores), memory limit, spill directory.
    threads: int | None = None
    memory_limit: str = "8GB"
    temp_directory: str | None = None
