"""Generator of hostile attachments for the pre-check (zip bombs, huge tables, PDF tricks, XML attacks).

    python tests/privacy/hostile.py OUTDIR [--scale 1.0]

``build(outdir, scale)`` writes every file and returns ``[(file name, what it does), ...]``.
At scale 1 the files reproduce the cases of issue 11 (a DOCX of many 1 MiB parts, a 1,000,000-row
XLSX, a PDF of empty text operators, an 18 MB CSV, ...); the tests use a smaller scale.
Everything is made here from code: no binary is committed.
"""
from __future__ import annotations

import io
import os
import sys
import zipfile
import zlib

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_DOCX_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="word/document.xml"/></Relationships>')


def _docx(document_xml: bytes | str, extra: dict | None = None, doc_rels: str | None = None,
          compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_CT)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("word/document.xml", document_xml)
        if doc_rels:
            zf.writestr("word/_rels/document.xml.rels", doc_rels)
        for k, v in (extra or {}).items():
            zf.writestr(k, v)
    return buf.getvalue()


def _doc(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def _xlsx_writer(path: str, sheets: dict, shared: list[str] | None = None, shared_stream=None):
    """Write a minimal XLSX; ``sheets`` maps a name to an iterator of XML byte chunks of
    <sheetData> content (streamed to the zip, so a 1M-row sheet never sits in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
                    'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                    '</Relationships>')
        names = list(sheets)
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{S_NS}" '
                    f'xmlns:r="{R_NS}"><sheets>' + "".join(
                        f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
                    + "</sheets></workbook>")
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1))
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels + "</Relationships>")
        if shared is not None or shared_stream is not None:
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{S_NS}">'.encode())
                for s in (shared_stream if shared_stream is not None else shared):
                    fh.write(f"<si><t>{s}</t></si>".encode())
                fh.write(b"</sst>")
        for i, n in enumerate(names, 1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as fh:
                fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{S_NS}"><sheetData>'.encode())
                for chunk in sheets[n]:
                    fh.write(chunk)
                fh.write(b"</sheetData></worksheet>")


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        z = zlib.compress(data, 9)
        return b"<< /Length " + str(len(z)).encode() + b" /Filter /FlateDecode >>\nstream\n" + z + b"\nendstream"
    return b"<< /Length " + str(len(data)).encode() + b" >>\nstream\n" + data + b"\nendstream"


def _page_pdf(content: bytes, pages: int = 1) -> bytes:
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages)).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>",
            _stream(content)]
    for _ in range(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                    b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>")
    return _pdf(objs)


def _rows_xml(n: int, cells_per_row: int = 6):
    batch = []
    for r in range(1, n + 1):
        cells = "".join(f'<c r="{chr(65 + c)}{r}"><v>{r * 10 + c}</v></c>' for c in range(cells_per_row))
        batch.append(f'<row r="{r}">{cells}</row>')
        if len(batch) == 2000:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def build(outdir: str, scale: float = 1.0) -> list[tuple[str, str]]:
    os.makedirs(outdir, exist_ok=True)
    made: list[tuple[str, str]] = []

    def put(name, data, what):
        with open(os.path.join(outdir, name), "wb") as fh:
            fh.write(data)
        made.append((name, what))

    def n(x):
        return max(1, int(x * scale))

    # 1. classic zip bomb: one 1 GiB member of zeros
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_CT)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(n(1024)):
                fh.write(block)
    put("01_zip_bomb.docx", buf.getvalue(), "zip bomb: one member of zeros (1 GiB at scale 1)")

    # 2. many 1 MiB header parts (each under the ratio check), all referenced
    parts, rels = {}, []
    para = f'<w:p><w:r><w:t>{"政务公开" * 60}</w:t></w:r></w:p>'.encode()
    part = (f'<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{W_NS}">'.encode()
            + para * ((1 << 20) // len(para)) + b"</w:hdr>")
    for i in range(n(200)):
        parts[f"word/header{i}.xml"] = part
        rels.append(f'<Relationship Id="rH{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/header" Target="header{i}.xml"/>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships">' + "".join(rels) + "</Relationships>")
    put("02_many_1mib_parts.docx", _docx(_doc("<w:p><w:r><w:t>正文</w:t></w:r></w:p>"), parts, doc_rels),
        "DOCX of many 1 MiB header parts (200 at scale 1)")

    # 3. many unreferenced junk parts (what python-docx used to load)
    junk = {f"customXml/item{i}.xml": b"<a>" + b"x" * ((1 << 20) - 8) + b"</a>" for i in range(n(250))}
    put("03_junk_parts.docx", _docx(_doc("<w:p><w:r><w:t>正文</w:t></w:r></w:p>"), junk),
        "DOCX with 250 unreferenced 1 MiB parts")

    # 4. too many zip entries
    many = {f"word/media/i{i}.xml": b"<a/>" for i in range(n(20000))}
    put("04_many_entries.docx", _docx(_doc(""), many, compression=zipfile.ZIP_STORED), "20,000 zip members")

    # 5. billion laughs in document.xml
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10))
              + f']><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    put("05_billion_laughs.docx", _docx(laughs), "billion laughs (nested XML entities)")

    # 6. deep nesting
    depth = n(100000)
    deep = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>' + "<w:sdt>" * depth + "</w:sdt>" * depth + \
        "</w:body></w:document>"
    put("06_deep_nesting.docx", _docx(deep), "100,000 nested XML elements")

    # 7. huge Word table
    row = "<w:tr>" + "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>" * 4 + "</w:tr>"
    put("07_huge_table.docx", _docx(_doc("<w:tbl>" + row * n(400000) + "</w:tbl>")), "Word table of 400,000 rows")

    # 8. 1,000,000-row XLSX
    path = os.path.join(outdir, "08_million_rows.xlsx")
    _xlsx_writer(path, {"Sheet1": _rows_xml(n(1_000_000))})
    made.append(("08_million_rows.xlsx", "XLSX of 1,000,000 rows x 6 numeric cells"))

    # 8b. 1,000,000 one-cell rows: a small sheet XML, so the row limit (not the part size) stops it
    path = os.path.join(outdir, "08b_million_narrow_rows.xlsx")
    _xlsx_writer(path, {"Sheet1": _rows_xml(n(1_000_000), 1)})
    made.append(("08b_million_narrow_rows.xlsx", "XLSX of 1,000,000 one-cell rows (7.5 MB)"))

    # 9. huge sharedStrings
    path = os.path.join(outdir, "09_huge_shared_strings.xlsx")
    _xlsx_writer(path, {"Sheet1": iter([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])},
                 shared_stream=("政务公开信息" * 10 + str(i) for i in range(n(1_000_000))))
    made.append(("09_huge_shared_strings.xlsx", "XLSX with 1,000,000 shared strings (60M characters)"))

    # 10. entity attack in sharedStrings
    path = os.path.join(outdir, "10_xlsx_entities.xlsx")
    _xlsx_writer(path, {"Sheet1": iter([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])},
                 shared_stream=iter(["&lol9;"]))
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    members["xl/sharedStrings.xml"] = members["xl/sharedStrings.xml"].replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0" encoding="UTF-8"?>' + laughs[laughs.index("<!DOCTYPE"):laughs.index("]>") + 2].encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    made.append(("10_xlsx_entities.xlsx", "XLSX sharedStrings with a DOCTYPE of nested entities"))

    # 11. very wide rows (16,384 cells a row)
    def wide():
        for r in range(1, n(400) + 1):
            yield (f'<row r="{r}">' + "".join(f'<c r="XFD{r}"><v>{c}</v></c>' if c == 16383 else f"<c><v>{c}</v></c>"
                                              for c in range(16384)) + "</row>").encode()
    path = os.path.join(outdir, "11_wide_rows.xlsx")
    _xlsx_writer(path, {"Sheet1": wide()})
    made.append(("11_wide_rows.xlsx", "XLSX rows of 16,384 cells each"))

    # 12. 1,000,000-row CSV (about 40 MB)
    lines = "".join(f"{i},政务公开,{i * 7},备注{i}\n" for i in range(n(1_000_000)))
    put("12_million_rows.csv", lines.encode("utf-8"), "CSV of 1,000,000 rows")

    # 13. 18 MB CSV of one huge field
    put("13_one_huge_field.csv", b'"' + b"a" * n(18_000_000) + b'"\n', "CSV with one 18 MB field")

    # 14. PDF of empty text operators
    put("14_pdf_empty_text_ops.pdf", _page_pdf(b"BT () Tj ET\n" * n(8_000_000)),
        "PDF page of 8,000,000 empty text operators (compressed)")

    # 15. PDF with a 256 MiB content stream
    put("15_pdf_huge_stream.pdf", _page_pdf(b" " * n(256 << 20)), "PDF content stream of 256 MiB (compressed)")

    # 16. PDF of many pages
    put("16_pdf_many_pages.pdf", _page_pdf(b"BT /F1 12 Tf 72 720 Td (x) Tj ET", pages=n(20000)), "PDF of 20,000 pages")

    # 17. PDF with a cyclic page tree
    cyc = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"])
    put("17_pdf_cyclic_pages.pdf", cyc, "PDF whose page tree contains itself")

    # 18. PDF with a form XObject that draws itself
    form = _stream(b"/X1 Do", compress=False).replace(
        b"<< /Length",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 4 0 R >> >> /Length")
    selfref = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 5 0 R "
                    b"/Resources << /XObject << /X1 4 0 R >> >> >>", form, _stream(b"/X1 Do", compress=False)])
    put("18_pdf_recursive_xobject.pdf", selfref, "PDF form XObject that draws itself")

    # 19. PDF with deeply nested arrays
    nested = b"[" * n(200000) + b"]" * n(200000)
    put("19_pdf_deep_arrays.pdf", _pdf([b"<< /Type /Catalog /Pages 2 0 R /X " + nested + b" >>",
                                        b"<< /Type /Pages /Kids [] /Count 0 >>"]), "PDF with 200,000 nested arrays")

    # 20. 50 MB of nested HTML
    put("20_nested.html", (b"<div>" * n(2_000_000) + "政务公开".encode() + b"</div>" * n(2_000_000)),
        "HTML of 2,000,000 nested elements")

    # 21. text file over the size limit
    put("21_big.txt", b"a" * n(101 << 20), "text file of 101 MiB")
    return made


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "hostile_files"
    scale = float(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1.0
    for name, what in build(out, scale):
        print(f"{name:<32} {os.path.getsize(os.path.join(out, name)):>12,}  {what}")
