"""REST API under /api/v1/ (django-ninja): parse → access → service → serialise."""
