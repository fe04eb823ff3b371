"""Công vụ KPI: personnel register, KPI evaluation and reconciliation for Vietnam's public sector."""

__version__ = "0.1.0"
