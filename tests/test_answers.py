"""Who does what: the responsibility matrix, succession, and extractive answers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from index.answers.answer import ask
from index.answers.digest import digest
from index.answers.export import COLUMNS, matrix_csv, matrix_xlsx
from index.build.builder import build
from index.build.units import item_of
from index.engine import Engine, Options
from ingest.normalize import fold

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
PLAN = "kh-ubnd-2024-cnsh"


@pytest.fixture
def engine(plan_engine) -> Engine:
    return plan_engine  # shared session index of corpus/ (conftest)


def rows_in(engine, item):
    """Rows of the agency (or group) an item's heading names; other bodies the item names
    (partners, recipients of reports) have rows of their own."""
    return [r for r in engine.matrix.rows if r.item_id == f"{PLAN}#{item}" and r.source == "heading"]


def test_every_organisation_item_has_its_agency_and_every_bullet_is_a_task(engine):
    doc = engine.documents[PLAN]
    for n in range(1, 13):
        item = doc.clause(f"III.{n}")
        rows = rows_in(engine, f"III.{n}")
        assert rows, f"III.{n} has no row"
        bullets = [c for c in item.children if engine.clauses[c].kind == "bullet"]
        assert {r.clause_id for r in rows} == (set(bullets) or {item.id})
        assert all(r.agency_name in item.heading for r in rows)


def test_roles_and_deadlines_are_read_from_the_text(engine):
    focal = [r for r in rows_in(engine, "III.1") if r.clause_id.endswith("III.1/1")][0]
    assert focal.roles[:2] == ["đầu mối", "theo dõi, đôn đốc"] and focal.reporting
    assert "tháng 12 hàng năm" in focal.deadlines
    (finance,) = rows_in(engine, "III.8")
    assert finance.agency_name == "Sở Tài chính" and finance.roles == ["chủ trì", "tham mưu"]
    assert not finance.catch_all


def test_catch_all_items_are_marked_and_reach_the_agencies_they_cover(engine):
    assert all(r.catch_all for n in (11, 12) for r in rows_in(engine, f"III.{n}"))
    tasks = digest(engine, "so-y-te").by_role
    whys = {(t.row.item_id.split("#")[1], t.why) for ts in tasks.values() for t in ts}
    assert ("III.5", "own") in whys and ("III.11", "catch-all") in whys


def test_successor_gets_its_predecessors_tasks_marked_with_the_old_names(engine):
    d = digest(engine, "so-nn-mt")
    tasks = [t for ts in d.by_role.values() for t in ts if t.why == "predecessor"]
    assert {item_of(t.url_path) for t in tasks} >= {"III.2", "III.6"}
    assert {t.row.agency_name for t in tasks} == {"Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường"}
    assert all("45/2025/NĐ-CP" in p["source"] for p in d.predecessors)
    a = ask(engine, "Sở Nông nghiệp và Môi trường phải làm gì?")
    assert {"III.2", "III.6"} <= {item_of(c.clause.path) for c in a.citations}
    notes = " ".join(a.notes)
    assert "Sở Tài nguyên và Môi trường" in notes and "45/2025/NĐ-CP" in notes


@pytest.mark.parametrize(
    "q, agency, role, item",
    [
        ("Sở nào bố trí kinh phí?", "Sở Tài chính", "chủ trì", "III.8"),
        ("so nao bo tri kinh phi", "Sở Tài chính", "chủ trì", "III.8"),
        ("Cơ quan nào làm đầu mối theo dõi, đôn đốc thực hiện kế hoạch?", "Sở Khoa học và Công nghệ", "đầu mối", "III.1"),
        ("Who allocates the budget for the plan?", "Sở Tài chính", "chủ trì", "III.8"),
    ],
)
def test_who_answers_name_the_agency_its_role_and_a_verbatim_citation(engine, q, agency, role, item):
    a = ask(engine, q)
    assert a.agencies[0] == (agency, role)
    first = a.citations[0]
    assert item_of(first.clause.path) == item
    assert engine.documents[PLAN].source[first.start : first.end] == first.quote
    assert agency in a.text


def test_no_answer_names_an_agency_its_citations_do_not(engine):
    questions = yaml.safe_load((ROOT / "tests/eval/gold.yaml").read_text(encoding="utf-8"))["questions"]
    for q in questions[::3]:
        a = ask(engine, q["q"])
        cited = " ".join(fold(c.quote + " " + c.heading) for c in a.citations)
        for name, _ in a.agencies:
            assert fold(name) in cited, (q["q"], name)


def test_what_questions_group_the_agency_tasks_by_role(engine):
    a = ask(engine, "Sở KH&CN phải làm gì?")
    assert a.kind == "what" and list(a.tasks)[0] == "đầu mối"
    # its own item first, quoted whole (heading and every bullet), then its tasks elsewhere
    assert a.citations[0].clause.path == "III.1" and a.citations[0].quote.startswith("· 1. Sở Khoa học và Công nghệ")
    assert a.citations[0].quote.rstrip().endswith(engine.documents[PLAN].clause("III.1/6").text)
    assert "III.1/1" not in {c.clause.path for c in a.citations}


def test_unsupported_questions_say_so_and_show_the_nearest_clauses(engine):
    a = ask(engine, "Giá vàng hôm nay bao nhiêu?")
    assert not a.supported and not a.agencies and "Không tìm thấy" in a.text and a.citations


def test_documents_without_text_are_said_to_be_missing_and_their_mentions_cited(engine):
    a = ask(engine, "Nghị quyết 36 nói gì về nguồn nhân lực?")
    assert "chưa được nạp" in a.text and not a.agencies
    assert "preamble" in {c.clause.path for c in a.citations}
    assert all("36-NQ/TW" in c.quote for c in a.citations)


def test_once_the_text_is_added_the_answer_comes_from_it(index_copy, e5):
    # A catalog that knows a (fixture) resolution by number only; then its file arrives.
    settings = index_copy("resolution")
    corpus, data = settings.corpus_dir, settings.data_dir
    catalog = yaml.safe_load((corpus / "catalog.yaml").read_text(encoding="utf-8"))
    catalog["documents"].append({"id": "nq-mau-99", "type": "Nghị quyết", "number": "99-NQ/TW", "file": None,
                                 "issuer": "Bộ Chính trị (mẫu kiểm thử)", "date": "2099-01-01"})
    (corpus / "catalog.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    assert build(data, corpus, e5).reasons == ["catalog.yaml"]
    before = ask(Engine.open(Options(data, corpus), e5), "Nghị quyết 99-NQ/TW nói gì về nguồn nhân lực?")
    assert "chưa được nạp" in before.text
    fixture = FIXTURES / "fixture-nghi-quyet-bo-chinh-tri-mau.txt"
    report = build(data, corpus, e5, uploads={fixture.name: fixture.read_bytes()})
    assert [f.doc_id for f in report.files if f.status == "new"] == ["nq-mau-99"]
    after = ask(Engine.open(Options(data, corpus), e5), "Nghị quyết 99-NQ/TW nói gì về nguồn nhân lực?")
    assert "chưa được nạp" not in after.text
    assert after.citations[0].clause.doc_id == "nq-mau-99"


def test_matrix_exports_as_xlsx_and_csv(engine):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(matrix_xlsx(engine))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert any(r[0] == "Sở Tài chính" and r[-1].startswith("khoản 8 Mục III Kế hoạch số") for r in rows[1:])
    assert any(r[0] == "Sở Kế hoạch và Đầu tư" and r[1] == "Sở Tài chính" for r in rows[1:])  # now called
    csv_text = matrix_csv(engine)
    assert csv_text.splitlines()[0].startswith("Cơ quan (theo văn bản)") and "khoản 8 Mục III Kế hoạch số" in csv_text


def test_a_partial_succession_is_shown_as_possibly_the_successors(engine):
    """Sở TT&TT passed to Sở KH&CN except press and publishing, which went to Sở VH-TT-DL: its
    tasks are each one's only possibly, with the registry's note on which part."""
    for successor in ("so-vhttdl", "so-khcn"):
        tasks = [t for ts in digest(engine, successor).by_role.values() for t in ts if t.row.agency_id == "so-tttt"]
        assert tasks and {t.why for t in tasks} == {"partial"}, successor
    a = ask(engine, "Sở Văn hóa, Thể thao và Du lịch phải làm gì?")
    assert any("có thể thuộc Sở Văn hóa, Thể thao và Du lịch" in n and "báo chí" in n for n in a.notes)
    assert not any("nay thuộc" in n for n in a.notes)
    # the district level's tasks are the province's only in part too
    assert {t.why for ts in digest(engine, "ubnd-tinh").by_role.values() for t in ts
            if t.row.agency_id == "ubnd-cac-huyen"} == {"partial"}


def test_current_holders_follow_a_chain_of_successions():
    from index.agencies import Agency, Registry, Succession

    r = Registry([Agency("a", "Sở A", active=False), Agency("b", "Sở B", active=False), Agency("c", "Sở C")],
                 [Succession("a", "b", "2025-01-01", "mẫu"), Succession("b", "c", "2026-01-01", "mẫu")])
    assert [x.id for x in r.current("a")] == ["c"] and r.current("unknown") == []


def test_which_agencies_a_group_covers_is_data():
    from index.agencies import Agency, Registry

    group = Agency("nhom", "Các sở mẫu", kind="nhom", covers={"kinds": ["so"], "levels": ["tinh"]})
    plain = Agency("nhom-2", "Các đơn vị mẫu", kind="nhom")
    r = Registry([group, plain, Agency("so-a", "Sở A", kind="so"), Agency("ban-a", "Ban A", kind="khac")], [])
    assert r.covers("nhom", r.agencies["so-a"]) and not r.covers("nhom", r.agencies["ban-a"])
    assert not r.covers("nhom-2", r.agencies["so-a"])  # a group without `covers` in the registry covers none
