"""What every benchmarked system's worker process measures, the same way (bench/compare.py's protocol).

Plain Django, nothing of Shenfa: bench/compare_worker.py (Shenfa, bare viewflow) and
bench/wagtail_project/worker.py (Wagtail, in its own virtualenv) both import it.
"""
import gc
import time

#: Statements that only control the transaction. Django logs BEGIN/COMMIT/ROLLBACK into the connection's query
#: log too (django.db.backends.utils.debug_transaction), savepoints go through the cursor.
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def request_user(user):
    """A fresh copy of `user`, as the authentication middleware loads it for each request.

    Both systems cache things on the user object (Shenfa its roles per agency, Wagtail its group checks and
    permissions); one object kept across a whole benchmark would let every action after the first skip those
    queries, which no real request does. The load itself (one query per request in both) is left out."""
    names = [f.attname for f in type(user)._meta.concrete_fields]
    return type(user).from_db(user._state.db, names, [getattr(user, n) for n in names])


def is_transaction_control(sql):
    return sql.lstrip().upper().startswith(_TRANSACTION_CONTROL)


def database_version(connection):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{rest % 100}"
    return connection.vendor


def measure(run, count):
    """Warm up with one lifecycle, count the statements of a second, then time `count` more.

    run(label) does one whole lifecycle. Queries are every statement the connection logs (Django's
    CaptureQueriesContext), transaction control included; they are counted outside the timed runs so that
    query logging does not slow the timed part. Returns a dict for compare.py.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run("warm")
    with CaptureQueriesContext(connection) as ctx:
        run("counted")
    sqls = [q["sql"] for q in ctx.captured_queries]
    gc.collect()
    t0 = time.perf_counter()
    for k in range(count):
        run(k)
    seconds = time.perf_counter() - t0
    return {
        "lifecycles": count,
        "seconds": seconds,
        "rate": count / seconds,
        "queries": len(sqls),
        "transaction_queries": sum(1 for sql in sqls if is_transaction_control(sql)),
        "database": database_version(connection),
    }
