"""Indexes for the people list at province scale (bench/web_pages.py).

- ``person_birth_year_sort``: the list sorted by year of birth, then name, pages in index order.
- PostgreSQL only: a trigram GIN index on ``search_name`` (extension pg_trgm), which answers the
  accent-insensitive search ``search_name LIKE '%word%'`` without reading every row. SQLite has no
  equivalent and scans, which is fine at its scale; hence RunPython with a vendor check rather than
  ``Meta.indexes`` (those apply to both databases).
"""

from django.db import migrations, models

TRIGRAM_INDEX = "personnel_person_search_name_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL ≥ 13): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON personnel_person USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")  # the extension stays: others may use it


class Migration(migrations.Migration):

    dependencies = [
        ("personnel", "0002_sort_key_length"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["birth_year", "sort_key", "id"], name="person_birth_year_sort"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
