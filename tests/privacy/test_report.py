"""Top-level scan(): report, blocking, counts, JSON for a JSONField; import without Django."""
import json
import subprocess
import sys

from privacy import ID_NUMBER, MOBILE, UNREADABLE, scan
from tests.privacy import privacy_fixtures as fx


def test_scan_body_and_attachments():
    body = "<p>申请人张三，手机 <b>138 1234 5678</b></p><p>秘密★1年</p>"
    rows = fx.dibao_rows(3)
    report = scan(body, [("名单.xlsx", fx.xlsx_bytes({"S": rows})), ("坏.xlsx", b"broken")],
                  sensitive_words=["发放名单"])
    assert report.blocking
    counts = report.counts_by_kind
    assert counts["mobile"] == 4 and counts["id_number"] == 3 and counts["unreadable"] == 1
    assert counts["classification_mark"] == 1 and counts["name_near_pii"] == 4
    assert list(counts) == sorted(counts, key=list(counts).index)  # stable order
    bad = [f for f in report.findings if f.kind == UNREADABLE][0]
    assert bad.value == "无法读取附件“坏.xlsx”：文件已损坏或不是有效的 Excel 文件"
    assert bad.context == "corrupt"
    body_phone = [f for f in report.findings if f.kind == MOBILE and f.location.source == "body"][0]
    assert body_phone.value == "138 1234 5678"
    assert report.summary().startswith("发现")


def test_to_json_is_serialisable_and_has_no_raw_values():
    pid = "350102199001011238"
    report = scan(f"身份证号{pid}", [])
    data = report.to_json()
    json.dumps(data, ensure_ascii=False)
    # the report is a dict now: findings plus exact counts, blocking, truncation (issue 11)
    assert data["findings"] == [{"kind": ID_NUMBER, "label": "身份证号", "masked": "35*************238",
                                 "location": {"source": "body", "offset": 4}, "where": "正文",
                                 "context": "身份证号35*************238", "severity": "block",
                                 "category": "personal", "suggestion": ""}]
    assert data["counts"] == {ID_NUMBER: 1} and data["blocking"] and not data["truncated"]
    assert pid not in report.dumps()
    assert report.to_json(include_values=True)["findings"][0]["value"] == pid


def test_clean_item_is_not_blocking():
    report = scan("关于做好2023年政务公开工作的通知（宿政办发〔2023〕5号）", [])
    assert not report.blocking and report.findings == [] and report.counts_by_kind == {}
    assert report.summary() == "未发现个人信息、密级标志或错敏词"


def test_import_without_django_settings():
    code = ("import sys, privacy as p; "
            "assert p.scan_text('13812345678')[0].kind == 'mobile'; "
            "assert 'django' not in sys.modules, 'django imported'")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PATH": "/usr/bin:/bin"},
                   cwd=fx.__file__.rsplit("/tests/", 1)[0])
