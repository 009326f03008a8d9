"""The hostile files of issue 11 through a real web server: each upload answered at once, the server's memory
flat, and the worker giving each file a verdict within its limits.

    python bench/bench_hostile_web.py [--db sqlite|postgres] [--scale 1.0]

Starts gunicorn (one sync worker, production-like) on a fresh benchmark database with the embedded job
backend ("process": a worker process per job, under the job kind's OS limits, which runs the privacy sandbox),
logs in as a drafter, uploads each hostile file through the item form (/items/new/), and prints per file: the
response status and time, the web worker's resident memory after the request (VmRSS) and its peak (VmHWM); then
waits for the scans and prints each verdict with the sandbox child's wall time and peak memory. The attachment
limit of the app (20 MB by default) refuses the largest files at upload with a 400, as it should."""
from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import dbs
from tests.privacy.hostile import build

PASSWORD = "bench-hostile-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid: int) -> tuple[int, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def gunicorn_worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def main(argv=None):
    import requests

    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args(argv)

    dbs.fresh_database(a.db)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings.bench", "DATABASE_URL": dbs.url(a.db),
           "SECRET_KEY": secrets.token_urlsafe(50), "MEDIA_ROOT": tempfile.mkdtemp(prefix="shenfa-hostile-media-")}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    setup = (
        "from core.models import Agency, Membership, Role; from django.contrib.auth import get_user_model;"
        "a = Agency.objects.create(code='HOSTILE000000000001', name='压力测试局');"
        f"u = get_user_model().objects.create_user('drafter', password='{PASSWORD}');"
        "Membership.objects.create(user=u, agency=a, role=Role.DRAFTER)"
    )
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "project.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
                               "--timeout", "120"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        worker = gunicorn_worker_pid(server.pid)
        session = requests.Session()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(f"{base}/login/").text).group(1)
        session.post(f"{base}/login/", data={"username": "drafter", "password": PASSWORD,
                                             "csrfmiddlewaretoken": token})
        with tempfile.TemporaryDirectory() as tmp:
            files = build(tmp, a.scale)
            print(f"{len(files)} hostile files (scale {a.scale}), {a.db}, load {os.getloadavg()[0]:.1f}, "
                  f"{os.cpu_count()} CPUs; web worker before: RSS/peak {memory(worker)} MiB")
            print(f"{'file':<30} {'bytes':>12} {'status':>6} {'resp s':>7} {'RSS MiB':>8} {'peak MiB':>8}")
            for name, _what in files:
                data = (Path(tmp) / name).read_bytes()
                page = session.get(f"{base}/items/new/")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
                started = time.perf_counter()
                response = session.post(f"{base}/items/new/", data={
                    "csrfmiddlewaretoken": token, "title": f"附件测试 {name}", "created_date": "2026-03-02",
                    "info_type": "general", "carrier": "official", "channel": "website",
                    "disclosure_mode": "proactive", "scope": "public", "body": "<p>见附件。</p>"},
                    files={"attachments": (name, data)}, timeout=120)
                took = time.perf_counter() - started
                rss, peak = memory(worker)
                print(f"{name:<30} {len(data):>12,} {response.status_code:>6} {took:>7.2f} {rss:>8} {peak:>8}",
                      flush=True)
        print("waiting for the worker's verdicts ...", flush=True)
        report = (
            "import time, json\n"
            "from workflow.models import AttachmentScan\n"
            "deadline = time.time() + 1800\n"
            "while AttachmentScan.objects.filter(status='pending').exists() and time.time() < deadline:\n"
            "    time.sleep(2)\n"
            "for s in AttachmentScan.objects.order_by('name'):\n"
            "    r = s.report or {}\n"
            "    run = r.get('run') or {}\n"
            "    kinds = sorted({f['kind'] for f in r.get('findings', [])})\n"
            "    limit = next((f.get('context', '') for f in r.get('findings', []) if f['kind'] == 'incomplete'), '')\n"
            "    print(f\"{s.name:<30} {s.status:>8} {run.get('wall', 0):>7.2f} "
            "{(run.get('peak_rss_bytes') or 0) / 2**20:>8.0f} {'blocking' if r.get('blocking') else 'clean':>8}  "
            "{','.join(kinds)} {limit[:60]}\")\n"
        )
        print(f"{'file':<30} {'scan':>8} {'wall s':>7} {'peak MiB':>8} {'verdict':>8}  kinds")
        subprocess.run([*manage, "shell", "-c", report], env=env, check=True)
        rss, peak = memory(worker)
        print(f"web worker after all uploads: RSS {rss} MiB, peak {peak} MiB")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
