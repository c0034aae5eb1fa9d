"""Who does what, answered: the questions staff ask of a plan that reads each class of
``tests/test_who_classes.py`` (a specific body before the collectives, the standing body, a
partner named after a bare "phối hợp", the role asked for, the issuer of the plan a question
names), on an index of an invented fixture plan built with e5.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.answers.answer import ask
from index.build.builder import build
from index.engine import Engine, Options
from service.schemas import ask_out

ROOT = Path(__file__).resolve().parents[1]
SECRETS = "fixture-ke-hoach-bao-mat-mau.txt"


@pytest.fixture(scope="module")
def secrets_engine(tmp_path_factory, e5) -> Engine:
    docs = tmp_path_factory.mktemp("secrets-docs")
    shutil.copy(ROOT / "tests" / "fixtures" / "who" / SECRETS, docs / SECRETS)
    data = tmp_path_factory.mktemp("secrets-data")
    build(data, ROOT / "corpus", e5, paths=[docs])
    return Engine.open(Options(data, ROOT / "corpus"), e5)


def _agencies(engine: Engine, question: str) -> list[tuple[str, str]]:
    answer = ask_out(ask(engine, question)).model_dump()
    return [(a["name"], a["role"]) for a in answer["agencies"]]


FIRST = [
    # a specific body given the task answers before the collectives given the same task
    ("Ai chủ trì thử nghiệm ổ đĩa, phần mềm của kho dữ liệu mẫu quân sự trước lúc vận hành?",
     ("Bộ Chỉ huy Quân sự tỉnh", "chủ trì")),
    # the standing body of the steering committee, not the committee
    ("Cơ quan nào là thường trực Ban Chỉ đạo giữ gìn kho dữ liệu mẫu tỉnh Bắc Mẫu?", ("Công an tỉnh", "đầu mối")),
    # the other body's sentence echoes more of the question's words, but it is not the focal point
    ("Cơ quan nào là đầu mối thu nhận hồ sơ mẫu, tài liệu mẫu của các xã vào kho lưu trữ tỉnh?", ("Sở Nội vụ", "đầu mối")),
]


@pytest.mark.slow
@pytest.mark.parametrize(("question", "first"), FIRST)
def test_the_body_the_question_asks_for_answers_first(secrets_engine, question, first):
    got = _agencies(secrets_engine, question)
    assert got and got[0] == first


@pytest.mark.slow
def test_a_partner_named_after_a_bare_phoi_hop_answers_with_whom(secrets_engine):
    got = _agencies(secrets_engine, "Lập danh mục thiết bị lưu trữ mẫu cần thay mới: Công an tỉnh phối hợp với đơn vị nào?")
    assert ("Bộ Chỉ huy Quân sự tỉnh", "phối hợp") in got


@pytest.mark.slow
def test_the_issuer_of_the_plan_a_question_names_is_not_whom_it_asks_about(secrets_engine):
    # "KH 77 của UBND tỉnh Bắc Mẫu": the committee issued the plan (and has a task in it); the
    # question asks what the Sở must do
    answer = ask_out(ask(secrets_engine, "Theo KH 77 của UBND tỉnh Bắc Mẫu, Sở Nội vụ phải làm gì?")).model_dump()
    assert answer["agencies"] and answer["agencies"][0]["name"] == "Sở Nội vụ"
    assert "thu nhận hồ sơ mẫu" in answer["citations"][0]["quote"]


@pytest.mark.slow
def test_a_body_the_question_asks_about_is_named_first_though_a_report_goes_elsewhere(secrets_engine):
    # not "who": the question names the body whose deadline it asks, the report's recipient comes after
    got = _agencies(secrets_engine, "Sở Tài chính phải báo cáo kết quả rà soát kho dữ liệu mẫu trước ngày nào?")
    assert got and got[0] == ("Sở Tài chính", "thực hiện")


@pytest.mark.slow
def test_a_question_that_asks_when_is_answered_from_the_clause_that_states_the_time(secrets_engine):
    # the time is the clause's, in a sentence that names no body ("được phát hành vào ngày 10 hằng
    # tháng"); the body's own sentence states none: the clause still answers, with its time, not
    # the one other clause whose body's row is dated
    answer = ask_out(ask(secrets_engine, "Bản tin kho dữ liệu mẫu được phát hành vào ngày nào?")).model_dump()
    assert "phát hành vào ngày 10 hằng tháng" in answer["citations"][0]["quote"]
    assert "Thời hạn: ngày 10 hằng tháng" in answer["answer"]


@pytest.mark.slow
def test_a_period_a_rule_sets_answers_how_long_though_no_body_is_named(secrets_engine):
    # "Thời hạn lưu giữ … là 05 năm": no body, no row; the clause is the answer all the same
    answer = ask_out(ask(secrets_engine, "Nhật ký kho dữ liệu mẫu phải lưu giữ trong bao lâu?")).model_dump()
    assert answer["citations"] and "là 05 năm" in answer["citations"][0]["quote"]


@pytest.mark.slow
@pytest.mark.parametrize("question", ["Khó khăn về kho dữ liệu mẫu ở cấp xã thì phản hồi qua sở nào?",
                                      "Khó khăn về kho dữ liệu mẫu ở cấp xã thì phản ánh qua cơ quan nào?",
                                      "kho khan ve kho du lieu mau o cap xa thi phan hoi qua so nao"])
def test_the_kind_of_body_a_question_asks_for_answers_first(secrets_engine, question):
    # "phản ánh về UBND tỉnh (qua Sở Nội vụ)" asked "qua sở nào": the Sở, not the committee; asked
    # "qua cơ quan nào", the body the report goes through
    got = _agencies(secrets_engine, question)
    assert got and got[0] == ("Sở Nội vụ", "nhận báo cáo")


@pytest.mark.slow
def test_a_title_the_text_charges_is_named_with_its_body(secrets_engine):
    # "Chủ tịch Ủy ban nhân dân các xã, phường quyết định …": the answer names the office the text
    # charges, and links it to the body's page
    answer = ask_out(ask(secrets_engine, "Ai quyết định xếp loại sổ tay mẫu của thôn, tổ dân phố?")).model_dump()
    first = answer["agencies"][0]
    assert first["name"] == "Chủ tịch Ủy ban nhân dân các xã, phường" and first["role"] == "thực hiện"
    assert answer["answer"].startswith("Chủ tịch Ủy ban nhân dân các xã, phường")
    assert first.get("id")


@pytest.mark.slow
@pytest.mark.parametrize("question", ["Lập danh mục thiết bị lưu trữ mẫu cần thay mới do Công an tỉnh hay đơn vị nào chủ trì?",
                                      "lap danh muc thiet bi luu tru mau can thay moi do cong an tinh hay don vi nao chu tri"])
def test_a_body_the_question_offers_as_one_of_two_may_be_the_answer(secrets_engine, question):
    # "X hay đơn vị nào …" asks whether X is the one: X is no object put after the others
    got = _agencies(secrets_engine, question)
    assert got and got[0] == ("Công an tỉnh", "chủ trì")


@pytest.mark.slow
@pytest.mark.parametrize("question", ["Kết quả thực hiện kế hoạch giữ gìn kho dữ liệu mẫu của các sở, UBND các xã báo cáo về cơ quan nào?",
                                      "ket qua thuc hien ke hoach giu gin kho du lieu mau cua cac so, ubnd cac xa bao cao ve co quan nao"])
def test_a_report_of_the_bodies_a_question_names_goes_where_they_send_it(secrets_engine, question):
    # "Các sở, …, UBND các xã … báo cáo về Công an tỉnh"; "Công an tỉnh … báo cáo … về Bộ Công an"
    # echoes more of the question, but the bodies it names are not the ones reporting there
    got = _agencies(secrets_engine, question)
    assert got and got[0] == ("Công an tỉnh", "nhận báo cáo")


@pytest.mark.slow
@pytest.mark.parametrize(("question", "first", "section"), [
    ("Theo kế hoạch giữ gìn kho dữ liệu mẫu của tỉnh Bắc Mẫu, ai lập sổ theo dõi?", "UBND các xã, phường", "III.10"),
    ("Theo kế hoạch giữ gìn kho dữ liệu mẫu của tỉnh Bắc Mẫu, ai rà soát?", "Sở Tài chính", "III.5"),
])
def test_a_document_named_by_its_title_and_place_is_asked_by_what_follows(secrets_engine, question, first, section):
    # no number, but its place: the plan's title, which its clauses repeat ("theo dõi, đôn đốc việc giữ
    # gìn kho dữ liệu mẫu"), does not rank them; the question's own words do
    answer = ask_out(ask(secrets_engine, question)).model_dump()
    assert answer["agencies"] and answer["agencies"][0]["name"] == first
    assert answer["citations"][0]["section"] == section
