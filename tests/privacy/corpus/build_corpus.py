"""Build the labelled corpus of the privacy pre-check (see README.md beside this file).

    python tests/privacy/corpus/build_corpus.py            # rewrites snippets.jsonl and files.json
    python tests/privacy/corpus/build_corpus.py --files DIR  # also writes the 24 attachment files

``snippets.jsonl``: one JSON object a line: ``id``, ``source`` (the kind of document the pattern
comes from), ``text``, ``public_values`` (the agency's declared public numbers, if any) and
``labels``: ``[kind, value]`` pairs of what a reviewer must be shown.  ``files.json``: the same for
the attachment files, which are rebuilt from code (no binary is committed).

The data is synthetic (no real person's data): names, ID numbers (valid check digits, or one
mistyped digit), phones, cards (Luhn-valid, or one mistyped digit) and addresses are drawn at
random in the formats seen in published lists; the surrounding text follows the structure of real
notices.  Fixed seed: the output is the same on every run.
"""
from __future__ import annotations

import datetime
import io
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(HERE))))

from privacy.validators import id_check_digit, id_shape, luhn_ok, org_check_char, uscc_check_char  # noqa: E402

RNG = random.Random(110011)

REGIONS = ("341802", "341821", "340104", "340202", "350102", "110105", "320106", "440305", "510107", "420106",
           "430102", "370102", "610113", "450102", "310115", "330106", "410105", "130102", "520102", "620102")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁沈姚"
COMPOUND = ("欧阳", "司马", "上官", "诸葛")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰志红春梅金凤德文海燕小龙"
TOWNS = ("河沥溪街道", "西津街道", "港口镇", "梅林镇", "中溪镇", "南极乡", "甲路镇", "汪溪街道", "宁墩镇", "万家乡",
         "胡乐镇", "霞西镇", "云梯畲族乡", "青龙乡")
VILLAGES = ("桃园村", "山门村", "杨山村", "港口村", "仙霞村", "东岸村", "南山社区", "中山社区", "竹峰村", "花园村")
ROADS = ("津河路", "宁阳西路", "汪溪路", "中山路", "南山路", "宁国大道", "天城路", "开发区南山路", "西津大道")
COUNTIES = ("宁国市", "宣州区", "广德市", "绩溪县", "泾县", "郎溪县")
AREAS = ("0563", "0551", "0554", "0557", "0555", "010", "021", "025", "0571", "027")
BANK_PREFIX = ("622202", "622848", "621700", "622700", "623668", "621799", "622609", "621226", "622588", "625965")


def name():
    if RNG.random() < 0.04:
        return RNG.choice(COMPOUND) + RNG.choice(GIVEN) + RNG.choice(GIVEN)
    return RNG.choice(SURNAMES) + "".join(RNG.choice(GIVEN) for _ in range(RNG.choice((1, 2, 2))))


def birth():
    return datetime.date(1928, 1, 1) + datetime.timedelta(days=RNG.randrange(0, 365 * 90))


def id_number(valid=True):
    while True:
        first17 = f"{RNG.choice(REGIONS)}{birth():%Y%m%d}{RNG.randrange(0, 1000):03d}"
        check = id_check_digit(first17)
        if valid:
            return first17 + check
        wrong = RNG.choice([c for c in "0123456789X" if c != check])
        v = first17 + wrong
        if id_shape(v) and not luhn_ok(v.replace("X", "0")):
            return v


def spell_id(v, style):
    if style == 0:
        return v
    if style == 1:
        return f"{v[:6]} {v[6:14]} {v[14:]}"
    if style == 2:
        return f"{v[:6]}-{v[6:14]}-{v[14:]}"
    if style == 3:
        return " ".join(v[i:i + 4] for i in range(0, 18, 4))
    return v.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})


def mobile():
    return f"1{RNG.choice('3456789')}{RNG.randrange(0, 10**9):09d}"


def spell_mobile(m, style):
    return [m, f"{m[:3]} {m[3:7]} {m[7:]}", f"{m[:3]}-{m[3:7]}-{m[7:]}", f"+86 {m}", f"+86-{m}",
            m.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})][style % 6]


