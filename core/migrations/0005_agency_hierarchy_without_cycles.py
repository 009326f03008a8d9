"""The agency hierarchy refuses cycles in the database too (Agency.clean refuses them in forms and the admin):
a trigger on PostgreSQL and SQLite walks up from the new parent and aborts if it reaches the agency itself."""
from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION core_agency_no_cycle() RETURNS trigger AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE up(id) AS (
            SELECT NEW.parent_id
            UNION
            SELECT a.parent_id FROM core_agency a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL
        ) SELECT 1 FROM up WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'core_agency: an agency cannot be its own ancestor (agency %)', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_agency_no_cycle ON core_agency;
CREATE TRIGGER core_agency_no_cycle BEFORE INSERT OR UPDATE OF parent_id ON core_agency
    FOR EACH ROW EXECUTE FUNCTION core_agency_no_cycle();
"""
PG_DROP = "DROP TRIGGER IF EXISTS core_agency_no_cycle ON core_agency; DROP FUNCTION IF EXISTS core_agency_no_cycle();"

SQLITE_CONDITION = """
WHEN NEW.parent_id IS NOT NULL AND EXISTS (
    WITH RECURSIVE up(id) AS (
        SELECT NEW.parent_id
        UNION
        SELECT a.parent_id FROM core_agency a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL
    ) SELECT 1 FROM up WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'core_agency: an agency cannot be its own ancestor'); END
"""
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS core_agency_no_cycle_update BEFORE UPDATE OF parent_id ON core_agency "
    f"{SQLITE_CONDITION}",
    f"CREATE TRIGGER IF NOT EXISTS core_agency_no_cycle_insert BEFORE INSERT ON core_agency {SQLITE_CONDITION}",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS core_agency_no_cycle_update", "DROP TRIGGER IF EXISTS core_agency_no_cycle_insert"]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_prescan_gate")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
