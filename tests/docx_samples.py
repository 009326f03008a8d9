"""Word documents made with python-docx for the import and preview tests (and the browser tests)."""
import io
import struct
import zlib

import docx


def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def notice_docx(*, image=True) -> bytes:
    """A 低保 notice: heading, paragraphs, a bullet list, a table of names and amounts, optionally an image."""
    d = docx.Document()
    d.add_heading("关于2024年第三批城乡低保对象的公示", 1)
    d.add_paragraph("根据《安徽省最低生活保障办法》，经审核审批，现将新增低保对象予以公示。")
    d.add_paragraph("公示期内如有异议，请向区民政局反映。", style="List Bullet")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("序号", "户主姓名", "保障金额（元）"), ("1", "王某某", "680"), ("2", "李某某", "540")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if image:
        d.add_picture(io.BytesIO(tiny_png()))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A 'DOCX' whose one member inflates to 40 MB of zeros (over the converter's 32 MB part limit)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\x00" * (40 * 1024 * 1024))
    return out.getvalue()
