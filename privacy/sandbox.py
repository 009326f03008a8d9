"""Run a scan or a mask in a child process under OS limits (no Django here).

    from privacy.sandbox import scan_file_isolated, mask_file_isolated
    report = scan_file_isolated("/srv/media/x.xlsx", "低保名单.xlsx", options={...}, limits=Limits())
    result = mask_file_isolated("/srv/media/x.xlsx", "低保名单.xlsx", "/tmp/out.xlsx", options={...})

The parent starts ``python -m privacy.sandbox`` in a new session with ``RLIMIT_AS`` (address
space) and ``RLIMIT_CPU`` set in ``preexec_fn``; the input goes as a file path, the report comes
back as JSON on stdout and masked bytes go to an output file.  The parent waits at most
``limits.wall_seconds`` (plus a short grace for the child to report the limit itself) and then
kills the whole process group.  A child killed for time or memory, or one that dies otherwise,
becomes a blocking ``incomplete`` finding naming the limit, so the caller always gets a verdict.

``options``: ``sensitive_words``, ``wording_rules``, ``public_values`` (lists) and, for scans,
``include_values`` (default False: the stored report carries no raw personal data).
The job worker (Celery in production, a local process in the demo) calls these functions.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

from .kinds import INCOMPLETE
from .limits import DEFAULT_LIMITS, LimitExceeded, Limits

__all__ = ["scan_file_isolated", "mask_file_isolated", "convert_file_isolated", "run_isolated", "GRACE_SECONDS"]

GRACE_SECONDS = 5.0      # the child's own guard stops at wall_seconds; the parent kills after this grace
_CPU_GRACE = 5           # RLIMIT_CPU = cpu_seconds + this (the guard reports first)
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _preexec(limits: Limits):
    as_bytes = int(limits.address_space_bytes)
    cpu = int(limits.cpu_seconds) + _CPU_GRACE

    def apply():  # runs in the child between fork and exec: keep it to system calls
        resource.setrlimit(resource.RLIMIT_AS, (as_bytes, as_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _incomplete_report(name: str, limit: str, limits: Limits, detail: str = "") -> dict:
    from .scanner import Finding, Location, ScanReport  # noqa: PLC0415

    value = getattr(limits, limit, None)
    message = LimitExceeded(limit, name, value, detail).message
    report = ScanReport()
    report.add(Finding(INCOMPLETE, message, message, Location(source=name), limit))
    return report.to_json()


def run_isolated(args: list[str], limits: Limits) -> dict:
    """Run ``python -m privacy.sandbox ARGS`` under the limits.  Returns ``{"returncode",
    "stdout", "stderr", "killed" (None, "wall_seconds", "cpu_seconds", "address_space_bytes",
    "signal"), "wall", "cpu", "peak_rss_bytes"}``; the peak is the child's VmHWM (reported by the
    child at exit, polled by the parent while it runs)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "privacy.sandbox", *args], stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err, cwd=_PACKAGE_ROOT, env=env, start_new_session=True,
                                preexec_fn=_preexec(limits))
        deadline = started + limits.wall_seconds + GRACE_SECONDS
        killed = None
        status = rusage = None
        delay = 0.005
        hwm = 0
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            hwm = max(hwm, _vm_hwm(f"/proc/{proc.pid}/status"))
            if time.monotonic() > deadline:
                killed = "wall_seconds"
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                _pid, status, rusage = os.wait4(proc.pid, 0)
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        try:  # grandchildren, if any, go with the group
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read()
        stderr = err.read()[-4000:].decode("utf-8", "replace")
    # the child prints its own high-water mark last; ru_maxrss would include the parent's size at fork
    tail = stderr.rstrip().rsplit("\n", 1)[-1]
    if tail.startswith("privacy.sandbox VmHWM "):
        hwm = max(hwm, int(tail.split()[-1]) * 1024)
        stderr = stderr.rstrip()[:-len(tail)]
    rc = proc.returncode
    if killed is None and rc < 0:
        sig = -rc
        if sig in (signal.SIGXCPU, signal.SIGKILL) and rusage.ru_utime + rusage.ru_stime >= limits.cpu_seconds:
            killed = "cpu_seconds"
        else:
            killed = "signal"
    if killed is None and rc != 0 and "MemoryError" in stderr:
        killed = "address_space_bytes"
    return {"returncode": rc, "stdout": stdout, "stderr": stderr, "killed": killed, "wall": wall,
            "cpu": rusage.ru_utime + rusage.ru_stime, "peak_rss_bytes": hwm}