def landline(style=None):
    area = RNG.choice(AREAS)
    local = str(RNG.randrange(2, 9)) + "".join(str(RNG.randrange(10)) for _ in range(6 if len(area) == 4 else 7))
    style = RNG.randrange(6) if style is None else style
    if style == 0:
        return f"{area}-{local}"
    if style == 1:
        return f"({area}){local}"
    if style == 2:
        return f"{area}-{local[:len(local) - 4]} {local[-4:]}"
    if style == 3:
        return f"{area}—{local}".translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    if style == 4:
        return f"{area}-1{local[1:]}"
    return f"{area}{local}"


def card(valid=True, length=None):
    length = length or RNG.choice((16, 19, 19))
    body = RNG.choice(BANK_PREFIX) + "".join(str(RNG.randrange(10)) for _ in range(length - 7))
    for d in "0123456789":
        if luhn_ok(body + d):
            good = body + d
            break
    if valid:
        return good
    return good[:-1] + str((int(good[-1]) + RNG.randrange(1, 10)) % 10)


def spell_card(c, style):
    if style == 1:
        return " ".join(c[i:i + 4] for i in range(0, len(c), 4))
    return c


def address():
    county = RNG.choice(COUNTIES)
    if RNG.random() < 0.5:
        town, village, group = RNG.choice(TOWNS), RNG.choice(VILLAGES), RNG.choice("一二三四五六七八")
        return f"{county}{town}{village}{group}组{RNG.randrange(1, 99)}号"
    return (f"{county}{RNG.choice(ROADS)}{RNG.randrange(1, 400)}号{RNG.randrange(1, 30)}栋{RNG.randrange(1, 6)}单元"
            f"{RNG.randrange(1, 30)}0{RNG.randrange(1, 4)}室")


def email():
    user = "".join(RNG.choice("abcdefghjkmnpqrstwxyz") for _ in range(RNG.randrange(4, 9)))
    user += str(RNG.randrange(10, 999))
    return f"{user}@{RNG.choice(('163.com', 'qq.com', '126.com', 'sina.com', 'foxmail.com'))}"


def uscc():
    """A valid all-digit 统一社会信用代码 (category 91/11/12/52, region, organisation code)."""
    while True:
        body8 = "".join(str(RNG.randrange(10)) for _ in range(8))
        if org_check_char(body8) == "X":
            continue
        first17 = RNG.choice(("91", "11", "12", "52")) + RNG.choice(REGIONS) + body8 + org_check_char(body8)
        check = uscc_check_char(first17)
        if check.isdigit():
            return first17 + check


def money():
    return RNG.choice([f"{RNG.randrange(10**9, 10**11)}元", f"{mobile()}元", f"{mobile()}.00元",
                       f"{mobile()}万元", f"{RNG.randrange(100, 99999)}.{RNG.randrange(10, 99)}元",
                       f"人民币{mobile()}元", f"￥{mobile()}"])


# ---------------------------------------------------------------- snippet templates

def s_dibao():
    n, pid, m, addr = name(), id_number(), mobile(), address()
    st = RNG.randrange(5)
    phone = spell_mobile(m, RNG.randrange(6))
    text = (f"{RNG.randrange(1, 99)}、户主{n}，身份证号{spell_id(pid, st)}，家庭人口{RNG.randrange(1, 6)}人，"
            f"住址：{addr}，联系电话{phone}，月保障金{RNG.randrange(300, 1500)}元。")
    return "低保公示", text, [["name_near_pii", n], ["id_number", spell_id(pid, st)], ["address", addr],
                            ["mobile", phone]]


def s_dibao_typo():
    n, pid = name(), id_number(valid=False)
    st = RNG.randrange(4)
    text = f"救助对象：{n}，公民身份号码：{spell_id(pid, st)}，救助金额{RNG.randrange(500, 3000)}元。"
    return "临时救助公示", text, [["name_near_pii", n], ["id_number_suspect", spell_id(pid, st)]]


def s_subsidy_table_line():
    n, pid, c = name(), id_number(), card()
    st = RNG.randrange(2)
    text = f"{n}\t{pid}\t{spell_card(c, st)}\t{RNG.randrange(100, 500)}.00"
    return "高龄补贴发放表（PDF 文字层）", text, [["name_near_pii", n], ["id_number", pid],
                                            ["bank_card", spell_card(c, st)]]


