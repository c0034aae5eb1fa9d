"""ingest.outline / ingest.pipeline on the other formats: decree-style text, a .docx plan
with a task table, other encodings and unusable files (fixtures the tests own, all
invented text). The real plan's tests are in test_outline.py.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.catalog import Catalog, Entry
from ingest.errors import CorruptFile, EmptyDocument, IngestError, NeedsOCR, UndecodableText, UnsupportedFormat
from ingest.header import parse_header
from ingest.models import Document
from ingest.outline import parse
from ingest.pipeline import parse_bytes
from tests.outline_checks import assert_first_lines, assert_tree, nfc

FIXTURES = Path(__file__).parent / "fixtures"
DECREE = FIXTURES / "fixture-nghi-dinh-mau.txt"
DOCX = FIXTURES / "fixture-ke-hoach-bang-nhiem-vu.docx"


@pytest.fixture(scope="module")
def decree() -> Document:
    return parse_bytes(DECREE.read_bytes(), DECREE.name)


@pytest.fixture(scope="module")
def docx_plan() -> Document:
    return parse_bytes(DOCX.read_bytes(), DOCX.name)


# --- a decree-style document (fixture) ------------------------------------------------------


DECREE_PATHS = [
    "preamble", "Chương I", "Điều 1", "Điều 1.1", "Điều 1.2", "Điều 1.2.a", "Điều 1.2.b", "Điều 1.3",
    "Điều 2", "Chương II", "Chương II.Mục 1", "Điều 3", "Điều 3.1", "Điều 3.2", "Điều 3.2.a",
    "Điều 3.2.b", "Điều 4",
]


def test_decree_fixture_is_marked_as_a_fixture():
    assert DECREE.read_text(encoding="utf-8").startswith("TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ")


def test_decree_header(decree):
    h = decree.header
    assert h.number == "99/2099/NĐ-CP" and h.number_known is True
    assert h.symbol == "NĐ-CP"
    assert h.date == "2099-02-01"
    assert h.place == "national" and h.signed_in == "Hà Nội"  # a national issuer, signed in Hà Nội
    assert h.doc_type == "Nghị định"
    assert h.issuer == "Chính phủ"
    assert h.title == "Quy định mẫu về thư viện số của Tỉnh Mẫu"


def test_decree_outline(decree):
    assert [c.path for c in decree.clauses] == DECREE_PATHS
    kinds = {c.path: c.kind for c in decree.clauses}
    assert kinds["Chương I"] == "chapter" and kinds["Điều 1"] == "article"
    assert kinds["Điều 1.2"] == "clause" and kinds["Điều 1.2.a"] == "point"
    assert decree.clause("Chương I").heading == "QUY ĐỊNH CHUNG"  # title on the line after "Chương I"
    assert decree.clause("Chương II").heading == "TRÁCH NHIỆM THI HÀNH"
    assert decree.clause("Chương II.Mục 1").heading == "TRÁCH NHIỆM CỦA CÁC SỞ"
    assert decree.clause("Điều 1").heading == "Phạm vi điều chỉnh"
    assert decree.clause("Điều 3").heading == "Sở Khoa học và Công nghệ Tỉnh Mẫu"
    assert decree.clause("Điều 1.2.a").heading == "Tài liệu mật;"
    assert decree.clause("Điều 1").label == "Điều 1"
    assert decree.clause("Điều 1.2").label == "Điều 1, khoản 2"
    assert decree.clause("Điều 1.2.a").label == "Điều 1, khoản 2, điểm a"
    assert decree.clause("Điều 3.2.b").label == "Điều 3, khoản 2, điểm b"
    assert decree.clause("Chương II.Mục 1").label == "Chương II, Mục 1"
    assert decree.clause("Điều 1.2.a").id == "fixture-nghi-dinh-mau#Điều 1.2.a"


def test_decree_nesting(decree):
    parent = {c.path: (decree.clause(c.parent.split("#", 1)[1]).path if c.parent else None) for c in decree.clauses}
    assert parent["Điều 1"] == "Chương I" and parent["Điều 2"] == "Chương I"
    assert parent["Điều 1.2.a"] == "Điều 1.2"
    assert parent["Chương II.Mục 1"] == "Chương II"
    # articles inside "Mục 1" belong to it, so the section's span holds them
    assert parent["Điều 3"] == "Chương II.Mục 1" and parent["Điều 4"] == "Chương II.Mục 1"
    assert "Điều 3. Sở Khoa học và Công nghệ" in decree.clause("Chương II.Mục 1").text
    assert decree.clause("Điều 1.2").text == (
        "2. Nghị định này không áp dụng đối với:\na) Tài liệu mật;\nb) Tài liệu chưa được số hóa."
    )
    assert_tree(decree)
    assert_first_lines(decree)


PARTY = FIXTURES / "fixture-chuong-trinh-tinh-uy-mau.txt"


def test_party_style_numbering_with_dashes():
    """Party documents number "I- MỤC ĐÍCH", "II - …", "1- …": the same outline as "I." and "1.";
    a dash between figures ("10 - 15 tháng") stays text."""
    doc = parse_bytes(PARTY.read_bytes(), PARTY.name)
    assert PARTY.read_text(encoding="utf-8").startswith("TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ")
    assert [c.path for c in doc.clauses] == [
        "preamble", "I", "I.1", "I.2", "II", "II.1", "II.1/1", "II.1/2", "II.2", "II.2.a", "II.2.b", "III", "III.1", "III.2"]
    assert doc.clause("II").heading == "NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU"
    assert doc.clause("II.1").heading == "Phát triển thư viện số mẫu"
    assert doc.clause("II.1/2").text == "- Thời gian thực hiện 10 - 15 tháng kể từ ngày ban hành."
    assert doc.clause("III.1").label == "Mục III, điểm 1"
    assert doc.header.number == "99-CTr/TU" and doc.header.doc_type == "Chương trình hành động"
    assert doc.header.issuer == "Tỉnh ủy tỉnh Mẫu"  # the capitals Vietnamese keeps, from an all-caps header
    resolution = FIXTURES / "fixture-nghi-quyet-bo-chinh-tri-mau.txt"
    assert parse_bytes(resolution.read_bytes(), resolution.name).header.issuer == "Ban Chấp hành Trung ương"
    assert_tree(doc)
    assert_first_lines(doc)


def test_decree_closing_block_is_not_a_clause(decree):
    """Signature and recipients ("Nơi nhận: - Các bộ …") are not tasks of the last article."""
    last = decree.clause("Điều 4")
    assert last.text.endswith("có hiệu lực thi hành từ ngày 1 tháng 3 năm 2099.")
    assert not any(c.kind == "bullet" for c in decree.clauses)
    for c in decree.clauses:
        assert "Nơi nhận" not in c.text and "TM. CHÍNH PHỦ" not in c.text, c.path


def test_decree_preamble_and_references(decree):
    pre = decree.clause("preamble")
    assert pre.text.startswith("Căn cứ Luật Mẫu")
    assert pre.text.endswith("thư viện số của Tỉnh Mẫu.")
    refs = [(r.number, r.date, r.clause_id) for r in decree.references]
    assert ("98/NQ-CP", "2098-03-02", pre.id) in refs


def test_party_resolution_header_keeps_its_two_part_symbol():
    h = parse_header(["BAN CHẤP HÀNH TRUNG ƯƠNG", "Số: 99-NQ/TW", "Hà Nội, ngày 1 tháng 1 năm 2099",
                      "NGHỊ QUYẾT", "về thư viện số mẫu (tài liệu kiểm thử)"])
    assert (h.number, h.symbol, h.number_known, h.date) == ("99-NQ/TW", "NQ/TW", True, "2099-01-01")
    assert h.title == "về thư viện số mẫu (tài liệu kiểm thử)"


def test_signature_and_recipients_before_an_attached_programme_are_skipped():
    """A resolution's closing block sits between its articles and the programme it attaches; the
    programme is a node of its own, with its sections inside it."""
    text = "\n".join([
        "TÀI LIỆU MẪU DÙNG CHO KIỂM THỬ – không phải văn bản thật",
        "NGHỊ QUYẾT",
        "Ban hành Chương trình mẫu",
        "",
        "Điều 1. Ban hành kèm theo Nghị quyết này Chương trình mẫu.",
        "Điều 2. Nghị quyết này có hiệu lực từ ngày ký.",
        "T/M CHÍNH PHỦ",
        "Nơi nhận:",
        "- Các bộ (mẫu);",
        "- Lưu: VT.",
        "CHƯƠNG TRÌNH HÀNH ĐỘNG",
        "I. NHIỆM VỤ",
        "1. Bộ Mẫu chủ trì.",
        "- Hằng năm báo cáo.",
    ])
    doc = parse(text, "mau")
    assert doc.header.doc_type == "Nghị quyết"
    part = "Chương trình hành động"
    assert [c.path for c in doc.clauses] == ["Điều 1", "Điều 2", part, f"{part}.I", f"{part}.I.1", f"{part}.I.1/1"]
    assert doc.clause("Điều 2").text == "Điều 2. Nghị quyết này có hiệu lực từ ngày ký."
    assert doc.clause(f"{part}.I.1/1").text == "- Hằng năm báo cáo."
    assert doc.clause(f"{part}.I").parent == doc.clause(part).id and doc.clause(part).kind == "part"
    assert doc.clause(f"{part}.I.1").label == "Chương trình hành động kèm theo, Mục I, điểm 1"
    assert_tree(doc)


def test_text_after_a_table_inside_an_item_stays_with_the_item():
    text = "\n".join([
        "I. TỔ CHỨC THỰC HIỆN",
        "1. Phân công theo bảng:",
        "TT | Nhiệm vụ | Cơ quan chủ trì",
        "1 | Số hóa tài liệu (mẫu) | Sở Mẫu A",
        "2 | Bố trí kinh phí (mẫu) | Sở Mẫu B",
        "",
        "Các cơ quan báo cáo kết quả hằng năm.",
        "2. Sở Mẫu C theo dõi.",
    ])
    doc = parse(text, "mau")
    assert [c.path for c in doc.clauses] == ["I", "I.1", "T1.1", "T1.2", "I.2"]
    assert doc.clause("T1.2").text == "2 | Bố trí kinh phí (mẫu) | Sở Mẫu B"
    assert doc.clause("T1.2").cells == {"TT": "2", "Nhiệm vụ": "Bố trí kinh phí (mẫu)", "Cơ quan chủ trì": "Sở Mẫu B"}
    assert doc.clause("I.1").text.endswith("Các cơ quan báo cáo kết quả hằng năm.")
    assert doc.clause("I.1").own_text == "1. Phân công theo bảng:\nTT | Nhiệm vụ | Cơ quan chủ trì"
    assert_tree(doc)


def test_decree_takes_the_id_of_its_catalog_entry_by_number():
    catalog = Catalog({"nd-mau": Entry(id="nd-mau", number="99/2099/NĐ-CP", file=None)})
    doc = parse_bytes(DECREE.read_bytes(), DECREE.name, catalog)
    assert doc.id == "nd-mau"
    assert doc.clause("Điều 1.2.a").id == "nd-mau#Điều 1.2.a"


# --- .docx with a task table (fixture) -----------------------------------------------------


def test_docx_header_and_items(docx_plan):
    h = docx_plan.header
    assert (h.number, h.number_known, h.date, h.doc_type) == ("12/KH-UBND", True, "2025-03-05", "Kế hoạch")
    assert h.issuer == "Ủy ban nhân dân tỉnh Mẫu"
    # Word's automatic "1." / "2." and bullets become items and bullets
    assert [c.path for c in docx_plan.clauses if c.kind in ("section", "item", "bullet")] == [
        "I", "II", "II.1", "II.2", "II.2/1", "II.2/2", "III",
    ]
    assert docx_plan.clause("II.1").heading == "Số hóa tài liệu lưu trữ của các sở, ngành."
    assert docx_plan.clause("II.2/2").text == "- Bảo đảm an toàn thông tin khi chia sẻ dữ liệu."
    assert_tree(docx_plan)


def test_docx_task_table_rows_keep_their_columns(docx_plan):
    rows = [c for c in docx_plan.clauses if c.kind == "row"]
    assert [r.path for r in rows] == ["T1.1", "T1.2", "T1.3"]
    assert {r.parent for r in rows} == {f"{docx_plan.id}#III"}
    lead = {r.path: r.cells["Cơ quan chủ trì"] for r in rows}
    assert lead == {"T1.1": "Sở Nội vụ", "T1.2": "Sở Khoa học và Công nghệ", "T1.3": "Sở Tài chính"}
    t2 = docx_plan.clause("T1.2")
    assert t2.cells == {
        "TT": "2",
        "Nhiệm vụ": "Xây dựng cổng tra cứu thư viện số",
        "Cơ quan chủ trì": "Sở Khoa học và Công nghệ",
        "Cơ quan phối hợp": "Sở Tài chính; / Sở Nội vụ",  # the cell's two paragraphs
        "Thời hạn": "Năm 2026",
    }
    assert t2.heading == "Xây dựng cổng tra cứu thư viện số"
    assert t2.label == "Bảng 1, dòng 2"
    assert t2.text == "2 | Xây dựng cổng tra cứu thư viện số | Sở Khoa học và Công nghệ | Sở Tài chính; / Sở Nội vụ | Năm 2026"


def test_docx_text_after_the_table_is_not_part_of_the_last_row(docx_plan):
    last = docx_plan.clause("T1.3")
    assert last.text == "3 | Bố trí kinh phí vận hành thư viện số | Sở Tài chính | Các sở, ngành liên quan | Hằng năm"
    assert docx_plan.clause("III").text.endswith("mọi cơ quan và nội dung đều là giả định.")


# --- other formats and encodings (fixtures) ------------------------------------------------


@pytest.mark.parametrize(
    "name", ["fixture-van-ban-co-lop-chu.pdf", "fixture-windows-1258.txt", "fixture-utf16.txt", "fixture-utf8-bom.txt"]
)
def test_short_plan_in_every_format(name):
    data = (FIXTURES / name).read_bytes()
    doc = parse_bytes(data, name)
    assert doc.id == Path(name).stem
    assert [c.path for c in doc.clauses] == ["preamble", "I", "I.1", "I.2", "I.2/1", "I.2/2", "II"]
    assert doc.clause("I").heading == "NHIỆM VỤ CHỦ YẾU"
    assert doc.clause("II").heading == "TỔ CHỨC THỰC HIỆN"
    assert doc.clause("I.1").heading == "Sở Khoa học và Công nghệ chủ trì xây dựng thư viện số dùng chung."
    assert nfc(doc.clause("I.2").text).startswith("2. Sở Tài chính bố trí kinh phí thực hiện hằng năm.")
    assert nfc(doc.clause("I.2/2").text) == "- Báo cáo kết quả về Ủy ban nhân dân Tỉnh Mẫu."
    assert doc.clause("I.2/1").label == "Mục I, điểm 2, gạch đầu dòng thứ 1"
    assert_tree(doc)
    assert_first_lines(doc)


def test_windows_1258_offsets_index_the_decomposed_source():
    name = "fixture-windows-1258.txt"
    doc = parse_bytes((FIXTURES / name).read_bytes(), name)
    assert any(unicodedata.combining(ch) for ch in doc.source)  # "ê" + U+0301, not "ế"
    assert any("Windows-1258" in w for w in doc.warnings)
    i1 = doc.clause("I.1")
    assert i1.text == doc.source[i1.start : i1.end]
    assert nfc(i1.text) == "1. Sở Khoa học và Công nghệ chủ trì xây dựng thư viện số dùng chung."
    assert len(i1.text) > len(nfc(i1.text))


@pytest.mark.parametrize(
    "name, error",
    [
        ("fixture-rong.txt", EmptyDocument),
        ("fixture-hong.docx", CorruptFile),
        ("fixture-nhi-phan.txt", UndecodableText),
        ("fixture-ban-quet-khong-chu.pdf", NeedsOCR),
    ],
)
def test_unusable_fixtures_are_refused_by_name(name, error):
    with pytest.raises(error) as info:
        parse_bytes((FIXTURES / name).read_bytes(), name)
    assert isinstance(info.value, IngestError)
    assert info.value.path == name
    assert str(info.value).startswith(f"{name}: ")
    assert info.value.reason


@pytest.mark.parametrize(
    "data, name, error",
    [
        (b"   \n\t\n", "trang-trang.txt", EmptyDocument),
        (b"4\n\n", "chi-so-trang.txt", EmptyDocument),  # a stray page number alone is no document
        (b"I. MUC TIEU", "ke-hoach.odt", UnsupportedFormat),
    ],
)
def test_other_unusable_inputs(data, name, error):
    with pytest.raises(error, match=re.escape(name)):
        parse_bytes(data, name)


# --- page captures of the national law portal (invented text in the portal's layout) -------

BANNER = """|
|
Bản dịch này thuộc quyền sở hữu của **
THƯ VIỆN PHÁP LUẬT**. Mọi hành vi sao chép mà không có sự đồng ý là vi phạm.
X
**
CÁC NỘI DUNG ĐƯỢC SỬA ĐỔI, HƯỚNG DẪN
**
Click vào phần bôi vàng để xem chi tiết.
|
|
Đang tải văn bản...
#
"""
METADATA = """**Số hiệu:**
|
{number}
|
|
**Loại văn bản:**
|
Kế hoạch
|
**Nơi ban hành:**
|
Tỉnh Mẫu
|
|
**Người ký:**
|
Trần Văn Mẫu
|
**Ngày ban hành:**
|
21/07/2099
|
|
**Tình trạng:**
|
Đã biết
|
## Tóm tắt của trang về kế hoạch mẫu
Ngày 21/7/2099, Ủy ban nhân dân tỉnh Mẫu ban hành kế hoạch mẫu về thư viện số.
Xem chi tiết tại Kế hoạch mẫu.
"""
HEADER = """|
**ỦY BAN NHÂN
DÂN **
TỈNH MẪU
-------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: {written}
|
*Tỉnh Mẫu, ngày 21
tháng 7 năm 2099*
|
**KẾ HOẠCH**
Phát triển thư viện số tỉnh Mẫu (tài liệu kiểm thử)
**I. MỤC TIÊU**
**1.** Xây dựng thư viện số dùng chung cho các cơ quan
của tỉnh Mẫu, bảo đảm kết nối với cơ sở dữ liệu quốc gia.
**II. TỔ CHỨC THỰC HIỆN**
Các cơ quan thực hiện theo bảng phân công dưới đây:
|
TT
|
Nhiệm vụ
|
Cơ quan chủ trì
|
Cơ quan phối hợp
|
Thời hạn
|
|
1
|
Số hóa tài liệu lưu trữ
dùng chung
|
Sở Nội vụ
|
Sở Khoa học và Công nghệ
|
Quý IV/2099
|
|
2
|
Bố trí kinh phí vận hành
|
Sở Tài chính
|
Các sở, ngành liên quan
|
Hằng năm
|
|
Nơi nhận:
- Như trên;
- Lưu: VT.
|
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Mẫu
|
"""


def capture(number: str = "7432/KH-UBND", written: str = "7432 /KH-UBND") -> bytes:
    return (BANNER + METADATA.format(number=number) + HEADER.format(written=written)).encode("utf-8")


@pytest.fixture(scope="module")
def captured() -> Document:
    return parse_bytes(capture(), "fixture-trang-chup-mau.md")


def test_capture_furniture_is_not_text_of_any_clause(captured):
    assert captured.clauses, "the capture parsed into no clause"
    for c in captured.clauses:
        for furniture in ("Bản dịch này", "THƯ VIỆN PHÁP LUẬT", "Số hiệu", "Đang tải", "Tóm tắt của trang", "Xem chi tiết"):
            assert furniture not in c.text, (c.path, furniture)


def test_capture_header_from_the_issuer_block_and_the_metadata(captured):
    h = captured.header
    assert h.number == "7432/KH-UBND" and h.number_known  # "Số: 7432 /KH-UBND": written with a space
    assert h.issuer == "Ủy ban nhân dân tỉnh Mẫu"  # "ỦY BAN NHÂN / DÂN" wrapped inside the bold run
    assert h.date == "2099-07-21"  # "ngày 21 / tháng 7 năm 2099" wrapped in the cell
    assert h.doc_type == "Kế hoạch" and h.title.startswith("Phát triển thư viện số tỉnh Mẫu")
    assert h.signer == "Trần Văn Mẫu"  # only the metadata block says who signed
    assert h.place == "Mẫu"
    assert h.display_name() == "Kế hoạch 7432/KH-UBND"


def test_capture_table_rows_are_rows_of_cells():
    from ingest.lines import lines_of

    rows = [ln for ln in lines_of(capture().decode()) if ln.cells]
    assert [ln.text for ln in rows] == [
        "TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn",
        "1 | Số hóa tài liệu lưu trữ dùng chung | Sở Nội vụ | Sở Khoa học và Công nghệ | Quý IV/2099",
        "2 | Bố trí kinh phí vận hành | Sở Tài chính | Các sở, ngành liên quan | Hằng năm",
    ]


def test_capture_outline_and_closing_block(captured):
    paths = [c.path for c in captured.clauses]
    assert "I" in paths and "I.1" in paths and "II" in paths
    one = captured.clause("I.1")
    assert one.text.startswith("**1.** Xây dựng thư viện số") and "cơ sở dữ liệu quốc gia." in one.text
    assert not any("Nơi nhận" in c.text or "Lưu: VT" in c.text for c in captured.clauses)
    rows = [c for c in captured.clauses if c.kind == "row"]
    assert any("Sở Tài chính" in c.text for c in rows)


def test_capture_with_a_blank_number_says_so():
    doc = parse_bytes(capture(number="Đang cập nhật", written="      /KH-UBND"), "fixture-trang-chup-chua-so.md")
    assert doc.header.number == "…/KH-UBND" and not doc.header.number_known
    assert doc.header.display_name() == "Kế hoạch (chưa ghi số) của UBND tỉnh Mẫu, ngày 21/7/2099"


def test_capture_number_from_the_portal_when_the_copy_leaves_it_blank():
    doc = parse_bytes(capture(written="…/KH-UBND"), "fixture-trang-chup-so-cong.md")
    assert doc.header.number == "7432/KH-UBND" and doc.header.number_known


# --- document identity from other headers (invented lines) ---------------------------------


@pytest.mark.parametrize("lines, number, issuer, place", [
    (["ĐẢNG BỘ TỈNH MẪU", "TỈNH ỦY", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số -CTr/TU", "Tỉnh Mẫu, ngày 2 tháng 3 năm 2099",
      "CHƯƠNG TRÌNH", "hành động mẫu"], "…-CTr/TU", "Tỉnh ủy tỉnh Mẫu", "Mẫu"),
    (["BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 99-TB/VPTW",
      "Hà Nội, ngày 2 tháng 3 năm 2099", "THÔNG BÁO", "kết luận mẫu"], "99-TB/VPTW", "Văn phòng Trung ương Đảng",
     "national"),
    (["BỘ TÀI CHÍNH", "CỤC THUẾ", "Số: 5348/CT-CS", "V/v mẫu", "Hà Nội, ngày 2 tháng 3 năm 2099", "CÔNG VĂN", "mẫu"],
     "5348/CT-CS", "Cục Thuế", "national"),
    (["ỦY BAN NHÂN DÂN", "TỈNH MẪU", "Số: …/KH-UBND", "Tỉnh Mẫu, ngày     tháng 7 năm 2099", "KẾ HOẠCH", "mẫu"],
     "…/KH-UBND", "Ủy ban nhân dân tỉnh Mẫu", "Mẫu"),
])
def test_identity_from_headers(lines, number, issuer, place):
    from ingest.identity import finish

    h = finish(parse_header(lines))
    assert (h.number, h.issuer, h.place) == (number, issuer, place)
    assert h.date and h.date.startswith("2099-0")
