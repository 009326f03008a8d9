"""More than one server: two app server processes (gunicorn, production settings) and a Celery worker share one
PostgreSQL, Redis and an S3-compatible object store (moto's server). Items are published from both servers at
once; 索引号 stay unique and gapless, the audit trail verifies, and a file uploaded through one server is
scanned by the worker and downloaded through the other."""
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from audit.verify import verify_chain
from core.models import Job, JobStatus
from tests.factories import build_world
from workflow import actions
from workflow.models import AttachmentScan, Information, ReviewPolicy, ScanStatus

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pass12345!"  # tests/factories.make_user
ITEMS = 6


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def deployment(tmp_path):
    if connection.vendor != "postgresql" or not redis_up():
        pytest.skip("needs PostgreSQL and Redis (the production services)")
    from moto.server import ThreadedMotoServer

    s3_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port)
    moto.start()
    import boto3

    bucket = f"shenfa-test-{os.getpid()}"
    boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test").create_bucket(Bucket=bucket)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": "redis://127.0.0.1:6379/7",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/7",
        "CELERY_QUEUE": f"shenfa-deploy-{os.getpid()}",
        "S3_BUCKET": bucket, "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}", "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test",
        "JOBS_BACKEND": "celery",
        # the same audit key as the test settings, so that this process verifies what the servers signed
        "SHENFA_AUDIT_KEY": "test:test-audit-key-not-a-secret-0123456789",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    # the deployment step every server image runs: hashed, compressed static files for WhiteNoise
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    ports = [free_port(), free_port()]
    procs = [subprocess.Popen([sys.executable, "-m", "gunicorn", "project.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                               "--log-level", "warning"], cwd=ROOT, env=env, stdout=tmp_path.joinpath(f"web{port}.log")
                              .open("wb"), stderr=subprocess.STDOUT, start_new_session=True) for port in ports]
    procs.append(subprocess.Popen([sys.executable, "-m", "celery", "-A", "project", "worker", "--pool", "solo",
                                   "-Q", env["CELERY_QUEUE"], "--loglevel", "WARNING"], cwd=ROOT, env=env,
                                  stdout=tmp_path.joinpath("worker.log").open("wb"), stderr=subprocess.STDOUT,
                                  start_new_session=True))
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/login/")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
        moto.stop()


def login(base, username):
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base}/login/", data={"username": username, "password": PASSWORD,
                                                    "csrfmiddlewaretoken": token}, timeout=10)
    assert response.status_code == 200 and "/login/" not in response.url, response.url
    return session


def csrf(session, base, path):
    page = session.get(f"{base}{path}", timeout=10)
    assert page.status_code == 200, (path, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def wait_scans(seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not AttachmentScan.objects.filter(status=ScanStatus.PENDING).exists():
            return
        time.sleep(0.5)
    raise AssertionError(f"scans still pending: {list(Job.objects.values_list('status', 'error'))}")


def test_two_app_servers_and_a_worker_share_the_work(deployment):
    server_a, server_b = deployment
    world = build_world()
    # the servers run production's password hashers (the test settings use a fast one)
    for who in ("drafter", "publisher"):
        user = world.people[who]
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
        user.save(update_fields=["password"])
    ReviewPolicy.objects.create(name="两审（部署测试）", agency=world.dept, steps=["first_review", "secrecy_review"])
    # given items drafted through server A, each with an attachment stored in the object store
    drafter = login(server_a, "drafter")
    for n in range(ITEMS):
        token = csrf(drafter, server_a, "/items/new/")
        response = drafter.post(f"{server_a}/items/new/", data={
            "csrfmiddlewaretoken": token, "title": f"关于2024年度政务公开工作要点的通知（{n}）",
            "created_date": "2026-03-02", "info_type": "general", "carrier": "official", "channels": ["website"],
            "disclosure_mode": "proactive", "scope": "public", "body": "<p>现将工作要点印发给你们。</p>"},
            files={"attachments": (f"附件{n}.csv", f"序号,事项\n{n},政务公开\n".encode())}, timeout=30)
        assert response.status_code == 200 and "/items/" in response.url, response.text[:500]
    items = list(Information.objects.filter(agency=world.dept).order_by("pk"))
    assert len(items) == ITEMS
    # the worker scans the files (read from the object store), then the reviews pass
    wait_scans()
    for item in items:
        actions.submit_item(actor=world.drafter, item=item)
        for who in ("first", "secrecy"):
            task = actions.open_task_for(item)
            actions.claim_task(actor=world.people[who], task=task)
            actions.approve_step(actor=world.people[who], task=task,
                                 secrecy={"result": "disclosable"} if who == "secrecy" else None)
    # when the publisher publishes from both servers at once
    sessions = {server_a: login(server_a, "publisher"), server_b: login(server_b, "publisher")}
    results = []

    def publish(item, base):
        session = sessions[base]
        token = csrf(session, base, f"/items/{item.pk}/")
        results.append(session.post(f"{base}/items/{item.pk}/publish/", data={"csrfmiddlewaretoken": token, "at": ""},
                                    timeout=30).status_code)

    threads = [threading.Thread(target=publish, args=(item, (server_a, server_b)[i % 2]))
               for i, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # then every item is published once, with gapless index numbers, and the trail verifies
    assert results == [200] * ITEMS, results
    numbers = sorted(Information.objects.filter(agency=world.dept).values_list("index_number", flat=True))
    serials = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert serials == list(range(1, ITEMS + 1)), numbers
    assert verify_chain().ok
    # and a file uploaded through server A downloads through server B
    item = items[0]
    attachment = item.current_revision.attachments.get()
    viewer = login(server_b, "drafter")
    download = viewer.get(f"{server_b}/items/{item.pk}/attachments/{attachment.pk}/", timeout=30)
    assert download.status_code == 200 and download.content.decode().startswith("序号,事项")
    assert Job.objects.filter(status=JobStatus.DONE).count() >= ITEMS
