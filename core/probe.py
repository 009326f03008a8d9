"""A diagnostic job kind ("core.probe"): checks that the worker's limits hold on this machine.

`params`: {"allocate_mb": N} tries to allocate N MiB; {"sleep": S} sleeps S seconds; {"spin": S} burns CPU.
An operator enqueues it (`manage.py shell`, the tests) and sees it fail with the memory or time reason."""
import time

MAX_PARAM = 100_000


def probe_job(job, progress):
    params = job.params or {}
    mb = min(int(params.get("allocate_mb", 0) or 0), MAX_PARAM)
    blocks = [bytearray(1024 * 1024) for _ in range(mb)]
    progress(50, f"allocated {len(blocks)} MiB")
    time.sleep(min(float(params.get("sleep", 0) or 0), MAX_PARAM))
    deadline = time.monotonic() + min(float(params.get("spin", 0) or 0), MAX_PARAM)
    while time.monotonic() < deadline:
        pass
    return {"allocated_mb": len(blocks)}