def s_card_typo():
    n, c = name(), card(valid=False)
    return "残疾人两项补贴", f"收款人{n}，社保卡号{c}，发放金额{RNG.randrange(100, 900)}元。", \
        [["name_near_pii", n], ["bank_card", c]]


def s_card_typo_unlabelled():
    c = card(valid=False, length=19)
    return "补贴发放明细", f"张庄村 {c} 已发放", [["bank_card_suspect", c]]


def s_landline_person():
    n, t = name(), landline()
    return "征地补偿公示", f"被征收人{n}，联系电话：{t}，补偿款已足额拨付。", [["name_near_pii", n], ["landline", t]]


def s_email_person():
    n, e = name(), email()
    return "人才引进公示", f"拟引进人员{n}，电子邮箱 {e}，现予公示。", [["email", e]]


def s_procurement():
    code = uscc()
    amount = money()
    hotline = landline(0)
    proj = f"{RNG.choice(('NGCG', 'XCZB', 'AHCG'))}-{RNG.randrange(2019, 2025)}-{RNG.randrange(100, 999)}"
    contact, cm = name(), mobile()
    text = (f"项目编号：{proj}。中标供应商：宁国市某某建设有限公司，统一社会信用代码：{code}，中标金额：{amount}。"
            f"采购人联系方式：{hotline}。项目联系人：{contact}，电话：{cm}。")
    return "政府采购中标公告", text, [["wording", "某某"], ["name_near_pii", contact], ["mobile", cm]], [hotline]


def s_procurement_clean():
    code = uscc()
    text = (f"供应商名称：安徽{RNG.choice(('宏达', '华宇', '金桥', '新源'))}科技有限公司；统一社会信用代码：{code}；"
            f"成交金额：{money()}；发票代码：{RNG.randrange(10**11, 10**12):012d}；"
            f"发票号码：{RNG.randrange(10**7, 10**8)}。")
    return "政府采购合同公告", text, []


def s_penalty():
    code = uscc()
    text = (f"行政处罚决定书 宁市监罚〔{RNG.randrange(2019, 2025)}〕{RNG.randrange(1, 300)}号。当事人：张某某；"
            f"统一社会信用代码：{code}；罚款{RNG.randrange(1000, 90000)}元。")
    return "行政处罚决定", text, []


def s_document_meta():
    y = RNG.randrange(2016, 2025)
    text = (f"索引号：{uscc()}/{y}{RNG.randrange(1, 13):02d}-{RNG.randrange(1, 99999):05d}  文号：宁政办〔{y}〕"
            f"{RNG.randrange(1, 120)}号  生成日期：{y}-{RNG.randrange(1, 13):02d}-{RNG.randrange(1, 29):02d} "
            f"发布时间：{y}-0{RNG.randrange(1, 9)}-1{RNG.randrange(0, 9)} "
            f"1{RNG.randrange(0, 9)}:{RNG.randrange(10, 59)}:{RNG.randrange(10, 59)}")
    return "信息公开目录元数据", text, []


def s_money():
    return "财政预算公开", f"项目总投资{money()}，其中中央资金{money()}，已拨付{money()}。", []


def s_invest_table():
    return "重点项目表", f"总投资（万元）\n{mobile()}\n年度计划投资\n{mobile()}", []


def s_misc_numbers():
    text = RNG.choice([
        f"邮编：{RNG.randrange(100000, 860000)}，地址：宁国市{RNG.choice(ROADS)}政府大楼",
        f"ISBN 978-7-{RNG.randrange(100, 999)}-{RNG.randrange(10000, 99999)}-{RNG.randrange(0, 9)}",
        f"快递运单号：SF{RNG.randrange(10**12, 10**13)}，已寄出",
        f"运单号：{RNG.randrange(10**11, 10**12)}",
        f"订单号：{RNG.randrange(10**17, 10**18)}",
        f"交易流水号：{RNG.randrange(10**18, 10**19)}",
        f"统计时间：{RNG.randrange(2019, 2025)}{RNG.randrange(1, 13):02d}{RNG.randrange(1, 29):02d}"
        f"{RNG.randrange(0, 24):02d}"
        f"{RNG.randrange(0, 60):02d}{RNG.randrange(0, 60):02d}",
        f"准考证号：{RNG.randrange(10**10, 10**11)}",
        f"面积{RNG.randrange(10**10, 10**11)}平方米",
        f"第{RNG.randrange(1, 9)}季度完成{mobile()}吨",
        f"批准文号：国药准字H{RNG.randrange(10**7, 10**8)}",
        f"登记编号：{RNG.randrange(10**15, 10**16)}",
        f"合同编号：HT{RNG.randrange(2019, 2025)}{RNG.randrange(10**6, 10**7)}",
    ])
    return "数字样式的非个人信息", text, []


