"""Attachments: XLSX 低保 list, DOCX with 秘密★ in the header, GB18030 CSV, text PDF, errors."""
import io
import random
import zipfile

import pytest

from privacy import (
    ADDRESS,
    BANK_CARD,
    CLASSIFICATION_MARK,
    ID_NUMBER,
    MOBILE,
    NAME_NEAR_PII,
    UNREADABLE,
    ExtractionError,
    scan_attachment,
)
from privacy import extract as extract_mod
from privacy.extract import TableSegment, TextSegment, extract
from privacy.limits import Limits
from tests.privacy import privacy_fixtures as fx


def by_kind(findings, kind):
    return [f for f in findings if f.kind == kind]


@pytest.fixture(params=[True, False], ids=["fast-reader", "openpyxl"])
def xlsx_reader(request, monkeypatch):
    monkeypatch.setattr(extract_mod, "USE_FAST_XLSX", request.param)
    return request.param


def dibao_with_bad_ids():
    rng = random.Random(42)
    rows = fx.dibao_rows(12, seed=42)
    bad = fx.make_id(rng, valid=False)
    rows[5][2] = bad                       # wrong check digit: not an ID
    rows[6][2] = fx.make_id_with_x(rng)    # X check digit
    rows[7][2] = fx.make_id15(rng)         # legacy 15-digit
    return rows, bad


def test_xlsx_dibao_list(xlsx_reader):
    rows, bad = dibao_with_bad_ids()
    data = fx.xlsx_bytes({"12月": rows, "说明": [["本表为内部资料"], ["秘密★1年"]]},
                         title="符离镇2023年12月城乡低保发放名单")
    fs = scan_attachment("低保名单.xlsx", data)
    ids = by_kind(fs, ID_NUMBER)
    assert len(ids) == 11 and bad not in {f.value for f in ids}
    f = ids[0]
    assert f.location.to_dict() == {"source": "低保名单.xlsx", "offset": 0, "sheet": "12月", "row": 3,
                                    "column": "C", "header": "身份证号码"}
    assert f.masked == f.value[:2] + "*" * 13 + f.value[-3:]
    assert f.value not in f.context and f.masked in f.context
    # phones in all spellings (plain, spaces, dashes, +86, 0086, 86-)
    phones = by_kind(fs, MOBILE)
    assert [p.value for p in phones] == [r[3] for r in rows[1:]]
    assert len(by_kind(fs, BANK_CARD)) == 12
    assert len(by_kind(fs, ADDRESS)) == 12
    names = by_kind(fs, NAME_NEAR_PII)
    assert [n.value for n in names] == [r[1] for r in rows[1:]]
    assert names[0].location.column == "B" and names[0].location.header == "户主姓名"
    marks = by_kind(fs, CLASSIFICATION_MARK)
    assert [(m.value, m.location.sheet, m.location.row) for m in marks] == [("秘密★1年", "说明", 3)]  # title row first


def test_xlsx_numbers_stored_as_numbers(xlsx_reader):
    rows = [["姓名", "手机", "金额"], ["李四", 13812345678, 1500.5], ["王五", 13912345678, 800]]
    fs = scan_attachment("a.xlsx", fx.xlsx_bytes({"S": rows}))
    assert [(f.kind, f.value) for f in fs] == [
        (NAME_NEAR_PII, "李四"), (MOBILE, "13812345678"), (NAME_NEAR_PII, "王五"), (MOBILE, "13912345678")]


def test_xlsx_without_name_header_uses_name_shaped_cell():
    rows = [["户", "号码", "村"], ["张三", "13812345678", "张庄村"]]
    fs = scan_attachment("a.xlsx", fx.xlsx_bytes({"S": rows}))
    assert [(f.kind, f.value) for f in fs] == [(NAME_NEAR_PII, "张三"), (MOBILE, "13812345678")]


def test_xlsx_segments_every_sheet():
    data = fx.xlsx_bytes({"A": [["a", "b"], ["1", "2"]], "B": [["x"]]})
    segs = extract("t.xlsx", data)
    assert [type(s) for s in segs] == [TableSegment, TableSegment]
    assert [s.where["sheet"] for s in segs] == ["A", "B"]
    assert segs[0].rows == [["a", "b"], ["1", "2"]] and segs[0].row_numbers == [1, 2]


def test_docx_header_mark_body_and_table():
    rng = random.Random(1)
    pid = fx.make_id(rng)
    data = fx.docx_bytes(
        ["关于2023年度城乡低保对象审核情况的公示", f"申请人张三，身份证号{pid}，联系电话0557-3021234。"],
        header="秘密★1年", footer="第1页",
        table=[["姓名", "身份证号", "手机"], ["李四", fx.make_id(rng), "13812345678"]])
    fs = scan_attachment("公示.docx", data)
    marks = by_kind(fs, CLASSIFICATION_MARK)
    assert [(m.value, m.location.part) for m in marks] == [("秘密★1年", "header")]
    assert marks[0].location.describe() == "附件“公示.docx” 页眉"
    body_id = [f for f in by_kind(fs, ID_NUMBER) if f.value == pid][0]
    assert body_id.location.paragraph == 2 and body_id.location.offset == 10
    table_hits = [f for f in fs if f.location.table == 1]
    assert {f.kind for f in table_hits} == {NAME_NEAR_PII, ID_NUMBER, MOBILE}
    assert [f.location.row for f in table_hits] == [2, 2, 2]


