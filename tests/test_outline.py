"""ingest.outline / ingest.pipeline: the clause tree staff cite from.

Most tests run on the real plan (corpus/), read as bytes the way ``tracuu ingest`` reads it;
the others on fixture documents the tests own (tests/fixtures, all invented text).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.catalog import Catalog, load_catalog
from ingest.models import Document
from ingest.outline import parse
from ingest.pipeline import parse_bytes, sha256
from ingest.readers import read
from tests.outline_checks import assert_first_lines, assert_tree, first_line

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PLAN = CORPUS / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"
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


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CORPUS / "catalog.yaml")


@pytest.fixture(scope="module")
def plan(catalog) -> Document:
    return parse_bytes(PLAN.read_bytes(), PLAN.name, catalog)


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