def s_public_hotline():
    h = landline(0)
    text = f"监督电话：{h}；咨询电话：{h.replace('-', '')}；办公地址：宁国市宁阳西路88号。"
    return "办事指南（本单位公开号码）", text, [], [h, "宁国市宁阳西路88号"]


def s_prose():
    return "工作要点正文", RNG.choice([
        "严格落实先审后发、一事一审制度，做好保密审查，保守秘密，防止泄露个人隐私。",
        "各乡镇人民政府、街道办事处要高度重视，资金于2023年12月01日前拨付，金额合计1,234,567.89元。",
        "加强内部管理，规范内部事务，不得泄露商业秘密和国家秘密。",
        "到2025年，全市政务服务事项网上可办率达到98%以上，“一网通办”能力持续提升。",
        "全年共受理依申请公开1256件，按时答复率100%，行政复议纠错0件。",
        "持续深化“放管服”改革，优化营商环境，推进乡村振兴。",
        "对市卫生健康委、自然资源和规划局等部门的信息公开专栏进行检查。",
    ]), []


def s_wording():
    options = [
        ("台湾政府已宣布相关措施。", [["wording", "台湾政府"]]),
        ("原国家卫生和计划生育委员会印发的文件继续有效。", []),
        ("根据国家卫生和计划生育委员会的通知要求。", [["wording", "国家卫生和计划生育委员会"]]),
        ("请各单位于XX月XX日前报送。", [["wording", "XX"], ["wording", "XX"]]),
        ("当事人王某某未按期履行。", []),
        ("采购型号XX-200A的设备两台，规格XXL。", []),
        ("严厉打击网络赌博，警惕“刷单返利”骗局。", []),
        ("优化、简化 beplay体育赢钱封号 信息", [["wording", "beplay体育赢钱封号"]]),
        ("深入学习贯彻新时代中国特色社会主义思想。", [["wording", "新时代中国特色社会主义思想"]]),
        ("深入学习贯彻习近平新时代中国特色社会主义思想。", []),
        ("香港等国家的经验值得借鉴。", [["wording", "香港等国家"]]),
        ("农业部门要做好春耕准备。", []),
        ("单击此处输入文字。", [["wording", "单击此处输入文字"]]),
    ]
    text, labels = RNG.choice(options)
    return "错敏词", text, labels


def s_mark():
    options = [("秘密★1年\n关于……的通知", [["classification_mark", "秘密★1年"]]),
               ("机密★长期", [["classification_mark", "机密★长期"]]),
               ("【内部资料】会议纪要", [["classification_mark", "【内部资料】"]]),
               ("工作人员要保守秘密，严格执行保密审查制度。", [])]
    text, labels = RNG.choice(options)
    return "密级标志", text, labels


TEMPLATES = [(s_dibao, 90), (s_dibao_typo, 45), (s_subsidy_table_line, 45), (s_card_typo, 25),
             (s_card_typo_unlabelled, 20), (s_landline_person, 40), (s_email_person, 20), (s_procurement, 35),
             (s_procurement_clean, 30), (s_penalty, 20), (s_document_meta, 25), (s_money, 25),
             (s_invest_table, 10), (s_misc_numbers, 45), (s_public_hotline, 20), (s_prose, 15), (s_wording, 30),
             (s_mark, 10)]


def build_snippets():
    out = []
    for fn, count in TEMPLATES:
        for _ in range(count):
            res = fn()
            source, text, labels = res[:3]
            public = res[3] if len(res) > 3 else []
            out.append({"id": f"{fn.__name__[2:]}-{len(out) + 1:04d}", "source": source, "text": text,
                        "public_values": public, "labels": labels})
    return out


# ---------------------------------------------------------------- files

