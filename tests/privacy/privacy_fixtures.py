"""Fixture builders for the privacy scanner tests and benchmark (files are made in memory)."""
from __future__ import annotations

import csv
import datetime
import io
import random

from privacy.validators import id_check_digit, luhn_ok

REGIONS = ("341302", "341321", "340104", "350102", "110105", "320106", "440305", "510107")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
TOWNS = ("符离镇", "大店镇", "桃园镇", "朱仙庄镇", "三八街道", "北关街道", "栏杆镇", "永安乡")
VILLAGES = ("张庄村", "李圩村", "王楼村", "新集村", "光明社区", "幸福村")
ROADS = ("淮海路", "人民路", "银河一路", "汴河大道", "胜利巷", "中山街")

DIBAO_HEADER = ["序号", "户主姓名", "身份证号码", "联系电话", "家庭住址", "银行卡号", "保障人数", "月保障金（元）"]


def make_id(rng: random.Random, *, region: str | None = None, birth: datetime.date | None = None,
            valid: bool = True, lower_x: bool = False) -> str:
    region = region or rng.choice(REGIONS)
    birth = birth or datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 80))
    first17 = f"{region}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    check = id_check_digit(first17)
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    if lower_x and check == "X":
        check = "x"
    return first17 + check


def make_id_with_x(rng: random.Random, lower: bool = False) -> str:
    while True:
        v = make_id(rng, lower_x=lower)
        if v[-1] in "Xx":
            return v


def make_id15(rng: random.Random) -> str:
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 40))
    return f"{rng.choice(REGIONS)}{birth:%y%m%d}{rng.randrange(0, 1000):03d}"


def make_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}"


def spell_mobile(m: str, style: int) -> str:
    """0 plain, 1 spaces 3-4-4, 2 dashes, 3 +86, 4 0086 + spaces, 5 86-."""
    return [m, f"{m[:3]} {m[3:7]} {m[7:]}", f"{m[:3]}-{m[3:7]}-{m[7:]}", f"+86 {m}",
            f"0086 {m[:3]} {m[3:7]} {m[7:]}", f"86-{m}"][style % 6]


def make_card(rng: random.Random, length: int = 19, prefix: str = "622202") -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError("unreachable")


def make_bad_luhn(rng: random.Random, length: int = 16, prefix: str = "622202") -> str:
    card = make_card(rng, length, prefix)
    last = str((int(card[-1]) + 1) % 10)
    return card[:-1] + last


def make_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def make_address(rng: random.Random) -> str:
    if rng.random() < 0.5:
        town, village, group = rng.choice(TOWNS), rng.choice(VILLAGES), rng.choice("一二三四五六七")
        return f"宿州市埇桥区{town}{village}{group}组{rng.randrange(1, 99)}号"
    return (f"宿州市埇桥区{rng.choice(TOWNS)}{rng.choice(ROADS)}{rng.randrange(1, 300)}号"
            f"{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元{rng.randrange(1, 30)}0{rng.randrange(1, 4)}室")


def dibao_rows(n: int, seed: int = 7, *, phone_styles: bool = True) -> list[list]:
    """Header + n rows of a subsistence-allowance (低保) list with full personal data."""
    rng = random.Random(seed)
    rows: list[list] = [list(DIBAO_HEADER)]
    for i in range(1, n + 1):
        rows.append([
            i, make_name(rng), make_id(rng),
            spell_mobile(make_mobile(rng), i if phone_styles else 0),
            make_address(rng), make_card(rng), rng.randrange(1, 6), f"{rng.randrange(300, 2000)}.00",
        ])
    return rows


def bench_rows(n: int, seed: int = 11) -> list[list]:
    """The benchmark's 6-column list: name, ID, phone, address, bank card, amount."""
    rng = random.Random(seed)
    rows: list[list] = [["姓名", "身份证号", "联系电话", "家庭住址", "银行卡号", "金额（元）"]]
    for _ in range(n):
        rows.append([make_name(rng), make_id(rng), make_mobile(rng), make_address(rng), make_card(rng),
                     rng.randrange(300, 2000)])
    return rows


def xlsx_bytes(sheets: dict[str, list[list]], *, title: str | None = None) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        if title:
            ws.append([title])
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def docx_bytes(paragraphs: list[str], *, header: str | None = None, footer: str | None = None,
               table: list[list] | None = None) -> bytes:
    import docx

    d = docx.Document()
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        d.sections[0].footer.paragraphs[0].text = footer
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, v in enumerate(row):
                t.cell(r, c).text = str(v)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(pages: list[str]) -> bytes:
    """A text PDF, one page per string (weasyprint, CJK font from the system)."""
    from html import escape

    from weasyprint import HTML

    body = "".join(
        f'<div style="page-break-after: always">{"".join(f"<p>{escape(line)}</p>" for line in page.splitlines())}</div>'
        for page in pages)
    doc = f"""<html><head><meta charset="utf-8"><style>
    body {{ font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 11pt; }}
    </style></head><body>{body}</body></html>"""
    return HTML(string=doc).write_pdf()


def minimal_pdf(text: str) -> bytes:
    """A hand-written one-page PDF with ASCII text (no font files needed)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def body_text(pages: int = 200, seed: int = 5) -> str:
    """About `pages` pages (~1,500 characters each) of policy prose with some personal data."""
    rng = random.Random(seed)
    prose = ("根据《中华人民共和国政府信息公开条例》和省政府办公厅关于做好政务公开工作的通知要求，"
             "结合我区实际，现将有关事项通知如下。各乡镇人民政府、街道办事处要高度重视，"
             "严格落实先审后发、一事一审制度，做好保密审查，保守秘密，防止泄露个人隐私。"
             "宿政办发〔2023〕5号文件规定，资金于2023年12月01日前拨付，金额合计1,234,567.89元。"
             "索引号：11341702000111222F/202111-00151。")
    out = []
    for _ in range(pages):
        chunk = [prose * 4]
        chunk.append(f"困难群众{make_name(rng)}，身份证号{make_id(rng)}，联系电话{make_mobile(rng)}，"
                     f"住址{make_address(rng)}。")
        chunk.append(prose)
        out.append("\n".join(chunk))
    return "\n".join(out)
