"""Every code shown to a person has a Chinese label (issue 13 item 6): audit actions, state transitions,
the audit page's filters (by label, items by 索引号/文号), and its year selector."""
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import published, register
from web.templatetags.shenfa import ACTION_LABELS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'action="([a-z_]+(?:\.[a-z_]+){1,3})"')


def test_every_audit_action_written_by_the_code_has_a_chinese_label():
    codes = set()
    for folder in ("core", "audit", "notices", "workflow", "publishing", "disclosure", "reports", "api", "web"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts and "tests" not in path.parts:
                codes |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    codes = {c for c in codes if not c.endswith(".")}
    assert codes and not codes - set(ACTION_LABELS), sorted(codes - set(ACTION_LABELS))


@freeze_time("2026-03-02 10:00")
def test_request_page_shows_labels_not_codes(client, world):
    app = register(world)
    client.force_login(world.handler)
    client.post(reverse("disclosure:act", args=[app.pk, "reply"]),
                {"reply-outcome": "disclosed", "reply-body": "经审查，予以公开。"})
    html = client.get(reverse("disclosure:detail", args=[app.pk])).content.decode()
    assert "登记申请" in html and "办理中 → 待合法性审查" in html
    assert "disclosure.application.register" not in html and "processing → legal_review" not in html


def test_audit_page_filters_by_label_and_asks_for_index_numbers_not_ids(client, world):
    item = published(world)
    client.force_login(world.auditor)
    html = client.get(reverse("audit:index")).content.decode()
    assert '<option value="workflow.review.approve">审核同意</option>' in html
    assert "信息编号" not in html and "索引号或文号" in html
    resp = client.get(reverse("audit:export"), {"format": "jsonl", "item": item.index_number})
    assert resp.status_code == 200
    rows = [json.loads(line) for line in b"".join(resp.streaming_content).decode().splitlines() if line]
    assert rows and {r["item_id"] for r in rows} == {item.pk}
    resp = client.get(reverse("audit:review_sheets"), {"ids": item.doc_number, "format": "zip"})
    # batches are rendered by the worker: the answer is the job's page, the file the job's result
    assert resp.status_code == 302 and resp["Location"].startswith("/jobs/")
    status = client.get(resp["Location"] + "status.json").json()
    assert status["status"] == "done", status
    assert b"".join(client.get(resp["Location"] + "file/").streaming_content)[:2] == b"PK"
    resp = client.get(reverse("audit:review_sheets"), {"ids": "没有这个文号", "format": "zip"})
    assert resp.status_code == 400 and "找不到索引号或文号" in resp.content.decode()


def test_audit_year_selector_defaults_to_the_latest_year_with_data(client, world):
    with freeze_time("2024-06-01 10:00:00+08:00"):
        published(world)
    with freeze_time("2026-11-26 10:00:00+08:00"):
        client.force_login(world.auditor)
        html = client.get(reverse("audit:index")).content.decode()
        assert '<option value="2024" selected>2024年</option>' in html
        assert reverse("audit:report", args=[world.dept.code, 2024]) in html
        html = client.get(reverse("audit:index"), {"year": "2025"}).content.decode()
        assert '<option value="2024" selected>' in html  # a year without data falls back to the latest


@freeze_time("2026-03-02 10:00")
def test_request_page_shows_one_form_at_a_time(client, world):
    # issue 13: five expanded forms with five identical "提交" buttons
    app = register(world)
    client.force_login(world.handler)
    url = reverse("disclosure:detail", args=[app.pk])
    html = client.get(url).content.decode()
    assert html.count("<form method=\"post\" action=\"/requests/") == 0 and "请选择要办理的事项" in html
    assert ">起草答复书</a>" in html and ">征求意见</a>" in html and ">提交</button>" not in html
    html = client.get(url, {"action": "reply"}).content.decode()
    assert html.count('action="' + reverse("disclosure:act", args=[app.pk, "reply"])) == 1
    assert 'name="reply-outcome"' in html and 'name="consult-kind"' not in html
    assert "<button type=\"submit\">起草答复书</button>" in html
