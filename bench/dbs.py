"""The benchmark databases: a SQLite file in /tmp, or the `shenfa_bench` database on the PostgreSQL server."""
import os

SQLITE_PATH = os.environ.get("BENCH_SQLITE", "/tmp/shenfa-bench.sqlite3")
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("BENCH_PG_NAME", "shenfa_bench")


def url(db):
    return f"sqlite:///{SQLITE_PATH}" if db == "sqlite" else f"{PG_SERVER}/{PG_NAME}"


def configure(db):
    os.environ["DATABASE_URL"] = url(db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings.bench"


def fresh_database(db, keep=False):
    """Point Django at the benchmark database; unless `keep`, drop and recreate it empty."""
    configure(db)
    if keep:
        return
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(SQLITE_PATH + suffix):
                os.remove(SQLITE_PATH + suffix)
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_NAME}"')


# --- named databases (bench/compare.py keeps one per system) -------------------------------------------------

def named_url(db, name):
    """URL of the benchmark database `name`: /tmp/<name>.sqlite3, or <name> (dashes as underscores) on the server."""
    return f"sqlite:////tmp/{name}.sqlite3" if db == "sqlite" else f"{PG_SERVER}/{name.replace('-', '_')}"


def recreate_named(db, name):
    """Drop the benchmark database `name` if it exists and create it empty; return its URL."""
    url_ = named_url(db, name)
    if db == "sqlite":
        path = url_.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return url_
    import psycopg

    pg_name = name.replace("-", "_")
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{pg_name}"')
    return url_


def clone_named(db, source, target):
    """Replace the benchmark database `target` with a copy of `source` (no one may be connected to it)."""
    if db == "sqlite":
        import sqlite3

        recreate_named(db, target)
        src = sqlite3.connect(named_url(db, source).removeprefix("sqlite:///"))
        dst = sqlite3.connect(named_url(db, target).removeprefix("sqlite:///"))
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        return named_url(db, target)
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.replace("-", "_")}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target.replace("-", "_")}" TEMPLATE "{source.replace("-", "_")}"')
    return named_url(db, target)


def server_version(db):
    """The database engine's version as the benchmark reports it."""
    if db == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]
