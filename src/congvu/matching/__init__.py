"""The reconciliation engine, without Django: readers, normalisation, exact and probabilistic matching."""
