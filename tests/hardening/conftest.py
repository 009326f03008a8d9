"""Fixtures for the hardening tests: real parallel connections, DB snapshots, PostgreSQL detection."""
import threading

import pytest
from django.db import connection, connections
from viewflow.workflow.models import Process, Task

from audit.models import AuditChain, AuditRecord
from publishing.models import IndexCounter
from workflow.models import Attachment, AttachmentBlob, Information, ReviewRound, Revision, StepDecision


def is_postgres():
    return connection.vendor == "postgresql"




def pg_only():
    if not is_postgres():
        pytest.skip("needs PostgreSQL (real row locks between parallel connections)")


def run_parallel(*funcs, timeout=60):
    """Run each function in its own thread with its own database connection, all released at once.

    Returns a list of ("ok", value) or ("error", exception) in the order of `funcs`."""
    barrier = threading.Barrier(len(funcs))
    results = [None] * len(funcs)

    def runner(i, fn):
        try:
            barrier.wait(timeout=timeout)
            results[i] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(funcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a worker thread hung (deadlock?)"
    return results


def snapshot(item=None):
    """Everything an action may touch, as comparable plain data."""
    head = sorted(AuditChain.objects.values_list("chain", "count", "last_hash"))
    data = {
        "audit": AuditRecord.objects.count(),
        "head": head,
        "items": sorted(Information.objects.values_list(
            "pk", "status", "title", "body", "current_revision_id", "published_revision_id", "online",
            "index_number", "publish_at", "offline_reason")),
        "revisions": Revision.objects.count(),
        "attachments": Attachment.objects.count(),
        "blobs": AttachmentBlob.objects.count(),
        "rounds": sorted(ReviewRound.objects.values_list("pk", "status", "position")),
        "decisions": sorted(StepDecision.objects.values_list("pk", "decision", "voided")),
        "tasks": sorted(Task.objects.values_list("pk", "status", "owner_id")),
        "processes": sorted(Process.objects.values_list("pk", "status")),
        "counters": sorted(IndexCounter.objects.values_list("agency_id", "period", "last_serial")),
    }
    return data