def test_csv_gb18030():
    rows, _bad = dibao_with_bad_ids()
    data = fx.csv_bytes(rows, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    fs = scan_attachment("名单.csv", data)
    assert len(by_kind(fs, ID_NUMBER)) == 11
    assert fs[0].location.header == "户主姓名" and fs[0].location.row == 2
    assert by_kind(fs, ID_NUMBER)[0].location.sheet is None


def test_csv_utf8_bom_and_semicolon():
    data = "姓名;电话\n张三;13812345678\n".encode("utf-8-sig")
    fs = scan_attachment("x.csv", data)
    assert [(f.kind, f.value, f.location.column) for f in fs] == [
        (NAME_NEAR_PII, "张三", "A"), (MOBILE, "13812345678", "B")]


def test_text_pdf_with_chinese():
    rng = random.Random(9)
    pid = fx.make_id(rng)
    data = fx.pdf_bytes(["第一页 关于政务公开的通知", f"秘密★1年\n申请人张三 身份证号 {pid} 手机 13812345678"])
    fs = scan_attachment("通知.pdf", data)
    got = {(f.kind, f.value, f.location.page) for f in fs}
    assert (ID_NUMBER, pid, 2) in got
    assert (MOBILE, "13812345678", 2) in got
    assert (CLASSIFICATION_MARK, "秘密★1年", 2) in got


def test_minimal_handwritten_pdf():
    fs = scan_attachment("a.pdf", fx.minimal_pdf("Tel 13812345678 ID 11010519491231002X"))
    assert [(f.kind, f.location.page) for f in fs] == [(MOBILE, 1), (ID_NUMBER, 1)]


def test_pdf_without_text_layer_is_unreadable():
    pdf = fx.minimal_pdf("")
    fs = scan_attachment("扫描件.pdf", pdf)
    assert [f.kind for f in fs] == [UNREADABLE]
    assert "扫描件" in fs[0].value


def test_txt_and_html():
    assert [f.kind for f in scan_attachment("a.txt", "电话13812345678".encode("gb18030"))] == [MOBILE]
    html = "<html><script>var x='13912345678'</script><p>手机&nbsp;13812345678</p></html>"
    fs = scan_attachment("a.html", html.encode())
    assert [(f.kind, f.value) for f in fs] == [(MOBILE, "13812345678")]


@pytest.mark.parametrize("name, data, code, text", [
    ("x.xlsx", b"not a zip", "corrupt", "无法读取附件“x.xlsx”：文件已损坏或不是有效的 Excel 文件"),
    ("x.docx", b"PK\x03\x04garbage", "corrupt", "无法读取附件“x.docx”：文件已损坏或不是有效的 Word（.docx）文件"),
    ("x.pdf", b"%PDF-1.4 garbage", "corrupt", "无法读取附件“x.pdf”：文件已损坏或不是有效的 PDF 文件"),
    ("x.pdf", b"hello", "corrupt", "无法读取附件“x.pdf”：文件已损坏或不是有效的 PDF 文件"),
    ("x.doc", b"\xd0\xcf\x11\xe0", "unsupported", "不支持的附件格式“x.doc”：请另存为 .docx 格式后重新上传"),
    ("x.zip", b"PK", "unsupported", None),
    ("x.csv", b"\xff\xff\xff\x80\x80", "encoding", None),
])
def test_extraction_errors(name, data, code, text):
    with pytest.raises(ExtractionError) as ei:
        extract(name, data)
    assert ei.value.code == code
    if text:
        assert str(ei.value) == text


def test_xlsx_that_is_a_zip_but_not_excel(xlsx_reader):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ExtractionError) as ei:
        extract("x.xlsx", buf.getvalue())
    assert ei.value.code == "corrupt"


def test_zip_bomb_rejected(monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 << 20))  # 8 MiB of zeros -> ~8 KiB
    with pytest.raises(ExtractionError) as ei:
        extract("bomb.xlsx", buf.getvalue())
    assert ei.value.code == "too_large"
    assert "压缩" in str(ei.value)


def test_uncompressed_cap():
    # limits are data now (privacy.limits.Limits), not module constants
    data = fx.docx_bytes(["hello"])
    with pytest.raises(ExtractionError) as ei:
        extract("big.docx", data, Limits(zip_total_bytes=1000))
    assert ei.value.code == "too_large" and ei.value.limit == "zip_total_bytes"
    assert str(ei.value).startswith("无法完成预检：附件“big.docx”超过解压后总大小上限")


def test_text_segments_for_docx_paragraphs():
    segs = extract("a.docx", fx.docx_bytes(["一", "", "三"], header="页眉文字"))
    parts = [p for s in segs if isinstance(s, TextSegment) for p in s.parts]
    assert parts == [
        ("一", {"paragraph": 1}), ("三", {"paragraph": 3}), ("页眉文字", {"part": "header", "paragraph": 1})]


def test_xlsx_rich_text_cells(xlsx_reader):
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "电话"])
    ws.append(["张三", CellRichText(["138", TextBlock(InlineFont(b=True), "1234"), "5678"])])
    ws["D5"] = "机密"
    buf = io.BytesIO()
    wb.save(buf)
    fs = scan_attachment("r.xlsx", buf.getvalue())
    assert [(f.kind, f.value, f.location.row, f.location.column) for f in fs] == [
        (NAME_NEAR_PII, "张三", 2, "A"), (MOBILE, "13812345678", 2, "B"), (CLASSIFICATION_MARK, "机密", 5, "D")]
