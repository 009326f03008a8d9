"""The claimable queue's index (issue 15): open, unassigned review tasks by their agency and step labels.

viewflow's Task table belongs to viewflow, so the index is created here, on PostgreSQL only (SQLite cannot
match the JSON path that Django passes as a parameter to an expression index). workflow.permissions filters
on the same expressions (data -> 'agency', data -> 'step') next to the join through the item."""
from django.db import migrations

INDEX = "workflow_task_queue_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON viewflow_task ((data -> 'agency'), (data -> 'step')) "
            "WHERE status = 'NEW' AND owner_id IS NULL")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("workflow", "0006_category_cleanup_interval_range"),
    ]

    operations = [migrations.RunPython(create, drop)]
