"""The printable review sheet (审核单): content, Chinese text, batch PDF / ZIP, permission, audited."""
import io
import zipfile

import pytest
from pypdf import PdfReader

from audit.models import AuditRecord
from publishing import actions as pub
from reports import sheets
from tests.factories import approve_all, draft, reload
from workflow import actions


def _publish(world):
    item = draft(world, summary="2024年政务公开工作要点")
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    pub.publish_item(actor=world.publisher, item=reload(item))
    return reload(item)


@pytest.fixture
def published(world):
    """Reviewed under the default 三审三校 + 保密审查 policy."""
    return _publish(world)


@pytest.fixture
def quick(world, fast_policy):
    return _publish(world)


def _text(pdf_bytes):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages).replace("\n", "")


def test_sheet_lists_every_step_person_opinion_date_and_hash(world, published, client):
    client.force_login(world.auditor)
    response = client.get(f"/audit/sheet/{published.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "信息公开保密审查审批表" in text and published.title[:10] in text
    for name in ("王一校", "赵二校", "钱三校", "孙初审", "周复审", "吴终审", "郑保密", "陈发布", "张起草"):
        assert name in text, name
    assert published.current_revision.content_hash[:16] in text.replace(" ", "")
    assert published.index_number in text
    record = AuditRecord.objects.order_by("-seq").first()
    assert record.action == "audit.export" and record.item == published and record.data["kind"] == "review_sheets"


@pytest.mark.parametrize("who,status", [("auditor", 200), ("office", 200), ("drafter", 200), ("first", 200),
                                        ("other_first", 404)])
def test_sheet_permission(world, quick, client, who, status):
    client.force_login(world.people[who])
    assert client.get(f"/audit/sheet/{quick.pk}/?format=html").status_code == status


def _job_file(client, response):
    """A batch answers with the job's page (the worker renders it); the result is the job's file."""
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job_url = response["Location"]
    status = client.get(job_url + "status.json").json()
    assert status["status"] == "done" and status["progress"] == 100, status
    return b"".join(client.get(job_url + "file/").streaming_content)


def test_batch_as_one_pdf_and_as_zip(world, quick, client):
    published = quick
    second = draft(world, title="关于做好2024年政务公开重点工作的通知")
    client.force_login(world.office)
    content = _job_file(client, client.get(f"/audit/sheets/?ids={published.pk},{second.pk}&format=pdf"))
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    text = _text(content)
    assert published.title[:10] in text and "关于做好2024年政务公开重点工作" in text
    content = _job_file(client, client.get(f"/audit/sheets/?agency={world.dept.code}&format=zip"))
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    exports = AuditRecord.objects.filter(action="audit.export").order_by("seq")
    assert [sorted(e.data["items"]) for e in exports] == [sorted([published.pk, second.pk])] * 2


def test_batch_pdf_in_chunks_keeps_every_sheet_in_order(world, quick, tmp_path, monkeypatch):
    # given more sheets than one rendering chunk
    monkeypatch.setattr(sheets, "PDF_CHUNK", 2)
    items = [quick] + [draft(world, title=f"关于第{n}批政务公开事项的通知") for n in range(1, 4)]
    seen = []
    # when
    count = sheets.write_batch([i.pk for i in items], "pdf", tmp_path / "b.pdf", lambda p, note: seen.append(p))
    # then
    text = _text((tmp_path / "b.pdf").read_bytes())
    assert count == 4 and seen == [50, 100]
    positions = [text.index(f"关于第{n}批政务公开事项") for n in range(1, 4)]
    assert text.index(quick.title[:10]) < positions[0] and positions == sorted(positions)


@pytest.mark.parametrize("who", ["drafter", "publisher", "other_first"])
def test_batch_only_for_auditors_and_office(world, quick, client, who):
    client.force_login(world.people[who])
    assert client.get(f"/audit/sheets/?ids={quick.pk}").status_code == 403


def test_batch_outside_ones_agencies_finds_nothing(world, client):
    item = actions.create_item(actor=world.other_first, agency=world.other,
                               data={"title": "外单位", "body": "<p>x</p>"})
    client.force_login(world.auditor)
    response = client.get(f"/audit/sheets/?ids={item.pk}")
    assert response.status_code == 400 and "没有符合条件的信息" in response.content.decode()
