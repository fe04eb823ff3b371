"""Reconciliation of the register with the national population database: runs, work queue, cleaning."""