def _rows_dibao(n, *, grouped=False, typo_every=0):
    header = ["序号", "户主姓名", "身份证号码", "联系电话", "家庭住址", "银行卡号", "保障人数", "月保障金（元）"]
    rows, labels = [header], []
    for i in range(1, n + 1):
        nm, m, addr, c = name(), mobile(), address(), card()
        bad = typo_every and i % typo_every == 0
        pid = id_number(valid=not bad)
        shown = spell_id(pid, RNG.choice((1, 2, 3))) if grouped else pid
        phone = spell_mobile(m, i)
        rows.append([str(i), nm, shown, phone, addr, c, str(RNG.randrange(1, 6)), f"{RNG.randrange(300, 1500)}.00"])
        labels += [["name_near_pii", nm], ["id_number_suspect" if bad else "id_number", shown], ["mobile", phone],
                   ["address", addr], ["bank_card", c]]
    return rows, labels


def _xlsx(sheets, header_text=None, footer_text=None, numeric=None):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sname, rows in sheets.items():
        ws = wb.create_sheet(sname)
        for r in rows:
            ws.append([int(v) if numeric and isinstance(v, str) and v.isdigit() and len(v) > 6 else v for v in r])
        if header_text:
            ws.oddHeader.center.text = header_text
        if footer_text:
            ws.oddFooter.right.text = footer_text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _docx(paragraphs, table=None, header=None, footer=None, split_runs=False):
    import docx

    d = docx.Document()
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        d.sections[0].footer.paragraphs[0].text = footer
    for p in paragraphs:
        para = d.add_paragraph()
        if split_runs:  # Word splits a run at every edit or spell-check mark: 3 characters a run
            for i in range(0, len(p), 3):
                para.add_run(p[i:i + 3]).bold = bool(i % 2)
        else:
            para.add_run(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, v in enumerate(row):
                t.cell(r, c).text = str(v)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _csv(rows, encoding):
    import csv

    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def _pdf(pages):
    from html import escape

    from weasyprint import HTML

    body = "".join(f'<div style="page-break-after: always">{"".join(f"<p>{escape(x)}</p>" for x in page)}</div>'
                   for page in pages)
    return HTML(string=f'<html><head><meta charset="utf-8"><style>body {{ font-family: "Noto Sans CJK SC", '
                       f'sans-serif; font-size: 10pt; }}</style></head><body>{body}</body></html>').write_pdf()


def build_files(outdir=None):
    """Return ``[(name, labels, public_values, bytes or None)]``; bytes only when ``outdir`` is given
    (the labels are made from the same random draws either way)."""
    make = outdir is not None
    files = []

    def add(fname, labels, data_fn, public=()):
        data = data_fn() if make else None
        if make:
            with open(os.path.join(outdir, fname), "wb") as fh:
                fh.write(data)
        files.append((fname, labels, list(public)))

    for k in range(3):
        rows, labels = _rows_dibao(RNG.randrange(15, 40), typo_every=7)
        add(f"dibao_{k + 1}.xlsx", labels, lambda rows=rows: _xlsx({"名单": [["宁国市2024年城乡低保对象公示"]] + rows}))
    rows, labels = _rows_dibao(20, grouped=True)
    add("dibao_grouped.xlsx", labels + [["classification_mark", "秘密★1年"]],
        lambda rows=rows: _xlsx({"Sheet1": rows}, header_text="秘密★1年", footer_text="第 &P 页"))
    invest = [["序号", "项目名称", "总投资（元）", "年度投资（万元）", "建设单位", "监督电话"]]
    for i in range(1, 25):
        invest.append([str(i), f"{RNG.choice(ROADS)}改造工程", mobile(), str(RNG.randrange(100, 99999)),
                       f"宁国市{RNG.choice(('住建局', '交通局', '水利局'))}", "0563-4012345"])
    add("investment.xlsx", [], lambda: _xlsx({"项目": invest}, numeric=True), ["0563-4012345"])
    for k, enc in enumerate(("gb18030", "utf-8-sig", "utf-8")):
        rows, labels = _rows_dibao(RNG.randrange(10, 30), typo_every=5)
        add(f"list_{k + 1}.csv", labels, lambda rows=rows, enc=enc: _csv(rows, enc))
    clean = [["序号", "单位名称", "统一社会信用代码", "合同金额（元）", "发票代码", "发票号码"]]
    for i in range(1, 20):
        clean.append([str(i), f"安徽{RNG.choice(('宏达', '华宇'))}公司", uscc(), mobile(),
                      f"{RNG.randrange(10**11, 10**12):012d}", f"{RNG.randrange(10**7, 10**8)}"])
    add("contracts.csv", [], lambda: _csv(clean, "utf-8-sig"))
    for k in range(4):
        rows, labels = _rows_dibao(RNG.randrange(6, 15), grouped=k % 2 == 0, typo_every=4)
        table = [[r[1], r[2], r[3], r[4]] for r in rows]
        table[0] = ["姓名", "身份证号", "联系电话", "住址"]
        labels = [lab for lab in labels if lab[0] != "bank_card"]
        n1, pid1 = name(), id_number()
        body = [f"关于{RNG.randrange(2021, 2025)}年度困难群众救助对象的公示",
                f"申请人{n1}，身份证号{spell_id(pid1, 1)}。"]
        labels = [["name_near_pii", n1], ["id_number", spell_id(pid1, 1)]] + labels
        add(f"notice_{k + 1}.docx", labels, lambda body=body, table=table, k=k: _docx(
            body, table, header="秘密★1年" if k == 0 else None, footer="监督电话：0563-4012345", split_runs=k >= 2),
            ["0563-4012345"])
        if k == 0:
            files[-1][1].append(["classification_mark", "秘密★1年"])
    for k in range(2):
        n1, m1, h1 = name(), mobile(), landline(4)
        body = [f"经办人{n1}，手机{m1}，办公电话{h1}。",
                f"咨询电话：0563-4012345，邮编242300。项目总投资{mobile()}元。"]
        add(f"letter_{k + 1}.docx", [["name_near_pii", n1], ["mobile", m1], ["landline", h1]],
            lambda body=body: _docx(body, split_runs=True), ["0563-4012345"])
    nm, pid, m = name(), id_number(), mobile()
    html = (f"<html><body><h1>关于{nm}同志任职前公示</h1><table><tr><td>姓名</td><td>{nm}</td></tr>"
            f"<tr><td>身份证号</td><td>{spell_id(pid, 1)}</td></tr><tr><td>电话</td><td>{m}</td></tr></table>"
            f"<p>监督电话：0563-4012345</p></body></html>")
    add("appointment.html", [["id_number", spell_id(pid, 1)], ["mobile", m]], lambda: html.encode("utf-8"),
        ["0563-4012345"])
    for k in range(4):
        pages, labels = [], []
        for _p in range(2):
            lines = []
            for _ in range(RNG.randrange(4, 9)):
                nm, pid, m = name(), id_number(valid=RNG.random() > 0.2), mobile()
                kind = "id_number" if id_check_digit(pid[:17]) == pid[17] else "id_number_suspect"
                lines.append(f"{nm} {pid} {m} {RNG.randrange(200, 900)}元")
                labels += [["name_near_pii", nm], [kind, pid], ["mobile", m]]
            lines.append(f"发布日期：2024-0{RNG.randrange(1, 9)}-1{RNG.randrange(1, 9)}  "
                         f"文号：宁民〔2024〕{RNG.randrange(1, 99)}号")
            pages.append(lines)
        add(f"publicity_{k + 1}.pdf", labels, lambda pages=pages: _pdf(pages))
    return files


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    snippets = build_snippets()
    with open(os.path.join(HERE, "snippets.jsonl"), "w", encoding="utf-8") as fh:
        for s in snippets:
            fh.write(json.dumps(s, ensure_ascii=False) + "\n")
    outdir = argv[argv.index("--files") + 1] if "--files" in argv else None
    if outdir:
        os.makedirs(outdir, exist_ok=True)
    files = build_files(outdir)
    with open(os.path.join(HERE, "files.json"), "w", encoding="utf-8") as fh:
        json.dump([{"name": n, "labels": lab, "public_values": pub} for n, lab, pub in files], fh,
                  ensure_ascii=False, indent=1)
    print(f"{len(snippets)} snippets, {len(files)} files" + (f" written to {outdir}" if outdir else ""))


if __name__ == "__main__":
    main()
