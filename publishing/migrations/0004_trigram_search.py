"""Trigram indexes for the public catalogue search on PostgreSQL.

Chinese has no spaces, so a 'simple' tsvector would index whole sentences as single words; pg_trgm
indexes every three-character window and serves ILIKE '%词%' searches (three characters or more).
SQLite (the embedded default) skips this and searches with a plain LIKE scan."""
from django.db import migrations, transaction

INDEXES = (
    "CREATE INDEX IF NOT EXISTS publishing_entry_title_trgm ON publishing_publicentry USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS publishing_entry_body_trgm ON publishing_publicentry "
    "USING gin (body_text gin_trgm_ops)",
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001  no privilege to create it: search still works, without the index
        return
    for sql in INDEXES:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS publishing_entry_title_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS publishing_entry_body_trgm")


class Migration(migrations.Migration):
    dependencies = [("publishing", "0003_catalogue_deadlines_cleanup")]
    operations = [migrations.RunPython(forwards, backwards)]
