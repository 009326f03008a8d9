"""privacy.sandbox: scans and masks in a child process under OS limits; every hostile file of
tests/privacy/hostile.py gets a verdict."""
import os

import pytest

from privacy import INCOMPLETE, Limits
from privacy.sandbox import mask_file_isolated, scan_file_isolated
from tests.privacy import hostile
from tests.privacy import privacy_fixtures as fx


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    return str(d), hostile.build(str(d), scale=0.05)


# limits scaled like the files (scale 0.05), so that each hostile file meets one
TEST_LIMITS = Limits(wall_seconds=20, cpu_seconds=20, address_space_bytes=1536 << 20, file_bytes=4 << 20,
                     zip_entries=900, zip_part_bytes=8 << 20, zip_total_bytes=32 << 20, rows=20_000, cells=200_000,
                     pdf_pages=500, pdf_operators=100_000, pdf_stream_bytes=8 << 20, text_chars=2_000_000)

# files whose verdict must be "blocking" (the others may also come out clean: e.g. unreferenced junk)
MUST_BLOCK = {"01_zip_bomb.docx", "02_many_1mib_parts.docx", "04_many_entries.docx", "05_billion_laughs.docx",
              "06_deep_nesting.docx", "08_million_rows.xlsx", "08b_million_narrow_rows.xlsx",
              "09_huge_shared_strings.xlsx",
              "10_xlsx_entities.xlsx", "11_wide_rows.xlsx", "12_million_rows.csv", "13_one_huge_field.csv",
              "14_pdf_empty_text_ops.pdf", "15_pdf_huge_stream.pdf", "16_pdf_many_pages.pdf",
              "17_pdf_cyclic_pages.pdf", "18_pdf_recursive_xobject.pdf", "19_pdf_deep_arrays.pdf", "21_big.txt"}


def test_hostile_generator_makes_twenty_files(hostile_dir):
    d, made = hostile_dir
    assert len(made) >= 20
    assert all(os.path.exists(os.path.join(d, name)) for name, _ in made)


@pytest.mark.slow
@pytest.mark.parametrize("name", [
    "01_zip_bomb.docx", "02_many_1mib_parts.docx", "03_junk_parts.docx", "04_many_entries.docx",
    "05_billion_laughs.docx", "06_deep_nesting.docx", "07_huge_table.docx", "08_million_rows.xlsx",
    "08b_million_narrow_rows.xlsx",
    "09_huge_shared_strings.xlsx", "10_xlsx_entities.xlsx", "11_wide_rows.xlsx", "12_million_rows.csv",
    "13_one_huge_field.csv", "14_pdf_empty_text_ops.pdf", "15_pdf_huge_stream.pdf", "16_pdf_many_pages.pdf",
    "17_pdf_cyclic_pages.pdf", "18_pdf_recursive_xobject.pdf", "19_pdf_deep_arrays.pdf", "20_nested.html",
    "21_big.txt"])
def test_every_hostile_file_gets_a_verdict_through_the_sandbox(hostile_dir, name):
    d, _made = hostile_dir
    report = scan_file_isolated(os.path.join(d, name), name, limits=TEST_LIMITS)
    assert set(report) >= {"findings", "counts", "blocking", "truncated", "run"}
    assert report["run"]["killed"] in (None, "wall_seconds", "cpu_seconds", "address_space_bytes")
    if name in MUST_BLOCK:
        assert report["blocking"], report
        assert {f["kind"] for f in report["findings"]} & {"incomplete", "unreadable"}
    for f in report["findings"]:
        if f["kind"] == INCOMPLETE:
            assert f["masked"].startswith("无法完成预检：") and f["context"]


def test_isolated_scan_of_a_list(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(fx.xlsx_bytes({"S": fx.dibao_rows(30)}))
    report = scan_file_isolated(str(path), "低保名单.xlsx", options={"public_values": ["0563-4012345"]})
    assert report["counts"]["id_number"] == 30 and report["blocking"] and report["run"]["killed"] is None
    assert report["findings"][0]["location"]["source"] == "低保名单.xlsx"
    assert "value" not in report["findings"][0]
    with_values = scan_file_isolated(str(path), "低保名单.xlsx", options={"include_values": True})
    assert "value" in with_values["findings"][0]


def test_isolated_mask_writes_the_output_file(tmp_path):
    src, out = tmp_path / "list.csv", tmp_path / "masked.csv"
    src.write_bytes(fx.csv_bytes(fx.dibao_rows(10)))
    result = mask_file_isolated(str(src), "名单.csv", str(out))
    assert result["ok"] and result["count"] == 50 and out.exists()
    report = scan_file_isolated(str(out), "名单.csv")
    assert not report["blocking"], report["findings"][:3]


def test_isolated_mask_reports_a_limit(tmp_path):
    src, out = tmp_path / "list.csv", tmp_path / "masked.csv"
    src.write_bytes(fx.csv_bytes(fx.dibao_rows(100)))
    result = mask_file_isolated(str(src), "名单.csv", str(out), limits=Limits(rows=10))
    assert not result["ok"] and result["limit"] == "rows" and "无法完成预检" in result["error"]
    assert not out.exists()


def test_child_killed_at_the_wall_limit(tmp_path, monkeypatch):
    # one PDF page whose text extraction alone outlasts the limit: the parent kills the child
    from privacy import sandbox

    monkeypatch.setattr(sandbox, "GRACE_SECONDS", 0.2)
    path = tmp_path / "slow.pdf"
    path.write_bytes(hostile._page_pdf(b"BT () Tj ET\n" * 600_000))
    limits = Limits(wall_seconds=0.5, pdf_operators=10 ** 8)
    report = scan_file_isolated(str(path), "slow.pdf", limits=limits)
    assert report["run"]["killed"] == "wall_seconds"
    [f] = report["findings"]
    assert f["kind"] == INCOMPLETE and "检查时间上限" in f["masked"] and report["blocking"]


def test_child_out_of_memory_is_incomplete(tmp_path):
    # 1,000,000 shared strings (60M characters) held in memory against a 150 MiB address space
    path = tmp_path / "strings.xlsx"
    hostile._xlsx_writer(str(path), {"S": iter([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])},
                         shared_stream=("政务公开信息" * 10 + str(i) for i in range(1_000_000)))
    limits = Limits(address_space_bytes=150 << 20, text_chars=10 ** 9, zip_part_bytes=1 << 30,
                    zip_total_bytes=1 << 30)
    report = scan_file_isolated(str(path), "strings.xlsx", limits=limits)
    assert report["blocking"]
    [f] = report["findings"]
    assert (f["kind"], f["context"]) == (INCOMPLETE, "address_space_bytes") and "内存上限" in f["masked"]


def test_sandbox_does_not_import_django(tmp_path):
    import subprocess
    import sys

    code = "import sys, privacy.sandbox; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))), env={"PATH": "/usr/bin:/bin"})
