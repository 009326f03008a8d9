"""Database triggers that keep the audit tables append-only and the chain heads moving forward only.

PostgreSQL: records refuse UPDATE, DELETE and TRUNCATE; chain heads refuse DELETE and TRUNCATE, and an UPDATE
must advance the head (more records, a later seq, the new last hash being the hash of the chain's record at
that position). The table owner (or a superuser) can still disable or drop triggers: run the application
under a role that owns nothing (docs/notes-h-audit.md). SQLite: the same rules for UPDATE/DELETE (SQLite has
no TRUNCATE and no roles: the triggers stop the application's own mistakes, not someone with the file)."""

PG_INSTALL = """
CREATE OR REPLACE FUNCTION shenfa_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_auditrecord is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditrecord;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord
  FOR EACH ROW EXECUTE FUNCTION shenfa_audit_append_only();
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditrecord;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditrecord
  FOR EACH STATEMENT EXECUTE FUNCTION shenfa_audit_append_only();

CREATE OR REPLACE FUNCTION shenfa_audit_chain_forward() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.chain = OLD.chain AND NOT OLD.closed AND NEW.closed = OLD.closed
     AND NEW.count > OLD.count AND NEW.last_seq > OLD.last_seq
     AND EXISTS (SELECT 1 FROM audit_auditrecord r
                 WHERE r.chain = NEW.chain AND r.chain_seq = NEW.count AND r.hash = NEW.last_hash) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit chain heads only move forward (% of % refused)', TG_OP, OLD.chain;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_chain_forward ON audit_auditchain;
CREATE TRIGGER audit_chain_forward BEFORE UPDATE OR DELETE ON audit_auditchain
  FOR EACH ROW EXECUTE FUNCTION shenfa_audit_chain_forward();
DROP TRIGGER IF EXISTS audit_chain_no_truncate ON audit_auditchain;
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_auditchain
  FOR EACH STATEMENT EXECUTE FUNCTION shenfa_audit_append_only();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditrecord;
DROP TRIGGER IF EXISTS audit_chain_forward ON audit_auditchain;
DROP TRIGGER IF EXISTS audit_chain_no_truncate ON audit_auditchain;
DROP FUNCTION IF EXISTS shenfa_audit_chain_forward();
"""

SQLITE_TRIGGERS = {
    "audit_no_update": "BEFORE UPDATE ON audit_auditrecord BEGIN "
                       "SELECT RAISE(ABORT, 'audit_auditrecord is append-only (UPDATE refused)'); END",
    "audit_no_delete": "BEFORE DELETE ON audit_auditrecord BEGIN "
                       "SELECT RAISE(ABORT, 'audit_auditrecord is append-only (DELETE refused)'); END",
    "audit_chain_no_delete": "BEFORE DELETE ON audit_auditchain BEGIN "
                             "SELECT RAISE(ABORT, 'audit chain heads only move forward (DELETE refused)'); END",
    "audit_chain_forward": (
        "BEFORE UPDATE ON audit_auditchain WHEN NOT (NEW.chain = OLD.chain AND NOT OLD.closed "
        "AND NEW.closed = OLD.closed AND NEW.count > OLD.count AND NEW.last_seq > OLD.last_seq "
        "AND EXISTS (SELECT 1 FROM audit_auditrecord r WHERE r.chain = NEW.chain AND r.chain_seq = NEW.count "
        "AND r.hash = NEW.last_hash)) BEGIN "
        "SELECT RAISE(ABORT, 'audit chain heads only move forward (UPDATE refused)'); END"),
}


def install(connection):
    """Create the triggers (idempotent). SQLite loses them when a migration rebuilds a table: apps.py
    calls this again after every migrate."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(PG_INSTALL)  # no params: '%' in plpgsql is not a placeholder
        elif connection.vendor == "sqlite":
            for name, body in SQLITE_TRIGGERS.items():
                cur.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def uninstall(connection):
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(PG_DROP)
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")


def around_flush(vendor, sql_list):
    """Statements for a test database flush (TRUNCATE/DELETE of every table) that the triggers let through:
    PostgreSQL skips triggers for the flush's transaction (superuser only: session_replication_role);
    SQLite drops and re-creates them. Used by tests/conftest.py only."""
    if not sql_list:
        return sql_list
    if vendor == "postgresql":
        return ["SET LOCAL session_replication_role = replica", *sql_list]
    if vendor == "sqlite":
        drop = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
        create = [f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
        return [*drop, *sql_list, *create]
    return sql_list
