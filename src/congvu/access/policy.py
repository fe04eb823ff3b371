"""What each role may do. One table, so a reviewer can read the whole policy at once."""

from __future__ import annotations

from enum import StrEnum

from congvu.access.models import Role


class Right(StrEnum):
    READ_PEOPLE = "read_people"  # see the people of the subtree (non-sensitive fields)
    READ_SENSITIVE = "read_sensitive"  # ethnicity, religion, party membership
    READ_IDENTITY = "read_identity"  # full personal ID, old ID, exact date of birth
    WRITE_PEOPLE = "write_people"  # edit personnel records, import
    WRITE_ORG = "write_org"  # edit units and job positions
    READ_AUDIT = "read_audit"  # see the history tab
    READ_EVALUATIONS = "read_evaluations"  # see the evaluation results of the subtree
    EVALUATE_TEAM = "evaluate_team"  # assign work, record findings, score the general criteria
    APPROVE_EVALUATION = "approve_evaluation"  # approve, publish, reopen; approve the annual classification
    MANAGE_EVALUATION = "manage_evaluation"  # periods, catalogues, annual computation, conduct findings
    RECONCILE = "reconcile"  # run reconciliation with the population database; work its queue
    READ_CONSEQUENCES = "read_consequences"  # see the consequence lists (raises, positions, streamlining)
    MANAGE_CONSEQUENCES = "manage_consequences"  # run the lists; record circumstances and past ratings
    DECIDE_CONSEQUENCES = "decide_consequences"  # accept, reject or defer an entry; sign its decision
    READ_RESTRUCTURING = "read_restructuring"  # see org events, plans, their impact and redeployment proposals
    RESTRUCTURE = "restructure"  # draft, commit and undo org events; run and decide redeployment proposals


POLICY: dict[Role, frozenset[Right]] = {
    Role.STAFF: frozenset({Right.READ_PEOPLE}),
    Role.MANAGER: frozenset({Right.READ_PEOPLE, Right.READ_EVALUATIONS, Right.EVALUATE_TEAM}),
    Role.HEAD: frozenset(
        {
            Right.READ_PEOPLE,
            Right.READ_IDENTITY,
            Right.READ_AUDIT,
            Right.READ_EVALUATIONS,
            Right.EVALUATE_TEAM,
            Right.APPROVE_EVALUATION,
            Right.READ_CONSEQUENCES,
            Right.DECIDE_CONSEQUENCES,
            Right.READ_RESTRUCTURING,
        }
    ),
    Role.HR: frozenset(
        {
            Right.READ_PEOPLE,
            Right.READ_SENSITIVE,
            Right.READ_IDENTITY,
            Right.WRITE_PEOPLE,
            Right.WRITE_ORG,
            Right.READ_AUDIT,
            Right.READ_EVALUATIONS,
            Right.MANAGE_EVALUATION,
            Right.RECONCILE,
            Right.READ_CONSEQUENCES,
            Right.MANAGE_CONSEQUENCES,
            Right.DECIDE_CONSEQUENCES,
            Right.READ_RESTRUCTURING,
            Right.RESTRUCTURE,
        }
    ),
    Role.INSPECTOR: frozenset(
        {Right.READ_PEOPLE, Right.READ_IDENTITY, Right.READ_AUDIT, Right.READ_EVALUATIONS, Right.READ_CONSEQUENCES,
         Right.READ_RESTRUCTURING}
    ),
    Role.ADMIN: frozenset(Right),
}
