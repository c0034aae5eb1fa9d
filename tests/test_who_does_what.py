"""Who does what on directives nobody here wrote the code around: bodies the registry does not
list, roles read from the sentence, task tables, formats, document scope.

The documents are fixtures written for these tests (tests/fixtures/fixture-*, invented text in
the formats of real directives); ``tests/eval/fixture-questions.jsonl`` holds questions about
them in the format of the development set, scored as ``tracuu eval`` scores them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.agencies import Registry
from index.answers.answer import ask
from index.build.builder import build
from index.engine import Engine, Options
from index.naming import named_in
from index.retrieval.query import analyze
from ingest.assign import assign
from ingest.bodies import find_bodies
from ingest.outline import parse
from ingest.pipeline import parse_bytes
from service.evaluate import load_questions, score
from service.schemas import ask_out
from tests.outline_checks import assert_tree

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
QUESTIONS = ROOT / "tests" / "eval" / "fixture-questions.jsonl"
DOCS = ["fixture-ke-hoach-markdown-mau.md", "fixture-cong-van-xuong-dong-mau.pdf", "fixture-chuong-trinh-dang-uy-mau.txt",
        "fixture-nghi-quyet-chinh-phu-mau.txt", "fixture-nghi-quyet-bo-chinh-tri-mau.txt"]


@pytest.fixture(scope="module")
def fixture_engine(tmp_path_factory, e5) -> Engine:
    docs = tmp_path_factory.mktemp("who-docs")
    for name in DOCS:
        shutil.copy(FIXTURES / name, docs / name)
    data = tmp_path_factory.mktemp("who-data")
    build(data, ROOT / "corpus", e5, paths=[docs])
    return Engine.open(Options(data, ROOT / "corpus"), e5)


def _read(name: str):
    path = FIXTURES / name
    return parse_bytes(path.read_bytes(), path.name, gazetteer=Registry.load(ROOT / "corpus" / "agencies.yaml").gazetteer())


def _roles(doc, path: str) -> dict[str, str]:
    return {a.agency: a.role for a in doc.assignments if a.clause_id == f"{doc.id}#{path}"}


# --- end to end: the fixture questions ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("question", load_questions(QUESTIONS), ids=lambda q: q.id)
def test_fixture_questions_get_the_agency_and_the_clause(fixture_engine, question):
    files = {m["file"]: d for d, m in fixture_engine.manifest["documents"].items()}
    answer = ask_out(ask(fixture_engine, question.q)).model_dump()
    outcome = score(question, answer, files[question.file])
    assert outcome.passed, (question.q, answer["agencies"][:3], answer["citations"][0]["section"] if answer["citations"] else None)
    assert outcome.cite_ok and outcome.doc_ok, (question.q, outcome.got_section, outcome.got_quote)


@pytest.mark.slow
def test_a_cited_bullet_shows_whose_task_it_is(fixture_engine):
    a = ask_out(ask(fixture_engine, "Sở Tài chính thành phố Mẫu tham mưu bố trí kinh phí như thế nào?")).model_dump()
    bullet = next(c for c in a["citations"] if c["section"] == "IV.1/1")
    assert bullet["heading"] == "Sở Tài chính thành phố Mẫu" and bullet["quote"].startswith("- Tham mưu")


@pytest.mark.slow
def test_bodies_only_a_document_names_have_their_own_pages(fixture_engine):
    registry = fixture_engine.registry
    company = next(a for a in registry.agencies.values() if a.name == "Công ty TNHH Một thành viên Cấp nước Mẫu")
    assert company.origin == "document"
    rows = fixture_engine.matrix.for_agency(company.id)
    assert [r.clause_id.split("#")[1] for r, _ in rows] == ["II.2/1"]
    # another province's department is not the registry's (Bình Thuận's) Sở Tài chính
    assert not any(r.doc_id.startswith("fixture-cong-van") for r, _ in fixture_engine.matrix.for_agency("so-tai-chinh"))


# --- the recogniser of bodies ---------------------------------------------------------------------


@pytest.mark.parametrize("text, names", [
    ("Sở Giao dịch chứng khoán Hà Nội xây dựng sàn giao dịch", ["Sở Giao dịch chứng khoán Hà Nội"]),
    ("Cục Biến đổi khí hậu phối hợp thực hiện", ["Cục Biến đổi khí hậu"]),
    ("Bộ Văn hóa, Thể thao và Du lịch, Bộ Tài chính", ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Tài chính"]),
    ("Các Bộ: Công an, Kế hoạch và Đầu tư, Ngân hàng Nhà nước Việt Nam",
     ["Bộ Công an", "Bộ Kế hoạch và Đầu tư", "Ngân hàng Nhà nước Việt Nam"]),
    ("Ban cán sự đảng Bộ Tài nguyên và Môi trường chủ trì", ["Ban cán sự đảng Bộ Tài nguyên và Môi trường"]),
    ("Đảng đoàn Quốc hội lãnh đạo", ["Đảng đoàn Quốc hội"]),
    ("Ủy ban nhân dân phường Đông Mẫu thí điểm", ["Ủy ban nhân dân phường Đông Mẫu"]),
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương; Công an tỉnh",
     ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "Công an tỉnh"]),
    ("phối hợp với các sở, ban, ngành, đoàn thể tỉnh", ["các sở, ban, ngành, đoàn thể tỉnh"]),
    ("Ban hành kế hoạch; trường hợp cần thiết báo cáo Bộ trưởng", []),
])
def test_bodies_are_read_by_how_names_are_written(text, names):
    assert [b.name for b in find_bodies(text)] == names


def test_a_group_is_marked_as_one():
    (group,) = find_bodies("Các cơ quan, đơn vị có liên quan")
    assert group.group and group.name == "Các cơ quan, đơn vị có liên quan"


# --- roles from the sentence ----------------------------------------------------------------------


def _assign(lines: list[str]) -> dict:
    doc = parse("\n".join(["KẾ HOẠCH", "Mẫu kiểm thử (tài liệu giả định)", *lines]), "mau")
    doc.assignments = assign(doc)
    out: dict[str, dict[str, str]] = {}
    for a in doc.assignments:
        out.setdefault(a.clause_id.split("#")[1], {})[a.agency] = a.role
    return out


def test_roles_are_read_from_inline_assignments():
    got = _assign([
        "I. NHIỆM VỤ",
        "1. Giao Sở Xây dựng chủ trì, phối hợp với Công an tỉnh kiểm tra an toàn công trình.",
        "2. Trung tâm Dữ liệu tỉnh là cơ quan thường trực vận hành hệ thống.",
        "3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh giám sát việc thực hiện.",
        "4. Bộ Chỉ huy Quân sự tỉnh có trách nhiệm bảo vệ kho dữ liệu.",
        "5. Sở Nội vụ tham mưu Ủy ban nhân dân tỉnh kiện toàn bộ máy.",
        "6. Hệ thống do Sở Tài chính chủ trì, phối hợp với Kho bạc Nhà nước tỉnh xây dựng.",
    ])
    assert got["I.1"] == {"Sở Xây dựng": "chủ trì", "Công an tỉnh": "phối hợp"}
    assert got["I.2"] == {"Trung tâm Dữ liệu tỉnh": "đầu mối"}
    assert got["I.3"] == {"Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh": "thực hiện"}
    assert got["I.4"] == {"Bộ Chỉ huy Quân sự tỉnh": "thực hiện"}
    assert got["I.5"]["Sở Nội vụ"] == "tham mưu"
    assert got["I.6"] == {"Sở Tài chính": "chủ trì", "Kho bạc Nhà nước tỉnh": "phối hợp"}


def test_under_an_agency_heading_phoi_hop_voi_makes_the_two_partners():
    # "1. Sở Công Thương / - Phối hợp với Sở Tài chính …": the item names no lead; each works with
    # the other ("ai phối hợp với Sở Tài chính …?" is answered by Sở Công Thương, and the other way round)
    got = _assign([
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Sở Công Thương",
        "- Phối hợp với Sở Tài chính đẩy mạnh thu hút đầu tư.",
        "2. Cục Thống kê tỉnh phối hợp thực hiện các nhiệm vụ điều tra.",
    ])
    assert got["III.1/1"] == {"Sở Công Thương": "phối hợp", "Sở Tài chính": "phối hợp"}
    assert got["III.2"] == {"Cục Thống kê tỉnh": "phối hợp"}


def test_a_list_of_bodies_after_a_responsibility_lead_in():
    got = _assign(["I. NHIỆM VỤ", "1. Kiểm tra, giám sát", "Trách nhiệm chỉ đạo thực hiện: Sở Y tế; Thanh tra tỉnh."])
    assert got["I.1"] == {"Sở Y tế": "thực hiện", "Thanh tra tỉnh": "thực hiện"}


def test_in_a_table_row_partners_are_partners_and_a_directed_body_is_under_the_lead():
    got = _assign([
        "I. PHÂN CÔNG",
        "TT | Nội dung công việc | Sản phẩm | Đơn vị chủ trì | Đơn vị phối hợp | Tiến độ",
        "1 | Xây dựng sàn giao dịch mẫu | Sàn (mẫu) | Bộ Tài chính chỉ đạo Sở Giao dịch chứng khoán Việt Nam | Bộ Công Thương; Bộ Tư pháp | 2099",
    ])
    assert got["T1.1"] == {"Bộ Tài chính": "chủ trì", "Sở Giao dịch chứng khoán Việt Nam": "thực hiện",
                           "Bộ Công Thương": "phối hợp", "Bộ Tư pháp": "phối hợp"}


# --- formats ----------------------------------------------------------------------------------------


def test_markdown_plan_reads_headings_bold_numbers_and_tables():
    doc = _read("fixture-ke-hoach-markdown-mau.md")
    assert doc.header.number == "45/KH-UBND" and doc.header.issuer == "Ủy ban nhân dân thành phố Mẫu"
    assert doc.header.title.startswith("Triển khai chuyển đổi số")
    paths = [c.path for c in doc.clauses]
    assert paths[:4] == ["preamble", "I", "I.1", "I.1/1"] and "II.2/1/2" in paths  # "+" under "-"
    assert doc.clause("T1.II.2").cells["Đơn vị chủ trì"] == "Sở Tài chính thành phố Mẫu"
    assert doc.clause("T1.II.2").parent == f"{doc.id}#T1.II" and doc.clause("T1.II").kind == "row"
    assert not any("Nơi nhận" in c.text for c in doc.clauses)
    assert_tree(doc)


def test_wrapped_pdf_lines_that_run_on_are_not_items():
    doc = _read("fixture-cong-van-xuong-dong-mau.pdf")
    assert doc.wrapped and doc.header.doc_type == "Công văn" and doc.header.number == "321/UBND-KT"
    assert [c.path for c in doc.clauses] == ["preamble", "1", "2", "3", "4"]
    first = doc.clause("1").text
    assert "1.000 tỷ đồng" in first and "Điều 5 Luật Quản lý" in first
    assert doc.clause("2").heading.endswith("Ủy ban nhân dân các xã, phường")  # wrapped onto a second line
    assert _roles(doc, "2") == {"Công an tỉnh Mẫu": "thực hiện", "Ban Quản lý các khu công nghiệp tỉnh Mẫu": "thực hiện",
                                "Ủy ban nhân dân các xã, phường": "thực hiện", "Sở Xây dựng tỉnh Mẫu": "nhận báo cáo"}
    assert any("số trang" in w for w in doc.warnings)
    assert_tree(doc)


def test_a_table_whose_cells_come_one_a_line_is_read_back_into_columns():
    """A PDF's text layer gives a table's header and cells one per line, names wrapped in their cell."""
    doc = parse_bytes("\n".join([
        "KẾ HOẠCH", "Mẫu kiểm thử (giả định)", "III. PHÂN CÔNG", "TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp",
        "Thời gian", "1", "Xây dựng cơ sở dữ liệu mẫu về đất đai", "Sở Nông nghiệp và Môi", "trường", "Sở Tài chính; Sở Nội vụ",
        "Quý IV/2099", "2", "Bố trí kinh phí mẫu", "Sở Tài chính", "Các sở, ngành liên quan", "Hằng năm",
        "IV. TỔ CHỨC THỰC HIỆN", "Các cơ quan báo cáo kết quả.",
    ]).encode(), "fixture-bang-tung-dong.txt")
    assert [c.path for c in doc.clauses] == ["III", "T1.1", "T1.2", "IV"]
    assert doc.clause("T1.1").cells["Cơ quan chủ trì"] == "Sở Nông nghiệp và Môi trường"
    assert _roles(doc, "T1.1") == {"Sở Nông nghiệp và Môi trường": "chủ trì", "Sở Tài chính": "phối hợp", "Sở Nội vụ": "phối hợp"}
    assert [a.deadlines[0]["due"] for a in doc.assignments if a.clause_id.endswith("T1.1")][0] == "2099-12-31"


def test_party_programme_bodies_and_header():
    doc = _read("fixture-chuong-trinh-dang-uy-mau.txt")
    assert doc.header.issuer == "Ban Thường vụ Tỉnh ủy tỉnh Mẫu" and doc.header.number == "88-CTr/TU"
    assert _roles(doc, "II.2/2") == {"Ban cán sự đảng Ủy ban nhân dân tỉnh": "thực hiện"}
    assert _roles(doc, "III.4")["Văn phòng Tỉnh ủy"] == "đầu mối"
    report = next(a for a in doc.assignments if a.clause_id.endswith("#III.3") and a.role != "nhận báo cáo")
    assert report.deadlines[0]["every"] == "year" and (report.deadlines[0]["month"], report.deadlines[0]["day"]) == (11, 30)


# --- questions ----------------------------------------------------------------------------------------


def test_a_query_with_diacritics_is_matched_with_them(plan_engine):
    assert not named_in(plan_engine.registry, "chỉ số tài chính của doanh nghiệp")
    assert named_in(plan_engine.registry, "so tai chinh phai lam gi")[0].agency.id == "so-tai-chinh"
    assert named_in(plan_engine.registry, "Sở Tài chính phải làm gì")[0].agency.id == "so-tai-chinh"


@pytest.mark.parametrize("q, kind, role", [
    ("Thanh tra tỉnh phối hợp với sở nào?", "who", "phối hợp"),
    ("vướng mắc thì báo cáo cơ quan nào", "who", "nhận báo cáo"),
    ("Cơ quan nào làm đầu mối tổng hợp?", "who", "đầu mối"),
    ("Sở Tài chính được giao những việc gì?", "what", None),
])
def test_question_kinds(q, kind, role):
    a = analyze(q)
    assert (a.kind, a.role) == (kind, role)


def test_short_document_numbers_are_read_generically():
    assert [(n.doc_type, n.lead) for n in analyze("theo QĐ 232 và cv 7103").refs] == [("Quyết định", "232"), ("Công văn", "7103")]
    assert [n.number for n in analyze("Nghị quyết 45/2025/QH15").refs] == ["45/2025/QH15"]


def test_questions_file_is_well_formed():
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        assert q["file"] in DOCS and q["kind"] in ("agency", "nodiac", "task", "partner", "deadline")


# --- deadlines as dates, and the calendar an officer subscribes to ------------------------------------


@pytest.mark.slow
def test_an_agency_calendar_holds_its_dated_and_periodic_tasks(fixture_engine):
    from icalendar import Calendar

    from index.answers.calendar import agency_calendar

    def events(name: str) -> list:
        agency = next(a for a in fixture_engine.registry.agencies.values() if a.name == name)
        return list(Calendar.from_ical(agency_calendar(fixture_engine, agency.id)).walk("VEVENT"))

    (due,) = [e for e in events("Sở Tài chính tỉnh Mẫu") if "15/8/2099" in str(e["description"])]
    assert due.decoded("dtstart").isoformat() == "2099-08-15" and "rrule" not in due
    monthly = [e for e in events("Các sở, ban, ngành") if "rrule" in e]
    assert any(e["rrule"]["FREQ"] == ["MONTHLY"] and e["rrule"]["BYMONTHDAY"] == [20] for e in monthly)
    assert any(e["rrule"]["FREQ"] == ["YEARLY"] and e.decoded("dtstart").strftime("%m-%d") == "12-15" for e in monthly)


@pytest.mark.slow
def test_a_question_points_to_documents_by_number_issuer_and_place(fixture_engine):
    from index.retrieval.scope import scope_of

    party = "fixture-chuong-trinh-dang-uy-mau"
    assert scope_of(fixture_engine, "Theo Chương trình 88-CTr/TU, ai kiểm tra?").docs == [party]
    assert scope_of(fixture_engine, "ctr 88 giao ai kiểm tra?").docs == [party]
    assert party in scope_of(fixture_engine, "Theo văn bản của Ban Thường vụ Tỉnh ủy tỉnh Mẫu, ai kiểm tra?").boost
    assert "fixture-cong-van-xuong-dong-mau" in scope_of(fixture_engine, "Ở tỉnh Mẫu, ai rà soát chi mua sắm?").boost
    assert scope_of(fixture_engine, "Quyết định 88 giao ai kiểm tra?").docs == []  # 88 is a programme's number
