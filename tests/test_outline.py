"""ingest.outline / ingest.pipeline: the clause tree staff cite from.

Most tests run on the real plan (corpus/), read as bytes the way ``tracuu ingest`` reads it;
the others on fixture documents the tests own (tests/fixtures, all invented text).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.catalog import Catalog, Entry, load_catalog
from ingest.errors import CorruptFile, EmptyDocument, IngestError, NeedsOCR, UndecodableText, UnsupportedFormat
from ingest.header import parse_header
from ingest.models import Document
from ingest.normalize import normalize_text
from ingest.outline import BULLET, parse
from ingest.pipeline import parse_bytes, sha256
from ingest.readers import read

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PLAN = CORPUS / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"
FIXTURES = Path(__file__).parent / "fixtures"
DECREE = FIXTURES / "fixture-nghi-dinh-mau.txt"
DOCX = FIXTURES / "fixture-ke-hoach-bang-nhiem-vu.docx"
PLAN_ID = "kh-ubnd-2024-cnsh"

# Items of the plan and how many bullets each has (every other item has none).
PLAN_ITEMS = {
    "I": 0, "I.1": 0, "I.2": 0, "I.2.1": 4, "I.2.2": 0,
    "II": 0, "II.1": 3, "II.2": 3, "II.3": 5, "II.4": 3, "II.5": 2,
    "III": 0, "III.1": 6, "III.2": 4, "III.3": 2, "III.4": 0, "III.5": 3, "III.6": 2,
    "III.7": 0, "III.8": 0, "III.9": 0, "III.10": 0, "III.11": 0, "III.12": 2,
}
AGENCY_HEADINGS = {
    "III.1": "Sở Khoa học và Công nghệ",
    "III.2": "Sở Nông nghiệp và Phát triển nông thôn",
    "III.3": "Sở Công thương",
    "III.4": "Sở Kế hoạch và Đầu tư",
    "III.5": "Sở Y tế",
    "III.6": "Sở Tài nguyên và Môi trường",
    "III.8": "Sở Tài chính",
    "III.9": "Sở Nội vụ",
    "III.12": "Ủy ban nhân dân các huyện, thành phố",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def first_line(text: str) -> str:
    return normalize_text(text.split("\n", 1)[0]).strip()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CORPUS / "catalog.yaml")


@pytest.fixture(scope="module")
def plan(catalog) -> Document:
    return parse_bytes(PLAN.read_bytes(), PLAN.name, catalog)


@pytest.fixture(scope="module")
def decree() -> Document:
    return parse_bytes(DECREE.read_bytes(), DECREE.name)


@pytest.fixture(scope="module")
def docx_plan() -> Document:
    return parse_bytes(DOCX.read_bytes(), DOCX.name)


def assert_tree(doc: Document) -> None:
    """What every parsed document must satisfy for citations and navigation to be right."""
    by_id = {c.id: c for c in doc.clauses}
    assert len(by_id) == len(doc.clauses), "clause ids are unique"
    assert [c.start for c in doc.clauses] == sorted(c.start for c in doc.clauses), "pre-order"
    for c in doc.clauses:
        assert c.id == f"{doc.id}#{c.path}" and c.doc_id == doc.id
        assert 0 <= c.start <= c.own_end <= c.end <= len(doc.source), c.path
        assert doc.source[c.start : c.end] == c.text, f"{c.path}: text is not the source at its offsets"
        assert c.text and c.text == c.text.strip(), f"{c.path}: span starts or ends on blank space"
        assert c.own_text == c.text[: c.own_end - c.start]
        if c.parent is None:
            assert c.depth == 0
        else:
            parent = by_id[c.parent]
            assert c.id in parent.children
            assert c.depth == parent.depth + 1
            assert parent.start <= c.start and c.end <= parent.end, f"{c.path} sticks out of {parent.path}"
        previous_end = c.own_end
        for child_id in c.children:
            child = by_id[child_id]
            assert child.parent == c.id
            assert child.start >= previous_end, f"{child.path} overlaps its parent's text or its elder sibling"
            previous_end = child.end
    for r in doc.references:
        assert 0 <= r.start < r.end <= len(doc.source)
        assert normalize_text(doc.source[r.start : r.end]).find(r.number.split("/")[0]) >= 0


def assert_first_lines(doc: Document) -> None:
    """Each clause starts on its own numbered line: the offsets point at the right place."""
    for c in doc.clauses:
        line = first_line(c.text)
        number = c.path.rsplit(".", 1)[-1]
        if c.kind == "bullet":
            assert BULLET.match(line), (c.path, line)
        elif c.kind == "section":
            assert re.match(rf"^(?:Mục\s+)?{re.escape(number)}\b", line), (c.path, line)
        elif c.kind in ("item", "clause"):
            item_number = c.path.split(".", 1)[1] if c.kind == "item" else number
            assert re.match(rf"^(?:[·\-]\s*)?{re.escape(item_number)}\.", line), (c.path, line)
        elif c.kind == "point":
            assert line.startswith(f"{number})"), (c.path, line)
        elif c.kind in ("article", "chapter"):
            assert line.startswith(c.path), (c.path, line)
        if c.heading and c.kind not in ("chapter", "row"):
            assert c.heading in normalize_text(" ".join(c.own_text.split())), c.path


# --- the plan: source and outline -------------------------------------------------------------


def test_plan_source_is_the_file_verbatim(plan):
    data = PLAN.read_bytes()
    assert plan.source == read(PLAN).text
    assert plan.source.encode("utf-8") == data  # the file has no BOM and no \r: nothing changed
    assert plan.sha256 == sha256(data)
    assert plan.file == PLAN.name
    assert plan.id == PLAN_ID


def test_plan_items_and_bullet_counts(plan):
    structure = {c.path: c for c in plan.clauses if c.kind in ("section", "item")}
    assert set(structure) == set(PLAN_ITEMS)
    for path, count in PLAN_ITEMS.items():
        bullets = [c for c in plan.clauses if c.parent == f"{PLAN_ID}#{path}" and c.kind == "bullet"]
        assert [b.path for b in bullets] == [f"{path}/{k}" for k in range(1, count + 1)], path
    assert {c.kind for c in plan.clauses} == {"preamble", "section", "item", "bullet"}
    assert [c.path for c in plan.clauses if c.parent is None] == ["preamble", "I", "II", "III"]
    assert plan.clause("III").children == [f"{PLAN_ID}#III.{n}" for n in range(1, 13)]
    assert plan.clause("I.2.1").parent == f"{PLAN_ID}#I.2"
    assert plan.clause("I.2").children == [f"{PLAN_ID}#I.2.1", f"{PLAN_ID}#I.2.2"]


def test_plan_headings(plan):
    assert plan.clause("I").heading == "MỤC TIÊU"
    assert plan.clause("II").heading == "NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU"
    assert plan.clause("III").heading == "TỔ CHỨC THỰC HIỆN"
    assert plan.clause("I.2.1").heading == "Mục tiêu đến năm 2030"
    assert plan.clause("I.2.2").heading == "Tầm nhìn đến năm 2045"
    for path, heading in AGENCY_HEADINGS.items():
        assert plan.clause(path).heading == heading, path


def test_plan_dot_glyph_before_a_number_is_an_item_not_a_bullet(plan):
    # Source line: "· 1. Sở Khoa học và Công nghệ " — the "·" is noise, the "1." is the item.
    iii1 = plan.clause("III.1")
    assert iii1.kind == "item" and iii1.heading == "Sở Khoa học và Công nghệ"
    assert iii1.text.startswith("· 1. Sở Khoa học và Công nghệ")
    # while "· Là cơ quan đầu mối …" is its first bullet
    first = plan.clause("III.1/1")
    assert first.kind == "bullet" and first.text.startswith("· Là cơ quan đầu mối")


def test_plan_labels_and_ids(plan):
    assert plan.clause("III.8").label == "Mục III, điểm 8"
    assert plan.clause("III.8").id == "kh-ubnd-2024-cnsh#III.8"
    assert plan.clause("III.1/3").label == "Mục III, điểm 1, gạch đầu dòng thứ 3"
    assert plan.clause("III.1/3").id == "kh-ubnd-2024-cnsh#III.1/3"
    assert plan.clause("I.2.1").label == "Mục I, điểm 2.1"
    assert plan.clause("I.2.1/4").label == "Mục I, điểm 2.1, gạch đầu dòng thứ 4"
    assert plan.clause("III").label == "Mục III"
    assert plan.clause("preamble").label == "Phần mở đầu"


def test_plan_every_clause_is_verbatim_and_nested(plan):
    assert_tree(plan)
    assert_first_lines(plan)


def test_plan_clause_texts_quote_the_source(plan):
    iii8 = plan.clause("III.8")
    assert iii8.text.startswith("8. Sở Tài chính")
    assert "Chủ trì phối hợp với các cơ quan, đơn vị có liên quan" in iii8.text
    assert iii8.own_end == iii8.end  # no sub-items: all of it is its own text
    iii1 = plan.clause("III.1")
    assert iii1.own_text.strip() == "· 1. Sở Khoa học và Công nghệ"
    assert "đầu mối" in plan.clause("III.1/1").text
    # typos of the original stay as they are: a quote is verbatim
    assert "tuyên tuyền" in plan.clause("II.1").text
    # the last bullet ends the document, with its "./."
    assert plan.clause("III.12/2").text.endswith("của địa phương./.")
    assert plan.clause("III").end == plan.clause("III.12/2").end


def test_plan_body_text_is_all_in_some_clause(plan):
    """Nothing after the title is dropped: every non-blank line is inside a top-level clause."""
    tops = [c for c in plan.clauses if c.parent is None]
    body_from = plan.clause("preamble").start
    pos = 0
    for line in plan.source.split("\n"):
        s, e = pos + len(line) - len(line.lstrip()), pos + len(line.rstrip())
        pos += len(line) + 1
        if e <= s or s < body_from:
            continue
        assert any(t.start <= s and e <= t.end for t in tops), line[:60]


def test_plan_header(plan):
    h = plan.header
    assert h.issuer == "Ủy ban nhân dân tỉnh Bình Thuận"  # written "UỶ BAN NHÂN DÂN / TỈNH BÌNH THUẬN"
    assert h.number == "…/KH-UBND" and h.number_known is False
    assert h.symbol == "KH-UBND"
    assert h.place == "Bình Thuận"
    assert h.date == "2024-04"  # "ngày        tháng 4 năm 2024"
    assert h.doc_type == "Kế hoạch"
    assert h.title.startswith("Triển khai thực hiện Chương trình số 64-CTr/TU")
    assert h.title.endswith("trong tình hình mới")


def test_plan_stray_page_number_is_not_a_clause(plan):
    assert plan.source.startswith("4\n")
    assert any("dòng 1" in w and "'4'" in w for w in plan.warnings)
    assert min(c.start for c in plan.clauses) > plan.source.index("KẾ HOẠCH")
    assert not any(first_line(c.text) == "4" for c in plan.clauses)


def test_plan_preamble_references(plan):
    pre = plan.clause("preamble")
    assert pre.text.startswith("Thực hiện Chương trình hành động số 64-CTr/TU")
    refs = [r for r in plan.references if r.clause_id == pre.id]
    assert [(r.number, r.date) for r in refs] == [
        ("64-CTr/TU", "2023-07-05"),
        ("36-NQ/TW", "2023-01-30"),
        ("189/NQ-CP", "2023-11-16"),
        ("36-NQ/TW", "2023-01-30"),
    ]
    assert [r.doc_type for r in refs] == ["Chương trình hành động", "Nghị quyết", "Nghị quyết", "Nghị quyết"]
    mentions = [plan.source[r.start : r.end] for r in refs]
    assert mentions[0] == "Chương trình hành động số 64-CTr/TU ngày 05/7/2023"
    assert mentions[1] == "Nghị quyết số 36-NQ/TW, ngày 30 tháng 01 năm 2023"
    assert mentions[2] == "Nghị quyết số 189/NQ-CP ngày 16 tháng 11 năm 2023"
    for r in refs:
        assert pre.start <= r.start < r.end <= pre.end


def test_plan_references_elsewhere_sit_in_their_clause(plan):
    by_id = {c.id: c for c in plan.clauses}
    inner = [r for r in plan.references if r.clause_id not in (None, f"{PLAN_ID}#preamble")]
    assert {by_id[r.clause_id].path for r in inner} >= {"II.1/1", "III.7"}
    for r in inner:
        c = by_id[r.clause_id]
        assert c.start <= r.start < r.end <= c.end
    # the title's mentions are outside every clause
    title = [r for r in plan.references if r.clause_id is None]
    assert [r.number for r in title] == ["64-CTr/TU", "36-NQ/TW"]


def test_plan_document_round_trips_through_a_dict(plan):
    again = Document.from_dict(plan.to_dict())
    assert again == plan


def test_plan_without_catalog_gets_an_id_from_its_file_name():
    doc = parse_bytes(PLAN.read_bytes(), PLAN.name)
    assert doc.id == "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc"
    assert doc.clause("III.8").id == "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc#III.8"


def test_parse_directly_matches_the_pipeline(plan):
    doc = parse(read(PLAN).text, PLAN_ID)
    assert [(c.path, c.start, c.end) for c in doc.clauses] == [(c.path, c.start, c.end) for c in plan.clauses]


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
    assert h.place == "Hà Nội"
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
    """A resolution's closing block sits between its articles and the programme it attaches."""
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
    assert [c.path for c in doc.clauses] == ["Điều 1", "Điều 2", "I", "I.1", "I.1/1"]
    assert doc.clause("Điều 2").text == "Điều 2. Nghị quyết này có hiệu lực từ ngày ký."
    assert doc.clause("I.1/1").text == "- Hằng năm báo cáo."
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
        "Cơ quan phối hợp": "Sở Tài chính; Sở Nội vụ",
        "Thời hạn": "Năm 2026",
    }
    assert t2.heading == "Xây dựng cổng tra cứu thư viện số"
    assert t2.label == "Bảng 1, dòng 2"
    assert t2.text == "2 | Xây dựng cổng tra cứu thư viện số | Sở Khoa học và Công nghệ | Sở Tài chính; Sở Nội vụ | Năm 2026"


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
