"""What every benchmarked system's worker process measures, the same way (bench/compare.py's protocol).

Plain Django, nothing of Shenfa: bench/compare_worker.py (Shenfa, bare viewflow) and
bench/wagtail_project/worker.py (Wagtail, in its own virtualenv) both import it.
"""
import gc
import os
import resource
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


def _process_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _backend_cpu(connection):
    """(backend pid, CPU seconds so far) of the PostgreSQL server process serving `connection`, when it runs on
    this machine and /proc shows it; None for SQLite (in-process) or when it cannot be read."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime and stime are fields 14 and 15 (proc(5)).
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(run, count):
    """Warm up with one lifecycle, count the statements of a second, then time `count` more.

    run(label) does one whole lifecycle. Queries are every statement the connection logs (Django's
    CaptureQueriesContext), transaction control included; they are counted outside the timed runs so that
    query logging does not slow the timed part. Besides wall time, the CPU time of the timed part is taken:
    this process's, plus the PostgreSQL backend's (SQLite runs in-process), a cost that other load on the
    machine does not inflate the way it does wall time. Returns a dict for compare.py.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run("warm")
    with CaptureQueriesContext(connection) as ctx:
        run("counted")
    sqls = [q["sql"] for q in ctx.captured_queries]
    gc.collect()
    backend0 = _backend_cpu(connection)
    cpu0 = _process_cpu()
    t0 = time.perf_counter()
    for k in range(count):
        run(k)
    seconds = time.perf_counter() - t0
    cpu = _process_cpu() - cpu0
    backend1 = _backend_cpu(connection)
    db_cpu = 0.0
    if backend0 is not None or connection.vendor == "postgresql":
        same_backend = backend0 is not None and backend1 is not None and backend0[0] == backend1[0]
        db_cpu = backend1[1] - backend0[1] if same_backend else None
    return {
        "lifecycles": count,
        "seconds": seconds,
        "rate": count / seconds,
        "cpu_seconds": cpu,
        "db_cpu_seconds": db_cpu,
        "cpu_rate": count / (cpu + db_cpu) if db_cpu is not None and cpu + db_cpu > 0 else None,
        "queries": len(sqls),
        "transaction_queries": sum(1 for sql in sqls if is_transaction_control(sql)),
        "database": database_version(connection),
    }
