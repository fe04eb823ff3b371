"""Roles bound to org subtrees, and the one module every read and write goes through."""
