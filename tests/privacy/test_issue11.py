"""Issue 11: every case the new user found, as a test (recall, precision, 密级 in XLSX headers,
public values, spam, limits)."""
import io
import random

import pytest

from privacy import (
    BANK_CARD,
    BANK_CARD_SUSPECT,
    CLASSIFICATION_MARK,
    ID_NUMBER,
    ID_NUMBER_SUSPECT,
    INCOMPLETE,
    LANDLINE,
    MOBILE,
    WORDING,
    Limits,
    id_check_digit,
    luhn_ok,
    mask_text,
    scan,
    scan_attachment,
    scan_text,
)
from privacy.maskers import MaskError, mask_attachment
from tests.privacy import privacy_fixtures as fx
from tests.privacy.corpus.build_corpus import uscc


def kv(findings):
    return [(f.kind, f.value) for f in findings]


def of_kind(findings, kind):
    return [f.value for f in findings if f.kind == kind]


def docx_with_runs(paragraphs_runs, table=None, header=None, footer=None):
    """A DOCX whose paragraphs are given as lists of runs (the way Word splits text)."""
    import docx

    d = docx.Document()
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        d.sections[0].footer.paragraphs[0].text = footer
    for runs in paragraphs_runs:
        p = d.add_paragraph()
        for i, r in enumerate(runs):
            p.add_run(r).italic = bool(i % 2)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, v in enumerate(row):
                t.cell(r, c).text = str(v)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- a typo does not anonymise an ID

def test_id_with_mistyped_check_digit_is_a_blocking_suspect():
    assert id_check_digit("34180219800101001") != "X"
    report = scan("名单：34180219800101001X", [])
    [f] = report.findings
    assert (f.kind, f.value, f.severity) == (ID_NUMBER_SUSPECT, "34180219800101001X", "block")
    assert f.label == "疑似身份证号（校验位不符）" and report.blocking
    assert f.masked == "34*************01X"


def test_one_click_masking_masks_the_suspect_id_in_a_docx_list():
    data = fx.docx_bytes(["低保名单"], table=[["姓名", "身份证号"], ["王芳", "34180219800101001X"]])
    masked, n = mask_attachment("名单.docx", data)
    assert n == 2 and b"34180219800101001X" not in masked
    assert of_kind(scan_attachment("名单.docx", masked), ID_NUMBER_SUSPECT) == []


def test_card_shaped_number_with_failing_luhn_and_known_issuer_is_a_suspect():
    rng = random.Random(3)
    bad = fx.make_bad_luhn(rng, 19, "622848")
    assert not luhn_ok(bad)
    assert kv(scan_text(f"补贴发放 {bad} 已到账")) == [(BANK_CARD_SUSPECT, bad)]
    # an unknown prefix with a bad Luhn digit is just a number
    assert scan_text("流水 7812345678901234567 已到账") == []


def test_bad_check_digit_id_is_not_reported_as_a_bank_card():
    rng = random.Random(8)
    for _ in range(50):
        v = fx.make_id(rng, valid=False)
        kinds = {f.kind for f in scan_text(f"号码{v}")}
        assert BANK_CARD not in kinds and BANK_CARD_SUSPECT not in kinds


# ---------------------------------------------------------------- grouped numbers

@pytest.mark.parametrize("written", ["310115 19850702 8467", "3101 1519 7707 0324 66", "450102-19530907-0387"])
def test_grouped_ids_are_found_in_text(written):
    found = scan_text(f"身份证号：{written}。")
    assert [(f.kind, f.value) for f in found if f.kind in (ID_NUMBER, ID_NUMBER_SUSPECT)] == [
        (found[0].kind, written)]
    assert found[0].kind in (ID_NUMBER, ID_NUMBER_SUSPECT)


@pytest.mark.parametrize("written", ["0554-1234567", "0551-6512 3456", "０５５４—６６７１２３４", "(0563)4012345",
                                     "0563 4012345", "010-88886666"])
def test_landline_spellings(written):
    assert kv(scan_text(f"电话：{written}")) == [(LANDLINE, written)]


def test_grouped_ids_in_docx_table_cells_and_split_runs_and_headers():
    pid = "310115" + "19850702" + "846"
    pid += id_check_digit(pid)
    grouped = f"{pid[:6]} {pid[6:14]} {pid[14:]}"
    data = docx_with_runs(
        [["申请人张", "三，身份证号", pid[:5], pid[5:11], pid[11:]]],
        table=[["姓名", "身份证号"], ["李四", grouped]],
        header="联系人王五 电话0554-1234567", footer="秘密★1年")
    fs = scan_attachment("公示.docx", data)
    ids = [(f.value, f.location.table, f.location.paragraph) for f in fs if f.kind == ID_NUMBER]
    assert (pid, None, 1) in ids and (grouped, 1, None) in ids
    assert [(f.value, f.location.part) for f in fs if f.kind == LANDLINE] == [("0554-1234567", "header")]
    assert [(f.value, f.location.part) for f in fs if f.kind == CLASSIFICATION_MARK] == [("秘密★1年", "footer")]


# ---------------------------------------------------------------- look-alikes

