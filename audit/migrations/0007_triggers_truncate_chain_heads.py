"""Triggers: records refuse TRUNCATE too (PostgreSQL), chain heads only move forward; SQLite gets triggers."""
from django.db import migrations

from audit import triggers


def forwards(apps, schema_editor):
    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_chain_per_agency_keyed_hashes")]
    operations = [migrations.RunPython(forwards, backwards)]
