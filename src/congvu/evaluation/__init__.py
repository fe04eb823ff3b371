"""Decree 335/2025 KPI evaluation: catalogues, periods, monthly work, scoring, annual classification."""