@pytest.mark.parametrize("text", [
    "项目总投资13800000000元", "合计15912345678.00元", "累计13612345678万元", "金额：￥13812345678",
    "发票代码：044031900111", "发票号码：13812345678", "ISBN 978-7-111-12345-6", "运单号：SF1234567890123",
    "邮编245000", "发布时间：2023-12-01 13:45:12", "宿政办发〔2023〕5号", "索引号：11341702000111222F/202111-00151",
    "项目编号：NGZC-2024-13812345678", "见 http://www.example.gov.cn/show/13812345678.html",
])
def test_look_alikes_are_not_personal_data(text):
    assert scan_text(text) == [], text


def test_numeric_xlsx_cell_under_an_investment_header_is_not_a_phone():
    rows = [["项目", "总投资（元）", "建设单位"], ["道路改造", 13800000000, "住建局"],
            ["桥梁", 15912345678.0, "交通局"]]
    assert scan_attachment("项目.xlsx", fx.xlsx_bytes({"S": rows})) == []


def test_all_digit_social_credit_code_is_an_organisation():
    random.seed(4)
    for _ in range(30):
        code = uscc()
        assert code.isdigit()
        assert scan_text(f"统一社会信用代码：{code}") == []
        assert scan_text(f"供应商 {code}") == [], code


def test_postcode_and_hotline_next_to_each_other():
    assert kv(scan_text("邮编242300 电话0563-4012345")) == [(LANDLINE, "0563-4012345")]


# ---------------------------------------------------------------- 密级 in an XLSX printed header

def test_mark_in_xlsx_printed_header_and_footer_is_read():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["姓名", "金额"])
    ws.append(["张三", 100])
    ws.oddHeader.center.text = "秘密★1年"
    ws.oddFooter.left.text = "联系人李四 13812345678"
    buf = io.BytesIO()
    wb.save(buf)
    fs = scan_attachment("表.xlsx", buf.getvalue())
    mark = [f for f in fs if f.kind == CLASSIFICATION_MARK]
    assert [(f.value, f.location.sheet, f.location.part) for f in mark] == [("秘密★1年", "名单", "header")]
    assert [(f.value, f.location.part) for f in fs if f.kind == MOBILE] == [("13812345678", "footer")]
    assert mark[0].location.describe() == "附件“表.xlsx” 页眉 工作表“名单”"


# ---------------------------------------------------------------- the agency's public values

def test_public_hotline_is_neither_flagged_nor_masked():
    public = ["0563-4012345", "宁国市宁阳西路88号", "ngzwgk@163.com"]
    text = ("监督电话：（0563）401 2345，咨询电话05634012345转8，地址：宁国市宁阳西路88号，"
            "邮箱 ngzwgk@163.com；申请人张三电话0563-4012346")
    found = scan_text(text, public_values=public)
    assert kv(found) == [("name_near_pii", "张三"), (LANDLINE, "0563-4012346")]
    masked, n = mask_text(text, public_values=public)
    assert n == 2 and "（0563）401 2345" in masked and "宁国市宁阳西路88号" in masked and "ngzwgk@163.com" in masked
    data = fx.csv_bytes([["单位", "监督电话"], ["民政局", "0563-4012345"], ["李四", "13812345678"]])
    out, n = mask_attachment("a.csv", data, public_values=["0563 401 2345"])
    assert n == 2 and "0563-4012345" in out.decode("utf-8-sig")


# ---------------------------------------------------------------- 错敏词

def test_gambling_spam_in_seed_text_is_found():
    [f] = scan_text("集成、优化、简化 beplay体育赢钱封号 信息")
    assert (f.kind, f.value, f.category, f.severity) == (WORDING, "beplay体育赢钱封号", "spam_gambling", "block")
    assert f.label == "涉赌信息"


def test_wording_findings_carry_category_severity_and_suggestion():
    fs = scan_text("台湾总统发表讲话。根据国家卫生和计划生育委员会通知，请于XX月前报送。")
    got = [(f.value, f.category, f.severity, f.suggestion) for f in fs]
    assert got == [("台湾总统", "country", "block", "台湾地区领导人"),
                   ("国家卫生和计划生育委员会", "outdated", "warn", "国家卫生健康委员会"),
                   ("XX", "placeholder", "warn", "（填写实际内容）")]
    report = scan("请于XX月前报送。", [])
    assert not report.blocking and [f.value for f in report.warnings] == ["XX"]


@pytest.mark.parametrize("text", [
    "规格XXL，型号XX-200A，HP-XX12", "当事人张某某、王XX", "原国家卫生和计划生育委员会印发", "各级农业部门",
    "坚决打击网络赌博，警惕刷单返利诈骗", "学习习近平新时代中国特色社会主义思想", "二〇〇八年", "xxgk/2024/index.html",
])
def test_wording_false_positives(text):
    assert [f for f in scan_text(text) if f.kind == WORDING] == [], text


