"""Shared infrastructure: audit trail, job runs, scope objects. Knows nothing about areas above it."""
