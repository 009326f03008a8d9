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