def _vm_hwm(path: str) -> int:
    """Peak resident memory (VmHWM) of a process in bytes, 0 if unknown."""
    try:
        with open(path, "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _common_args(path: str, name: str, options: dict | None, limits: Limits) -> list[str]:
    return ["--input", os.path.abspath(path), "--name", name, "--options", json.dumps(options or {}),
            "--limits", json.dumps(limits.to_dict())]


def scan_file_isolated(path: str, name: str, *, options: dict | None = None, limits: Limits | None = None) -> dict:
    """Scan one attachment (read from ``path``; ``name`` decides the format and appears in the
    findings) in a child process.  Returns the report dict (``ScanReport.to_json()``) plus
    ``"run"``: wall, cpu, peak_rss_bytes (the child's VmHWM), killed."""
    limits = limits or DEFAULT_LIMITS
    res = run_isolated(["scan", *_common_args(path, name, options, limits)], limits)
    report = None
    if res["killed"] is None and res["returncode"] == 0:
        try:
            report = json.loads(res["stdout"])
        except ValueError:
            report = None
    if report is None:
        limit = res["killed"] if res["killed"] in ("wall_seconds", "cpu_seconds", "address_space_bytes") \
            else "address_space_bytes" if "MemoryError" in res["stderr"] else None
        report = _incomplete_report(name, limit, limits) if limit else _crash_report(name, res)
    report["run"] = {k: res[k] for k in ("wall", "cpu", "peak_rss_bytes", "killed", "returncode")}
    return report


def _crash_report(name: str, res: dict) -> dict:
    from .scanner import Finding, Location, ScanReport  # noqa: PLC0415

    message = f"无法完成预检：附件“{name}”的检查进程异常退出（代码 {res['returncode']}），请由保密审查人人工核查"
    report = ScanReport()
    report.add(Finding(INCOMPLETE, message, message, Location(source=name), "crash"))
    return report.to_json()


def mask_file_isolated(path: str, name: str, output_path: str, *, options: dict | None = None,
                       limits: Limits | None = None) -> dict:
    """Mask one attachment in a child process; the masked bytes are written to ``output_path``.
    Returns ``{"ok": bool, "count": n, "error": Chinese message or None, "limit": name or None,
    "run": {...}}``."""
    limits = limits or DEFAULT_LIMITS
    res = run_isolated(["mask", *_common_args(path, name, options, limits), "--output", os.path.abspath(output_path)],
                       limits)
    result = None
    if res["killed"] is None and res["returncode"] == 0:
        try:
            result = json.loads(res["stdout"])
        except ValueError:
            result = None
    if result is None:
        limit = res["killed"] if res["killed"] in ("wall_seconds", "cpu_seconds", "address_space_bytes") else None
        msg = LimitExceeded(limit, name, getattr(limits, limit)).message if limit else \
            f"附件“{name}”的脱敏进程异常退出（代码 {res['returncode']}），不能自动脱敏"
        result = {"ok": False, "count": 0, "error": msg, "limit": limit}
        try:
            os.unlink(output_path)
        except FileNotFoundError:
            pass
    result["run"] = {k: res[k] for k in ("wall", "cpu", "peak_rss_bytes", "killed", "returncode")}
    return result


def convert_file_isolated(path: str, name: str, *, limits: Limits | None = None) -> dict:
    """A DOCX or XLSX as HTML (privacy.convert.to_html) in a child under the limits. Returns
    ``{"ok", "html", "images": [(name, bytes, content_type)], "messages", "error"}``; a child killed for
    time or memory, or a damaged file, gives ok=False with a Chinese error."""
    limits = limits or DEFAULT_LIMITS
    args = ["convert", *_common_args(path, name, None, limits)]
    res = run_isolated(args, limits)
    if res["killed"]:
        limit = res["killed"] if res["killed"] != "signal" else "address_space_bytes"
        message = LimitExceeded(limit, name, getattr(limits, limit, None)).message.replace("无法完成预检", "无法转换")
        return {"ok": False, "html": "", "images": [], "messages": [], "error": message}
    try:
        out = json.loads(res["stdout"].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {"ok": False, "html": "", "images": [], "messages": [], "error": f"文件“{name}”无法转换"}
    out["images"] = [(n, base64.b64decode(b), t) for n, b, t in out.get("images") or []]
    return out


# ---------------------------------------------------------------- the child

def _child(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m privacy.sandbox")
    ap.add_argument("mode", choices=["scan", "mask", "convert"])
    ap.add_argument("--input", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--options", default="{}")
    ap.add_argument("--limits", default="{}")
    ap.add_argument("--output")
    a = ap.parse_args(argv)
    options = json.loads(a.options)
    limits = Limits.from_dict(json.loads(a.limits))
    size = os.path.getsize(a.input)
    if a.mode == "convert":
        from .convert import to_html  # noqa: PLC0415
        from .limits import ExtractionError  # noqa: PLC0415

        try:
            if size > limits.file_bytes:
                raise LimitExceeded("file_bytes", a.name, limits.file_bytes)
            with open(a.input, "rb") as fh:
                data = fh.read()
            res = to_html(a.name, data, limits)
            result = {"ok": True, "html": res["html"], "messages": res["messages"], "error": None,
                      "images": [(n, base64.b64encode(b).decode("ascii"), t) for n, b, t in res["images"]]}
        except ExtractionError as exc:
            result = {"ok": False, "html": "", "images": [], "messages": [],
                      "error": exc.message.replace("无法完成预检", "无法转换")}
        sys.stdout.write(json.dumps(result, ensure_ascii=False))
        return 0
    if a.mode == "scan":
        from .scanner import scan  # noqa: PLC0415

        include = bool(options.pop("include_values", False))
        if size > limits.file_bytes:
            report = _incomplete_report(a.name, "file_bytes", limits)
        else:
            with open(a.input, "rb") as fh:
                data = fh.read()
            report = scan(None, [(a.name, data)], sensitive_words=options.get("sensitive_words") or (),
                          wording_rules=options.get("wording_rules") or (),
                          public_values=options.get("public_values") or (), limits=limits).to_json(include)
        sys.stdout.write(json.dumps(report, ensure_ascii=False))
        return 0
    from .maskers import MaskError, mask_attachment  # noqa: PLC0415

    if not a.output:
        ap.error("--output is required for mask")
    try:
        if size > limits.file_bytes:
            raise MaskError(LimitExceeded("file_bytes", a.name, limits.file_bytes).message, "file_bytes")
        with open(a.input, "rb") as fh:
            data = fh.read()
        masked, count = mask_attachment(a.name, data, sensitive_words=options.get("sensitive_words") or (),
                                        public_values=options.get("public_values") or (), limits=limits)
        with open(a.output, "wb") as fh:
            fh.write(masked)
        result = {"ok": True, "count": count, "error": None, "limit": None}
    except MaskError as exc:
        result = {"ok": False, "count": 0, "error": exc.message, "limit": exc.limit}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


def _main() -> int:
    try:
        return _child()
    finally:
        sys.stdout.flush()
        sys.stderr.write(f"\nprivacy.sandbox VmHWM {_vm_hwm('/proc/self/status') // 1024}\n")


if __name__ == "__main__":
    sys.exit(_main())