def test_agency_rules_are_added_to_the_shipped_ones():
    rules = ["宁国县\tagency\t宁国市", {"pattern": "征求意见稿", "category": "agency_warn"}]
    fs = scan_text("宁国县人民政府（征求意见稿）", wording_rules=rules)
    assert [(f.value, f.severity, f.suggestion) for f in fs] == [
        ("宁国县", "block", "宁国市"), ("征求意见稿", "warn", "")]


def test_wording_in_title_and_attachments():
    data = fx.docx_bytes(["关于XX镇的通知", "台湾政府"])
    report = scan("正文", [("通知.docx", data)], title="香港等国家经验介绍")
    got = {(f.location.source, f.value) for f in report.findings}
    assert got == {("title", "香港等国家"), ("通知.docx", "XX"), ("通知.docx", "台湾政府")}
    assert report.findings[0].location.describe() == "标题"


# ---------------------------------------------------------------- limits

def test_findings_are_capped_per_file_with_exact_counts():
    rows = fx.dibao_rows(300)
    report = scan("", [("名单.csv", fx.csv_bytes(rows))], limits=Limits(findings_per_file=50))
    assert len(report.findings) == 50 and report.truncated and report.blocking
    assert report.counts_by_kind[ID_NUMBER] == 300 and report.counts_by_kind[MOBILE] == 300
    data = report.to_json()
    assert data["truncated"] and data["total"] == sum(data["counts"].values()) and len(data["findings"]) == 50
    assert "仅保存前 50 处" in data["summary"]


@pytest.mark.parametrize("name, data, limits, limit", [
    ("名单.csv", fx.csv_bytes(fx.dibao_rows(200)), Limits(rows=100), "rows"),
    ("名单.xlsx", fx.xlsx_bytes({"S": fx.dibao_rows(200)}), Limits(cells=500), "cells"),
    ("名单.xlsx", fx.xlsx_bytes({"S": fx.dibao_rows(50)}), Limits(zip_part_bytes=2000), "zip_part_bytes"),
    ("说明.docx", fx.docx_bytes(["政务公开" * 100] * 50), Limits(text_chars=5000), "text_chars"),
    ("说明.pdf", fx.minimal_pdf("Tel 13812345678"), Limits(pdf_operators=2), "pdf_operators"),
    ("说明.txt", b"x" * 5000, Limits(file_bytes=4000), "file_bytes"),
    ("说明.txt", b"13812345678\n" * 1000, Limits(wall_seconds=0), "wall_seconds"),
])
def test_a_limit_becomes_a_blocking_incomplete_finding(name, data, limits, limit):
    report = scan("", [(name, data)], limits=limits)
    inc = [f for f in report.findings if f.kind == INCOMPLETE]
    assert len(inc) == 1 and report.blocking
    assert inc[0].context == limit and inc[0].value.startswith("无法完成预检：")
    assert inc[0].label == "无法完成预检"


def test_findings_before_the_limit_are_kept():
    report = scan("", [("名单.csv", fx.csv_bytes(fx.dibao_rows(9000)))], limits=Limits(rows=5000))
    assert report.counts_by_kind[ID_NUMBER] == 4999 and report.counts_by_kind[INCOMPLETE] == 1


def test_masker_refuses_a_zip_bomb_without_decompressing_it():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (80 << 20))
    with pytest.raises(MaskError) as ei:
        mask_attachment("bomb.docx", buf.getvalue())
    assert ei.value.limit == "zip_part_bytes" and "无法完成预检" in ei.value.message


def test_masker_applies_row_limits():
    with pytest.raises(MaskError) as ei:
        mask_attachment("名单.csv", fx.csv_bytes(fx.dibao_rows(300)), limits=Limits(rows=100))
    assert ei.value.limit == "rows"


def test_report_without_raw_values():
    report = scan("身份证号11010519491231002X，电话13812345678", [])
    dumped = report.dumps()
    assert "11010519491231002X" not in dumped and "13812345678" not in dumped
    assert report.to_json(include_values=True)["findings"][0]["value"] == "11010519491231002X"


def test_headers_apply_to_every_slice_of_a_long_table():
    rows = fx.dibao_rows(9000, phone_styles=False)
    report = scan("", [("名单.csv", fx.csv_bytes(rows))], limits=Limits(findings_per_file=10 ** 6))
    late = [f for f in report.findings if f.kind == ID_NUMBER and f.location.row == 8500]
    assert [(f.location.header, f.location.column) for f in late] == [("身份证号码", "C")]
    assert report.counts_by_kind["name_near_pii"] == 9000


def test_public_value_written_with_a_label():
    text = "监督电话：0563-4012345；另：0563 401 2345"
    assert scan_text(text, public_values=["监督电话：０５６３－４０１２３４５"]) == []


def test_a_public_address_is_covered_even_with_words_before_it():
    text = "如有异议，请拨打监督电话0563-4012345，或到宣城市宣州区鳌峰中路1号反映。住址：宣城市宣州区梅园路8号"
    report = scan(text, public_values=["0563-4012345", "宣城市宣州区鳌峰中路1号"])
    values = [f.value for f in report.findings]
    assert not any("鳌峰中路" in v or "4012345" in v for v in values), values
    assert any("梅园路8号" in v for v in values), values  # another address is still found
