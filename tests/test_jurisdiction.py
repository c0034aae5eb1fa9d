"""Agencies belong to a place; answers come from the right place's and the right document's
clauses; a collective addressee is never named first when a specific body is named too.

Four invented fixture documents: the plans of two provinces ("Đông Mẫu", "Tây Mẫu"), each with
its own "Sở Công Thương", the Party programme 77-CTr/TU that Đông Mẫu's plan implements, and a
Prime Minister's telegram to every province.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.agencies import NATIONAL, Registry, jurisdiction_of, place_of
from index.answers.answer import ask
from index.build.builder import build
from index.engine import Engine, Options
from service.schemas import ask_out

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EAST, WEST = "fixture-ke-hoach-tinh-dong-mau", "fixture-ke-hoach-tinh-tay-mau"
PROGRAMME = "fixture-chuong-trinh-tinh-uy-dong-mau"
TELEGRAM = "fixture-cong-dien-hang-mau"


@pytest.fixture(scope="module")
def engine(tmp_path_factory, e5) -> Engine:
    docs = tmp_path_factory.mktemp("places-docs")
    for name in (EAST, WEST, PROGRAMME, TELEGRAM):
        shutil.copy(FIXTURES / f"{name}.txt", docs / f"{name}.txt")
    data = tmp_path_factory.mktemp("places-data")
    build(data, ROOT / "corpus", e5, paths=[docs])
    return Engine.open(Options(data, ROOT / "corpus"), e5)


def _docs(answer) -> list[str]:
    return [c.clause.doc_id for c in answer.citations]


@pytest.mark.slow
def test_two_provinces_departments_of_one_name_are_two_agencies(engine):
    assert place_of(engine.documents[EAST]) == "Đông Mẫu" and place_of(engine.documents[PROGRAMME]) == "Đông Mẫu"
    same = [a for a in engine.registry.agencies.values() if a.name == "Sở Công Thương" and a.origin == "document"]
    assert sorted(a.jurisdiction for a in same) == ["Tây Mẫu", "Đông Mẫu"]
    assert len({a.id for a in same}) == 2
    for a in same:  # each has only its own province's tasks
        assert {r.doc_id for r, _ in engine.matrix.for_agency(a.id)} == {EAST if a.jurisdiction == "Đông Mẫu" else WEST}


@pytest.mark.slow
def test_a_question_naming_a_place_is_answered_from_that_places_document(engine):
    west = ask_out(ask(engine, "Ở tỉnh Tây Mẫu, sở nào chủ trì tổ chức hội chợ nông sản đặc sản và hàng thủ công mỹ nghệ hằng năm?")).model_dump()
    assert west["agencies"][0]["name"] == "Sở Văn hóa, Thể thao và Du lịch"
    assert west["agencies"][0]["jurisdiction"] == "Tây Mẫu" and west["citations"][0]["doc_id"] == WEST
    east = ask_out(ask(engine, "Ở tỉnh Đông Mẫu, sở nào chủ trì tổ chức hội chợ nông sản đặc sản và hàng thủ công mỹ nghệ hằng năm?")).model_dump()
    assert east["agencies"][0]["name"] == "Sở Công Thương" and east["agencies"][0]["jurisdiction"] == "Đông Mẫu"
    assert east["citations"][0]["doc_id"] == EAST
    tasks = ask(engine, "Sở Công Thương tỉnh Tây Mẫu phải làm gì?")
    assert tasks.kind == "what" and set(_docs(tasks)) == {WEST}


@pytest.mark.slow
def test_a_collective_is_never_named_first_beside_a_specific_body(engine):
    a = ask(engine, "Ai rà soát, bố trí biên chế cho tổ quản lý chợ phiên số mẫu?")
    names = [n for n, _ in a.agencies]
    assert names[0] == "Sở Nội vụ", names
    assert "Các sở, ban, ngành, đoàn thể cấp tỉnh" in names[1:]


@pytest.mark.slow
def test_a_cascade_question_is_answered_from_the_document_it_names(engine):
    task = "ai chủ trì tuyên truyền, quảng bá chợ phiên số tới các hợp tác xã?"
    party = ask(engine, f"Theo Chương trình hành động số 77, {task}")
    assert party.agencies[0][0] == "Ban Tuyên giáo Tỉnh ủy" and _docs(party)[0] == PROGRAMME
    plan = ask(engine, f"Theo Kế hoạch 55, {task}")
    assert plan.agencies[0][0] == "Sở Công Thương" and _docs(plan)[0] == EAST
    # Named by neither: who does it in each, each with its citation.
    both = ask(engine, task.capitalize())
    assert {"Ban Tuyên giáo Tỉnh ủy", "Sở Công Thương"} <= {n for n, _ in both.agencies}
    assert {EAST, PROGRAMME} <= set(_docs(both)[:3])
    assert "văn bản khác" in both.text


def test_central_bodies_are_national_and_registry_agencies_have_a_jurisdiction():
    assert jurisdiction_of("Bộ Công Thương", "Đông Mẫu") == NATIONAL
    assert jurisdiction_of("Sở Công Thương", None) == NATIONAL
    registry = Registry.load(ROOT / "corpus" / "agencies.yaml")
    assert registry.agencies["bo-tai-chinh"].jurisdiction == NATIONAL
    # The plan's Sở NN&PTNT was Bình Thuận's; its successor is (new) Lâm Đồng's.
    assert registry.agencies["so-nnptnt"].jurisdiction == "Bình Thuận"
    assert [a.jurisdiction for a in registry.current("so-nnptnt")] == ["Lâm Đồng"]


def test_the_2025_ministry_mergers_are_recorded_with_their_sources():
    registry = Registry.load(ROOT / "corpus" / "agencies.yaml")
    for old, new in [("bo-tnmt", "bo-nn-mt"), ("bo-nnptnt", "bo-nn-mt"), ("bo-khdt", "bo-tai-chinh"),
                     ("bo-gtvt", "bo-xay-dung"), ("bo-tttt", "bo-khcn"), ("bo-ldtbxh", "bo-noi-vu")]:
        assert not registry.agencies[old].active
        assert new in {a.id for a in registry.current(old)}
        s = next(s for s in registry.successors(old) if s.to_id == new)
        assert "176/2025/QH15" in s.source and s.date.startswith("2025-")
    assert registry.resolve("Bộ KH&ĐT").id == "bo-khdt"


@pytest.mark.slow
def test_the_committees_of_other_provinces_are_not_the_documents_own(engine):
    # "Phối hợp với UBND các tỉnh lân cận" in Tây Mẫu's plan: every province's committee, not
    # Tây Mẫu's; asked what "UBND các tỉnh" must do, the answer is the tasks the telegram gives
    # them, the clause that best matches the question
    others = [a for a in engine.registry.agencies.values() if a.name == "UBND các tỉnh"]
    assert others and all(a.jurisdiction == NATIONAL for a in others)
    answer = ask_out(ask(engine, "UBND các tỉnh phải làm gì khi nhận hàng mẫu dự trữ được cấp?")).model_dump()
    assert answer["agencies"][0]["name"] == "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
    assert answer["citations"][0]["doc_id"] == TELEGRAM
    assert "tiếp nhận, phân phát hàng mẫu dự trữ" in answer["citations"][0]["quote"]
